import type { Config } from './config.js';

/*
 * What `npm start` tells a newcomer once the server listens: where to click, where the API is described and
 * whether demo data is there. Plain lines for a person; production logs the same facts as one JSON entry.
 */

/** What happened to the demo organization at start. */
export type DemoSeeding =
  | { kind: 'seeded'; interactions: number }
  | { kind: 'kept' } // the store already had data, so nothing was added
  | { kind: 'off' }; // SEED_DEMO=false (the default outside dev mode)

export interface StartupFacts {
  url: string;
  config: Pick<Config, 'authMode' | 'nodeEnv'>;
  store: { engine: string; description: string };
  demo: DemoSeeding;
}

/** The addresses a person opens first; the previews exist in dev mode only (they sign in with dev tokens). */
export function startupLinks({ url, config }: Pick<StartupFacts, 'url' | 'config'>): Record<string, string> {
  const links: Record<string, string> = {};
  if (config.authMode === 'dev') {
    links['Task pane preview'] = `${url}/preview.html`;
    links['Manager and admin preview'] = `${url}/preview.html?devRoles=Manager,Admin`;
  } else {
    links['Task pane (open it from Outlook)'] = `${url}/taskpane.html`;
  }
  links['API description'] = `${url}/api/openapi.json`;
  return links;
}

export function demoSummary(demo: DemoSeeding): string {
  switch (demo.kind) {
    case 'seeded':
      return `seeded now (the Northwind demo organization, ${demo.interactions} logged emails)`;
    case 'kept':
      return 'not added: the store already holds data';
    case 'off':
      return 'off (SEED_DEMO=false)';
  }
}

/** The banner's lines, labels aligned. */
export function startupBanner(facts: StartupFacts): string[] {
  const rows: [string, string][] = [
    ...Object.entries(startupLinks(facts)),
    ['Demo data', demoSummary(facts.demo)],
    ['Store', `${facts.store.engine}, ${facts.store.description}`]
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return [
    `Interaction log is running (${facts.config.nodeEnv}, ${facts.config.authMode} sign-in)`,
    ...rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)}${value}`),
    '  Stop it with Ctrl+C.'
  ];
}
