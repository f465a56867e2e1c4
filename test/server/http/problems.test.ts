import { ConflictError, InvalidRequestError, NotFoundError } from '../../../src/server/errors.js';
import { domainErrorOf } from '../../../src/server/http/problems.js';
import { InvalidCursor, StoreConflict, StoreConstraint, StoreNotFound } from '../../../src/server/store/errors.js';

/*
 * The store names fields as its methods take them; the API answers with pointers into the request. This is
 * the one place the first becomes the second (the routes' problem documents are checked in problem-codes.test).
 */

test('a missing record is a 404 naming it', () => {
  const error = domainErrorOf(new StoreNotFound('The contact'));
  expect(error).toBeInstanceOf(NotFoundError);
  expect(error.message).toBe('The contact was not found.');
});

test("a broken unique key is a 409 pointing at the body's fields, items by index", () => {
  const error = domainErrorOf(
    new StoreConflict('Taken.', [
      { field: 'email', detail: 'belongs to contact c1' },
      { field: 'alternateEmails', index: 1, detail: 'belongs to contact c2' }
    ])
  );
  expect(error).toBeInstanceOf(ConflictError);
  expect((error as ConflictError).errors).toEqual([
    { location: 'body', pointer: '/email', detail: 'belongs to contact c1' },
    { location: 'body', pointer: '/alternateEmails/1', detail: 'belongs to contact c2' }
  ]);
});

test('a broken reference is a 400 pointing at the field that names it', () => {
  const error = domainErrorOf(
    new StoreConstraint('The team does not exist.', [{ field: 'teamId', detail: 'names no team' }])
  );
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(error.message).toBe('The team does not exist.');
  expect((error as InvalidRequestError).errors).toEqual([
    { location: 'body', pointer: '/teamId', detail: 'names no team' }
  ]);
});

test("a cursor the store did not issue is a 400 pointing at the query string's cursor", () => {
  const error = domainErrorOf(new InvalidCursor('Not ours.', 'must be a nextCursor value from a previous page'));
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect((error as InvalidRequestError).errors).toEqual([
    { location: 'querystring', pointer: '/cursor', detail: 'must be a nextCursor value from a previous page' }
  ]);
});
