import { validateWithXsd } from './manifest.js';

/*
 * `npm run validate:offline`: manifest.xml against Microsoft's schemas with xmllint, without the network. The
 * launch event and its runtime, newer than the schemas, are checked by test/manifest/manifest.test.ts instead.
 */

const { status, output } = validateWithXsd(process.argv[2] ?? 'manifest.xml');
process.stdout.write(output);
process.exit(status);
