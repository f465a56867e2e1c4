/*
 * Faults a test arms for the next n matching requests. Each armed fault is used up one request at a time,
 * oldest first; a request takes at most one fault of a kind.
 */

export interface RequestInfo {
  /** 'login' for the token and metadata endpoints. */
  service: 'graph' | 'login';
  method: string;
  /** Path after /v1.0 (the whole path for sign-in), without the query, e.g. /users/x/messages/AAMk.../move. */
  path: string;
  /** True for a request inside a $batch. */
  viaBatch: boolean;
}

export type RequestMatcher = (request: RequestInfo) => boolean;

interface Armed<T> {
  remaining: number;
  match: RequestMatcher;
  value: T;
}

export class FaultQueue<T> {
  private armed: Armed<T>[] = [];

  arm(count: number, match: RequestMatcher, value: T): void {
    if (count > 0) this.armed.push({ remaining: count, match, value });
  }

  /** The fault for this request, if one is armed for it (and count it as used). */
  take(request: RequestInfo): T | undefined {
    const fault = this.armed.find((f) => f.remaining > 0 && f.match(request));
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.armed = this.armed.filter((f) => f.remaining > 0);
    return fault.value;
  }

  /** Faults still armed. */
  get pending(): number {
    return this.armed.reduce((sum, f) => sum + f.remaining, 0);
  }

  clear(): void {
    this.armed = [];
  }
}

export const isMove: RequestMatcher = (r) => r.method === 'POST' && /\/messages\/[^/]+\/move$/i.test(r.path);
export const anyGraphRequest: RequestMatcher = (r) => r.service === 'graph';
