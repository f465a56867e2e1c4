import { Budget } from '../../../src/server/http/rate-limits.js';

/* A request budget per key and window: counted at once, refused past its maximum until the window ends. */

describe('Budget', () => {
  const start = 1_000_000;

  test('admits the maximum in a window, then says how many whole seconds remain', () => {
    const budget = new Budget(3, 60_000);
    expect([0, 1, 2].map((i) => budget.take('ana', start + i))).toEqual([0, 0, 0]);
    expect(budget.take('ana', start + 10)).toBe(60);
    expect(budget.take('ana', start + 58_500)).toBe(2);
    expect(budget.take('ana', start + 59_999)).toBe(1);
  });

  test('keys count apart, and a new window starts afresh', () => {
    const budget = new Budget(1, 60_000);
    expect(budget.take('ana', start)).toBe(0);
    expect(budget.take('ben', start)).toBe(0);
    expect(budget.take('ana', start + 1)).toBeGreaterThan(0);
    expect(budget.take('ana', start + 60_000)).toBe(0);
    expect(budget.take('ana', start + 60_001)).toBe(60);
  });

  test('a heavy request counts its weight', () => {
    const budget = new Budget(10, 60_000);
    expect(budget.take('ana', start, 6)).toBe(0);
    expect(budget.take('ana', start + 1, 4)).toBe(0);
    expect(budget.take('ana', start + 2)).toBe(60);
  });
});
