import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  makeStyles,
  mergeClasses,
  MessageBar,
  MessageBarBody,
  Spinner,
  tokens
} from '@fluentui/react-components';
import { useState } from 'react';
import type { ReconcileReport } from '../../../shared/schemas/mailbox.js';
import { fieldValidation } from '../../api/problems.js';
import type { AdminTranslator } from '../../i18n/admin/index.js';
import { useAdmin } from './context.js';
import { knownText, Notice, Section, useAction, useSectionStyles } from './parts.js';
import { origin } from './RunMessages.js';

/*
 * "Check for missed messages" in the health view: the API's reconciliation of the Inbox and the processor's folders
 * against what was recorded, over the last days, with each message unaccounted for and what became of it in words.
 */

type Unaccounted = ReconcileReport['unaccounted'][number];

const MIN_DAYS = 1;
const MAX_DAYS = 29;

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, alignItems: 'flex-start' },
  days: { width: '6em' },
  // A long subject without spaces wraps instead of widening the pane.
  wrap: { overflowWrap: 'anywhere' }
});

/** The days typed, when a whole number the API takes; null otherwise. */
function daysOf(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const days = Number(text);
  return days >= MIN_DAYS && days <= MAX_DAYS ? days : null;
}

export function Reconcile() {
  const styles = useStyles();
  const { api, i18n } = useAdmin();
  const [text, setText] = useState('7');
  const [report, setReport] = useState<ReconcileReport | null>(null);
  const checking = useAction<'check'>();
  const days = daysOf(text);
  const submit = (valid: number) =>
    checking.run('check', async () => {
      setReport(null);
      setReport(await api.reconcile(valid));
    });
  return (
    <Section id="admin-reconcile-title" title={i18n.t('reconcileTitle')}>
      <Body1>{i18n.t('reconcileIntro')}</Body1>
      <form
        className={styles.form}
        onSubmit={(event) => {
          event.preventDefault();
          if (days !== null) void submit(days);
        }}
      >
        <Field
          label={i18n.t('reconcileDays')}
          {...fieldValidation(days === null ? i18n.t('reconcileDaysInvalid') : undefined)}
        >
          <Input className={styles.days} inputMode="numeric" value={text} onChange={(_, data) => setText(data.value)} />
        </Field>
        <Button
          type="submit"
          appearance="primary"
          disabled={checking.busy !== null || days === null}
          icon={checking.busy ? <Spinner size="tiny" /> : undefined}
        >
          {checking.busy ? i18n.t('reconcileChecking') : i18n.t('reconcileRun')}
        </Button>
      </form>
      <Notice intent="error" text={checking.failure} />
      {report && <ReconcileResult report={report} />}
    </Section>
  );
}

function ReconcileResult({ report }: { report: ReconcileReport }) {
  const styles = useStyles();
  const sections = useSectionStyles();
  const { i18n } = useAdmin();
  return (
    <div className={sections.section}>
      <Caption1 className={mergeClasses(sections.muted, styles.wrap)}>
        {i18n.t('reconcileSince', {
          mailbox: report.mailboxAddress,
          since: new Date(report.since).toLocaleString(i18n.tag)
        })}
      </Caption1>
      {!report.complete && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{i18n.t('reconcileIncomplete')}</MessageBarBody>
        </MessageBar>
      )}
      <dl className={sections.figures}>
        {report.folders.map((folder) => (
          <div key={folder.role} style={{ display: 'contents' }}>
            <dt className={styles.wrap}>{i18n.t('reconcileListed', { folder: folder.displayName })}</dt>
            <dd className={sections.figureValue}>{folder.listed}</dd>
          </div>
        ))}
        <dt>{i18n.t('backlog')}</dt>
        <dd className={sections.figureValue}>{report.waiting}</dd>
        <dt>{i18n.t('reconcileAccounted')}</dt>
        <dd className={sections.figureValue}>{report.accounted}</dd>
        <dt>{i18n.t('reconcileUnaccounted')}</dt>
        <dd className={sections.figureValue}>{report.unaccounted.length}</dd>
      </dl>
      {report.unaccounted.length === 0 ? (
        <Body1>{i18n.t('reconcileNothing')}</Body1>
      ) : (
        <ul className={sections.list} aria-label={i18n.t('reconcileUnaccounted')}>
          {report.unaccounted.map((message) => (
            <li key={message.messageId} className={sections.item}>
              <Body1 className={styles.wrap}>{message.subject || i18n.t('noSubject')}</Body1>
              <Caption1 className={mergeClasses(sections.muted, styles.wrap)}>{origin(i18n, message)}</Caption1>
              <Caption1 className={mergeClasses(sections.muted, styles.wrap)}>
                {message.folder === null
                  ? i18n.t('reconcileNowhere')
                  : i18n.t('reconcileIn', { folder: folderName(report, message.folder) })}
              </Caption1>
              <Caption1>{fate(i18n.t, message)}</Caption1>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The folder by the name the mailbox shows. */
const folderName = (report: ReconcileReport, role: NonNullable<Unaccounted['folder']>) =>
  report.folders.find((folder) => folder.role === role)?.displayName ?? role;

/** What became of the message, in words: its problem, with what the processor recorded of it. */
function fate(t: AdminTranslator['t'], message: Unaccounted): string {
  const recorded = message.recorded === null ? '' : knownText(t, `recorded_${message.recorded}`, message.recorded);
  return t(`reconcileProblem_${message.problem}`, { recorded });
}
