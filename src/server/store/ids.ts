import { v7 as uuidv7 } from 'uuid';

/** Random, time-ordered identifiers (UUID v7): never sequential, never guessable from a neighbour. */
export const newId = (): string => uuidv7();
