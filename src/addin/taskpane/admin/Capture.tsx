import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Spinner,
  tokens
} from '@fluentui/react-components';
import { useState } from 'react';
import type {
  AddUnmatchedContactResult,
  CaptureAlert,
  CaptureReport,
  UnmatchedAddress,
  UnmatchedQueue
} from '../../../shared/schemas/mailbox.js';
import { CommandBlock } from './CommandBlock.js';
import { useAdmin } from './context.js';
import { Notice, Section, useAction, useSectionStyles } from './parts.js';

/*
 * Capture health in the health view: the quiet-direction alert with the mail-flow rule to check, what was seen and
 * what became of it per day, salesperson and direction, and the unmatched queue, whose one click adds the contact
 * and has the processor log its messages.
 */

const useStyles = makeStyles({
  scroll: { overflowX: 'auto' },
  table: { borderCollapse: 'collapse', width: '100%', fontSize: tokens.fontSizeBase200 },
  cell: {
    textAlign: 'start',
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalXS}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`
  },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' }
});

export function CaptureAlerts({ alerts }: { alerts: CaptureAlert[] }) {
  const { i18n } = useAdmin();
  return (
    <>
      {alerts.map((alert) => (
        <MessageBar key={alert.direction} intent="warning" layout="multiline">
          <MessageBarBody>
            {i18n.t('captureAlert', {
              direction: i18n.t(`direction_${alert.direction}`),
              hours: alert.businessHours,
              since: new Date(alert.quietSince).toLocaleString(i18n.tag),
              rule: alert.rule.name
            })}
            <CommandBlock text={alert.rule.command} copyLabel={i18n.t('copy')} />
          </MessageBarBody>
        </MessageBar>
      ))}
    </>
  );
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, n) => total + n, 0);

export function CaptureTable({ report }: { report: CaptureReport }) {
  const styles = useStyles();
  const { i18n } = useAdmin();
  const headers = ['captureDay', 'captureSalesperson', 'captureDirection', 'captureSeen', 'captureLogged'] as const;
  return (
    <Section id="admin-capture-title" title={i18n.t('captureTitle')}>
      {report.rows.length === 0 ? (
        <Body1>{i18n.t('captureNone')}</Body1>
      ) : (
        <div className={styles.scroll}>
          <table className={styles.table} aria-labelledby="admin-capture-title">
            <thead>
              <tr>
                {[...headers, 'captureNotLogged' as const, 'capturePending' as const].map((key) => (
                  <th key={key} scope="col" className={styles.cell}>
                    {i18n.t(key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.rows.map((row) => (
                <tr key={`${row.day}|${row.salesperson?.id ?? ''}|${row.direction ?? ''}`}>
                  <td className={styles.cell}>{row.day}</td>
                  <td className={styles.cell}>{row.salesperson?.name ?? i18n.t('captureNobody')}</td>
                  <td className={styles.cell}>
                    {row.direction ? i18n.t(`direction_${row.direction}`) : i18n.t('captureUnknown')}
                  </td>
                  <td className={styles.cell}>{row.seen}</td>
                  <td className={styles.cell}>{row.logged}</td>
                  <td className={styles.cell} title={reasonsTitle(row.notLogged)}>
                    {sum(row.notLogged)}
                  </td>
                  <td className={styles.cell}>{row.pending}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

/** The not-logged count's reasons, by code: the skipped section above words them. */
const reasonsTitle = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([reason, count]) => `${reason}: ${count}`)
    .join(', ') || undefined;

export function Unmatched({
  queue,
  onAdded
}: {
  queue: UnmatchedQueue;
  onAdded: (address: string, result: AddUnmatchedContactResult) => void;
}) {
  const sections = useSectionStyles();
  const { i18n } = useAdmin();
  const [open, setOpen] = useState<string | null>(null);
  const domains = queue.domains.map((d) => `${d.domain} (${d.count})`).join(', ');
  return (
    <Section id="admin-unmatched-title" title={i18n.t('unmatchedTitle')}>
      {queue.addresses.length === 0 ? (
        <Body1>{i18n.t('unmatchedEmpty')}</Body1>
      ) : (
        <>
          <Caption1 className={sections.muted}>{i18n.t('unmatchedDomains', { domains })}</Caption1>
          <ul className={sections.list} aria-labelledby="admin-unmatched-title">
            {queue.addresses.map((entry) => (
              <li key={entry.address} className={sections.item}>
                <div className={sections.row}>
                  <Body1>{entry.address}</Body1>
                  {open !== entry.address && (
                    <Button
                      size="small"
                      onClick={() => setOpen(entry.address)}
                      aria-label={i18n.t('unmatchedAddFor', { address: entry.address })}
                    >
                      {i18n.t('unmatchedAdd')}
                    </Button>
                  )}
                </div>
                <Caption1 className={sections.muted}>
                  {i18n.t('unmatchedMeta', {
                    count: entry.count,
                    date: entry.lastReceivedAt ? new Date(entry.lastReceivedAt).toLocaleDateString(i18n.tag) : '—'
                  })}
                </Caption1>
                {open === entry.address && (
                  <AddContactForm
                    entry={entry}
                    onCancel={() => setOpen(null)}
                    onAdded={(result) => {
                      setOpen(null);
                      onAdded(entry.address, result);
                    }}
                  />
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}

/** The one click's form: a name, and the company proposed from the domain. */
function AddContactForm({
  entry,
  onCancel,
  onAdded
}: {
  entry: UnmatchedAddress;
  onCancel: () => void;
  onAdded: (result: AddUnmatchedContactResult) => void;
}) {
  const styles = useStyles();
  const { api, i18n } = useAdmin();
  const [name, setName] = useState('');
  const [company, setCompany] = useState(entry.proposedCompany ?? '');
  const adding = useAction<'add'>();
  const submit = () =>
    adding.run('add', async () => {
      const trimmed = company.trim();
      onAdded(await api.addUnmatchedContact({ address: entry.address, name: name.trim(), company: trimmed || null }));
    });
  return (
    <form
      className={styles.form}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Field label={i18n.t('name')} required>
        <Input value={name} onChange={(_, data) => setName(data.value)} />
      </Field>
      <Field label={i18n.t('company')}>
        <Input value={company} onChange={(_, data) => setCompany(data.value)} />
      </Field>
      <Notice intent="error" text={adding.failure} />
      <div className={styles.actions}>
        <Button
          type="submit"
          appearance="primary"
          disabled={adding.busy !== null || name.trim() === ''}
          icon={adding.busy ? <Spinner size="tiny" /> : undefined}
        >
          {i18n.t('unmatchedAdd')}
        </Button>
        <Button onClick={onCancel}>{i18n.t('cancel')}</Button>
      </div>
    </form>
  );
}
