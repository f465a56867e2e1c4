import { loadConfig } from '../config.js';
import { openStore } from '../store/index.js';

/* `npm run migrate`: applies pending migrations to DATABASE_URL and says which. */
const config = loadConfig();
const store = await openStore(config.databaseUrl, { migrate: false });
try {
  const applied = await store.migrate();
  console.log(
    applied.length ? `Applied ${applied.join(', ')} to ${store.description}.` : `${store.description} is up to date.`
  );
} finally {
  await store.close();
}
