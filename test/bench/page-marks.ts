/**
 * A page script (for a context's addInitScript) that marks, with performance.mark(name), the first moment each text is
 * in the DOM under `root`. A mutation observer runs when the page's script has changed the DOM, before the browser
 * paints, so any pane measured with it is measured the same way, whatever marks its own code makes.
 * A string, so that nothing the TypeScript loader adds to functions reaches the page.
 */
export function textShownMarksScript(root: string, marks: Record<string, string>): string {
  return `(() => {
  const root = ${JSON.stringify(root)};
  const marks = Object.entries(${JSON.stringify(marks)});
  new MutationObserver((_records, observer) => {
    const text = document.querySelector(root)?.textContent ?? '';
    for (const [name, shown] of marks) {
      if (text.includes(shown) && performance.getEntriesByName(name).length === 0) performance.mark(name);
    }
    if (marks.every(([name]) => performance.getEntriesByName(name).length > 0)) observer.disconnect();
  }).observe(document, { childList: true, subtree: true, characterData: true });
})();`;
}

/** What a page prints once a load's last mark is made (completeSignalScript). */
export const COMPLETE_SIGNAL = 'bench:complete';

/**
 * A page script that prints COMPLETE_SIGNAL to the console once the mark `name` is made. The bench waits for that
 * message rather than polling with Playwright's page.waitForFunction, whose first call in a new context compiles
 * Playwright's injected script on the page's main thread (12–21 ms in a Chrome trace), in the middle of the load it
 * measures. The message arrives through the DevTools protocol's console events, with nothing evaluated in the page.
 */
export function completeSignalScript(name: string): string {
  return `(() => {
  const name = ${JSON.stringify(name)};
  new PerformanceObserver((list, observer) => {
    if (list.getEntriesByName(name).length === 0) return;
    observer.disconnect();
    console.debug(${JSON.stringify(COMPLETE_SIGNAL)});
  }).observe({ type: 'mark' });
})();`;
}
