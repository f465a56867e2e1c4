/*
 * What the store refuses, in the store's own words: which record is missing, which unique key or reference a
 * write breaks, and which input field (by the name the store method takes) is to blame. The store knows
 * nothing of requests, pointers or status codes; the HTTP layer (http/problems.ts) alone turns these into
 * problem documents.
 */

/** The input field a refusal concerns, by the store method's name for it; `index` for one item of a list. */
export interface StoreField {
  field: string;
  index?: number;
  detail: string;
}

export abstract class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** No such record, or one of another tenant or outside the caller's scope: the three are alike on purpose. */
export class StoreNotFound extends StoreError {
  /** `what` names the record as a sentence starts it: "The contact". */
  constructor(readonly what: string) {
    super(`${what} was not found.`);
  }
}

/** The write would break a unique key (an address held by another person, an entry of another opportunity). */
export class StoreConflict extends StoreError {
  constructor(
    message: string,
    readonly fields: StoreField[] = []
  ) {
    super(message);
  }
}

/** The write names a record that does not exist, or values the store cannot hold (an unusable address). */
export class StoreConstraint extends StoreError {
  constructor(
    message: string,
    readonly fields: StoreField[]
  ) {
    super(message);
  }
}

/** A page cursor the store did not issue (or issued for another list); `detail` says which one it wants. */
export class InvalidCursor extends StoreError {
  constructor(
    message: string,
    readonly detail: string
  ) {
    super(message);
  }
}
