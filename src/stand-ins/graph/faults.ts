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

export interface HeldRequests {
  /** Resolves when the first request past the first `after` matching ones is being held. */
  readonly reached: Promise<void>;
  /** Requests held right now. */
  held(): number;
  /**
   * Lets the held requests go, and every later one pass. `execute: true` carries them out, and the rest of
   * their $batch (requests the client sent before it died, which the service still ran); by default they and
   * the rest of their $batch are answered 503 unexecuted.
   */
  release(options?: { execute?: boolean }): void;
}

/**
 * Lets the first `after` matching requests through, then holds every further matching one until released:
 * "the service has applied N moves and the rest of the batch hangs", so a test can kill the client then.
 */
export class RequestHold implements HeldRequests {
  readonly reached: Promise<void>;
  private signalReached: () => void = () => undefined;
  private passed = 0;
  private released: { execute: boolean } | null = null;
  private readonly waiting: Array<(execute: boolean) => void> = [];
  /** The requests (a $batch's sub-requests share one) that had a request held. */
  private readonly heldGroups = new Set<string>();

  constructor(
    private readonly after: number,
    private readonly match: RequestMatcher
  ) {
    this.reached = new Promise((resolve) => {
      this.signalReached = resolve;
    });
  }

  /**
   * null: go on now; otherwise wait, then carry the request out only if the promise says true. `group` names
   * the HTTP request it came in (the $batch for a sub-request).
   */
  gate(request: RequestInfo, group: string): Promise<boolean> | null {
    if (!this.match(request)) return null;
    if (this.released) {
      const abandoned = !this.released.execute && this.heldGroups.has(group);
      return abandoned ? Promise.resolve(false) : null;
    }
    if (this.passed < this.after) {
      this.passed += 1;
      return null;
    }
    const decision = new Promise<boolean>((resolve) => this.waiting.push(resolve));
    this.heldGroups.add(group);
    this.signalReached();
    return decision;
  }

  held(): number {
    return this.waiting.length;
  }

  release(options: { execute?: boolean } = {}): void {
    this.released = { execute: options.execute ?? false };
    for (const resume of this.waiting.splice(0)) resume(this.released.execute);
  }
}
