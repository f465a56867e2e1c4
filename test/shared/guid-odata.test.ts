import { isGuid } from '../../src/shared/guid.js';
import { odataString } from '../../src/shared/odata.js';

test('a GUID is 8-4-4-4-12 hex digits, either case, and nothing around it', () => {
  expect(isGuid('11111111-2222-3333-4444-55555555abcd')).toBe(true);
  expect(isGuid('11111111-2222-3333-4444-55555555ABCD')).toBe(true);
  expect(isGuid('{11111111-2222-3333-4444-555555555555}')).toBe(false);
  expect(isGuid('11111111222233334444555555555555')).toBe(false);
  expect(isGuid(' 11111111-2222-3333-4444-555555555555')).toBe(false);
});

test('an OData string literal doubles the quotes inside it', () => {
  expect(odataString('Logged mail')).toBe("'Logged mail'");
  expect(odataString("O'Brien's")).toBe("'O''Brien''s'");
  expect(odataString('')).toBe("''");
});
