import { startTestApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('sqlite');
});
afterAll(async () => api.close());

test('health and me', async () => {
  expect((await api.call('GET', '/healthz')).status).toBe(200);
  const token = await api.token({ email: 'ana@northwind.example', name: 'Ana' });
  const me = await api.call('GET', '/api/v1/me', { as: token });
  expect(me.status).toBe(200);
  expect(me.body.salesperson.email).toBe('ana@northwind.example');
});
