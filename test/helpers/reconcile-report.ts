import type { ReconcileReport } from '../../src/shared/schemas/mailbox.js';

/* The mailbox reconciliation's answer for the pane's tests: the admin view's unit tests and its layout test. */

/** A reconciliation that found every message where its record says. */
export const reconcileReport: ReconcileReport = {
  mailboxAddress: 'log@northwind.example',
  since: '2026-02-24T10:00:00.000Z',
  checkedAt: '2026-03-03T10:00:00.000Z',
  complete: true,
  folders: [
    { role: 'inbox', displayName: 'Inbox', listed: 2 },
    { role: 'archive', displayName: 'Archive', listed: 30 },
    { role: 'notLogged', displayName: 'Not logged', listed: 5 },
    { role: 'quarantine', displayName: 'Quarantine', listed: 0 }
  ],
  waiting: 2,
  accounted: 35,
  unaccounted: []
};
