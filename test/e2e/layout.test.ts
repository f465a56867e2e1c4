import type { Locator, Page } from 'playwright-core';
import { ADMIN_CATALOGUES, type AdminCatalogue } from '../../src/addin/i18n/admin/index.js';
import { CATALOGUES } from '../../src/addin/i18n/catalogues.js';
import type { ReconcileReport } from '../../src/shared/schemas/mailbox.js';
import { DEMO_MESSAGE_IDS, DEMO_PEOPLE } from '../../src/stand-ins/demo-mailbox.js';
import { reconcileReport } from '../helpers/reconcile-report.js';
import type { OfficeStandInControl } from '../stand-ins/office/stand-in.js';
import { paneContext, screenshot, useDemoSite } from './browser.js';

jest.setTimeout(600_000);

/*
 * Every view of the pane at Outlook's narrowest pane width (320 px, and a few wider), in six languages and both themes:
 * nothing may stick out to the right (the pane would scroll sideways) or be cut off by a box too narrow for
 * it. One browser and one page per theme, reused across languages. A screenshot of each view goes to
 * test-results/layout-<language>-<theme>-<view>.png.
 */

const WIDTH = 320;
const WIDER = [340, 360, 400];
const HEIGHT = 760;
const LANGUAGES = { en: 'en-US', fi: 'fi-FI', sv: 'sv-SE', it: 'it-IT', ru: 'ru-RU', is: 'is-IS' } as const;
type Language = keyof typeof LANGUAGES;
const THEMES = ['light', 'dark'] as const;

const site = useDemoSite();

/** What sticks out of the viewport, or is cut off by a box that hides its overflow, described for a failure. */
function overflowIn(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > viewport) {
      problems.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${viewport} px pane`);
    }
    const describe = (element: Element) => {
      const label = element.getAttribute('aria-label') ?? (element.textContent ?? '').trim().slice(0, 40);
      return `<${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}> "${label}"`;
    };
    /** Inside a box that scrolls on its own (a command block, a list), content wider than the box is reachable. */
    const scrolls = (element: Element) => {
      for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
        const overflow = getComputedStyle(node).overflowX;
        if (overflow === 'auto' || overflow === 'scroll') return true;
      }
      return false;
    };
    for (const element of document.body.querySelectorAll('*')) {
      if (element.closest('[data-tabster-dummy]')) continue;
      const style = getComputedStyle(element);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const box = element.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) continue; // visually hidden text for screen readers
      const sticksOut = (b: DOMRect) => b.right > viewport + 0.5 || b.left < -0.5;
      const parent = element.parentElement;
      // Only the outermost element that sticks out is reported: its content goes with it.
      const parentSticksOut = parent !== null && parent !== document.body && sticksOut(parent.getBoundingClientRect());
      if (sticksOut(box) && !parentSticksOut && !scrolls(element)) {
        problems.push(`${describe(element)} spans ${Math.round(box.left)}–${Math.round(box.right)} px`);
      }
      if (/^H[1-6]$/.test(element.tagName) && style.display === 'inline') {
        problems.push(`heading ${describe(element)} runs into the text after it`);
      }
      // Text that does not fit its box and is not hidden spills over its neighbour (a label over its value).
      if (
        /^(DT|DD|LABEL|P|LI|H[1-6])$/.test(element.tagName) &&
        style.overflowX === 'visible' &&
        element.scrollWidth > element.clientWidth + 1
      ) {
        problems.push(
          `${describe(element)} spills ${element.scrollWidth - element.clientWidth} px over what is beside it`
        );
      }
      const clips = style.overflowX === 'hidden' || style.overflowX === 'clip';
      if (clips && style.textOverflow !== 'ellipsis' && element.scrollWidth > element.clientWidth + 1) {
        problems.push(`${describe(element)} cuts off ${element.scrollWidth - element.clientWidth} px of its content`);
      }
    }
    for (const surface of document.querySelectorAll('[role="dialog"]')) {
      const { left, right } = surface.getBoundingClientRect();
      if (left < 8 || viewport - right < 8) {
        problems.push(
          `the dialog touches the pane's edge: ${Math.round(left)} px left, ${Math.round(viewport - right)} px right`
        );
      }
    }
    return problems;
  });
}

/**
 * Fluent's portal layers (one per popup or dialog, laid over the page) must not themselves cover the pane: only
 * what they hold (a list, a dialog and its translucent backdrop) may. Counts the layers over `selector`.
 */
async function portalLayersOver(page: Page, selector: string): Promise<number> {
  return page.evaluate((target) => {
    const element = document.querySelector(target);
    if (!element) throw new Error(`nothing matches ${target}`);
    const { top, bottom, left, right } = element.getBoundingClientRect();
    return [...document.querySelectorAll('[data-portal-node]')].filter((layer) => {
      const box = layer.getBoundingClientRect();
      return box.top < bottom && box.bottom > top && box.left < right && box.right > left;
    }).length;
  }, selector);
}

/** Views that did not fit, with what stuck out: every view is visited before the test fails. */
const misfits: Record<string, string[]> = {};

/** Let layout settle (fonts, lazy chunks, Fluent's motion: a dialog grows into place) before measuring. */
const settle = (page: Page) =>
  page.evaluate(async () => {
    await document.fonts.ready;
    await Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined)));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });

async function expectFits(page: Page, view: string): Promise<void> {
  await settle(page);
  await screenshot(page, `layout-${view}`);
  const problems = await overflowIn(page);
  // Wider panes change the layout too (three stage cards a row instead of two): Outlook's usual widths as well.
  for (const width of WIDER) {
    await page.setViewportSize({ width, height: HEIGHT });
    await settle(page);
    problems.push(...(await overflowIn(page)).map((problem) => `at ${width} px: ${problem}`));
  }
  await page.setViewportSize({ width: WIDTH, height: HEIGHT });
  await settle(page);
  if (problems.length > 0) misfits[view] = problems;
}

/**
 * The WCAG contrast ratio of a date field's calendar icon against the field (non-text contrast asks for 3:1):
 * the most different pixel at the field's right end against the commonest there, its background.
 */
async function calendarIconContrast(page: Page, field: Locator): Promise<number> {
  // The whole field: a date picker's icon sits beside its text box, a native date field's inside it.
  const box = await field.evaluate((element) => {
    const { x, y, width, height } = (element.closest('.fui-Input') ?? element).getBoundingClientRect();
    return { x, y, width, height };
  });
  const png = await page.screenshot({
    clip: { x: box.x + box.width - 32, y: box.y + 4, width: 28, height: box.height - 8 }
  });
  return page.evaluate(
    async (bytes) => {
      const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
      const channel = (value: number) => {
        const v = value / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      const luminances: number[] = [];
      for (let i = 0; i < data.length; i += 4) {
        luminances.push(0.2126 * channel(data[i]!) + 0.7152 * channel(data[i + 1]!) + 0.0722 * channel(data[i + 2]!));
      }
      luminances.sort((a, b) => a - b);
      const background = luminances[Math.floor(luminances.length / 2)]!;
      const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      return Math.max(contrast(luminances[0]!, background), contrast(luminances.at(-1)!, background));
    },
    [...png]
  );
}

async function expectVisibleCalendarIcon(page: Page, field: Locator, view: string): Promise<void> {
  const ratio = await calendarIconContrast(page, field);
  if (ratio < 3) (misfits[view] ??= []).push(`the date field's calendar icon has a contrast of ${ratio.toFixed(2)}:1`);
}

/** Escape closes the dialog; the pane is back for screen readers once the dialog's exit has finished. */
async function closeDialog(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.locator('#root:not([aria-hidden])').waitFor();
}

/** A reconciliation with every fate, a subject without a break, and the incomplete note: its longest words. */
const RECONCILE_REPORT: ReconcileReport = {
  ...reconcileReport,
  mailboxAddress: 'interaction-log-processor@northwind-traders.example',
  complete: false,
  folders: reconcileReport.folders.map((folder) =>
    folder.role === 'archive' ? { ...folder, displayName: 'Interaction log archive', listed: 10_000 } : folder
  ),
  unaccounted: [
    {
      messageId: 'a',
      internetMessageId: null,
      subject: 'Re:'.repeat(40),
      from: `${'very.long.sender.name'.repeat(4)}@fabrikam.example`,
      receivedDateTime: '2026-03-02T09:30:00Z',
      folder: 'archive',
      recorded: null,
      problem: 'not-recorded'
    },
    {
      messageId: 'b',
      internetMessageId: null,
      subject: null,
      from: null,
      receivedDateTime: null,
      folder: 'notLogged',
      recorded: 'reprocess-requested',
      problem: 'recorded-elsewhere'
    },
    {
      messageId: 'c',
      internetMessageId: null,
      subject: 'Offer',
      from: 'lena@fabrikam.example',
      receivedDateTime: '2026-03-01T08:00:00Z',
      folder: null,
      recorded: 'retry-requested',
      problem: 'missing'
    }
  ]
};

/** The health tab's missed-messages report, answered by a stand-in (the demo site reads no mailbox through Graph). */
async function checkForMissedMessages(page: Page, words: AdminCatalogue, view: string): Promise<void> {
  await page.route('**/api/v1/admin/mailbox/reconcile*', (route) => route.fulfill({ json: RECONCILE_REPORT }));
  const region = page.getByRole('region', { name: words.reconcileTitle as string });
  await region.getByRole('button', { name: words.reconcileRun as string, exact: true }).click();
  await region.getByRole('list').waitFor();
  await expectFits(page, view);
}

const settled = (page: Page) =>
  page.waitForFunction(() => document.querySelectorAll('.fui-Skeleton, .fui-Spinner').length === 0);

async function visit(page: Page, language: Language, theme: (typeof THEMES)[number]): Promise<void> {
  const words = CATALOGUES[language]!;
  const adminWords = ADMIN_CATALOGUES[language]!;
  const name = (view: string) => `${language}-${theme}-${view}`;
  const query = new URLSearchParams({
    message: DEMO_MESSAGE_IDS.contactLatest,
    lang: LANGUAGES[language],
    theme,
    devRoles: 'Manager,Admin'
  });
  await page.goto(`${site.server.url}/taskpane.html?${query.toString()}`);
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  await page.getByRole('region', { name: words.opportunitiesTitle as string }).waitFor();
  await settled(page);
  await expectFits(page, name('pane'));

  await page.getByRole('button', { name: words.createOpportunity as string }).click();
  await page.getByRole('dialog').waitFor();
  await expectFits(page, name('create-opportunity'));
  await expectVisibleCalendarIcon(
    page,
    page.getByRole('dialog').getByLabel(words.expectedCloseDate as string),
    name('create-opportunity')
  );
  expect(await portalLayersOver(page, 'main h1')).toBe(0);
  await closeDialog(page);

  await page.evaluate(
    (id) => (window as unknown as { officeStandIn: OfficeStandInControl }).officeStandIn.selectMessage(id),
    DEMO_MESSAGE_IDS.newLead
  );
  await page.getByRole('heading', { name: DEMO_PEOPLE.newLead.name }).waitFor();
  await page.getByRole('button', { name: words.addContact as string }).click();
  await page.getByRole('dialog').waitFor();
  await expectFits(page, name('add-contact'));
  await closeDialog(page);

  await page.getByRole('button', { name: words.teamView as string }).click();
  await page
    .getByRole('region', { name: words.teamListTitle as string })
    .getByRole('listitem')
    .first()
    .waitFor();
  await settled(page);
  await expectFits(page, name('team'));
  await expectVisibleCalendarIcon(page, page.getByLabel(words.filterFrom as string, { exact: true }), name('team'));
  // Focusing the contact search opens its popup layer; the pane stays visible under and around it.
  await page.getByRole('combobox', { name: words.filterContact as string }).focus();
  expect(await portalLayersOver(page, 'main h1')).toBe(0);
  await page.keyboard.type('Fabrikam');
  await page.getByRole('listbox').waitFor();
  expect(await portalLayersOver(page, 'main h1')).toBe(0);
  await page.keyboard.press('Escape');
  await page.getByRole('listbox').waitFor({ state: 'hidden' });
  expect(await portalLayersOver(page, 'main h1')).toBe(0);
  await expectFits(page, name('team-search'));

  await page.getByRole('button', { name: words.adminView as string }).click();
  const tabs = page.getByRole('tab');
  await tabs.first().waitFor();
  const sections = ['setup', 'settings', 'health', 'directory'];
  for (const [index, section] of sections.entries()) {
    await tabs.nth(index).click();
    await page.getByRole('tabpanel').waitFor();
    await settled(page);
    await expectFits(page, name(`admin-${section}`));
    if (section === 'health') await checkForMissedMessages(page, adminWords, name('admin-health-reconcile'));
  }
  await page.getByRole('button', { name: adminWords.addSalesperson as string }).click();
  await page.getByRole('dialog').waitFor();
  await expectFits(page, name('admin-add-salesperson'));
  await closeDialog(page);
}

for (const theme of THEMES) {
  test(`every view fits a ${WIDTH} px pane in six languages, ${theme}`, async () => {
    const context = await paneContext(site.browser, { dark: theme === 'dark' });
    await context.newPage(); // paneContext's viewport is Outlook's usual 360 px: narrow it to the minimum
    const page = context.pages()[0]!;
    await page.setViewportSize({ width: WIDTH, height: HEIGHT });
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    for (const view of Object.keys(misfits)) delete misfits[view];
    for (const language of Object.keys(LANGUAGES) as Language[]) await visit(page, language, theme);
    expect(misfits).toEqual({});
    expect(errors).toEqual([]);
    await context.close();
  });
}
