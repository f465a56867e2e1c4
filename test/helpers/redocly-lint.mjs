/*
 * Redocly's linter with its `recommended` rules, on the OpenAPI document given as a file: prints its problems
 * as JSON. A separate process because @redocly/openapi-core is ESM-only (see test/server/openapi.test.ts).
 */
import { readFileSync } from 'node:fs';
import { createConfig, lintFromString } from '@redocly/openapi-core';

const [file] = process.argv.slice(2);
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source: readFileSync(file, 'utf8'), absoluteRef: file, config });
process.stdout.write(
  JSON.stringify(
    problems.map((problem) => ({
      severity: problem.severity,
      rule: problem.ruleId,
      where: problem.location?.[0]?.pointer ?? '',
      message: problem.message
    }))
  )
);
