import { TextDecoder, TextEncoder } from 'node:util';

/* What jsdom lacks and a real browser (and Outlook's webview) has, for the pane's component tests. */
if (typeof window !== 'undefined') {
  Object.assign(globalThis, { TextEncoder, TextDecoder });
  if (!('ResizeObserver' in window)) {
    class ResizeObserverStandIn {
      observe(): void {}
      unobserve(): void {}
      disconnect(): void {}
    }
    Object.assign(window, { ResizeObserver: ResizeObserverStandIn });
  }
}
