/*
 * Fails a jsdom test when Fluent (Griffel) warns that class strings were concatenated instead of passed to
 * mergeClasses() separately: concatenated atomic classes override each other in an undefined order.
 */
const CONCATENATED_CLASSES = /^mergeClasses\(\): a passed string contains multiple identifiers/;

if (typeof window !== 'undefined') {
  const seen: string[] = [];
  const original = console.error.bind(console);
  beforeEach(() => {
    seen.length = 0;
  });
  // A plain wrapper rather than jest.spyOn: tests that clear or restore mocks must not remove it.
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && CONCATENATED_CLASSES.test(args[0])) seen.push(args[0]);
    original(...args);
  };
  afterEach(() => {
    if (seen.length > 0) {
      const first = seen[0];
      seen.length = 0;
      throw new Error(`A component concatenated Fluent class names; pass them to mergeClasses() apart.\n${first}`);
    }
  });
}
