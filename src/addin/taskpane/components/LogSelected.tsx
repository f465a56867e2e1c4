import {
  Body1Strong,
  Button,
  Caption1,
  makeStyles,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  tokens
} from '@fluentui/react-components';
import { HistoryRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { LogThreadResult } from '../../../shared/schemas/interaction.js';
import type { Translator } from '../../i18n/index.js';
import type { MailItem, SelectedMessage } from '../../office/types.js';
import { useServices } from '../services.js';
import { logMessages, readOpenThread } from '../thread.js';
import { logFailure, reasonKey } from './LogThread.js';

/** Outlook lets the user select at most 100 messages for an add-in (item multi-select, Mailbox 1.13). */
export const MAX_SELECTED = 100;

type Outcome = { message: SelectedMessage } & ({ result: LogThreadResult } | { failed: string });

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL }
});

/** A selected message as the thread reader takes it: its id is all the reader needs. */
const asItem = (message: SelectedMessage): MailItem => ({
  mode: 'read',
  ewsId: message.ewsId,
  restId: message.restId,
  officeConversationId: null,
  internetMessageId: null,
  subject: message.subject,
  from: null,
  to: [],
  cc: []
});

/** One line per message: what was logged, what was skipped and why, or why it failed. */
function outcomeText(outcome: Outcome, i18n: Translator): string {
  if ('failed' in outcome) return outcome.failed;
  const { logged, skipped } = outcome.result;
  if (logged.length === 0 && skipped.every((s) => s.reason === 'already-logged' || s.reason === 'draft')) {
    return i18n.t('selectedNothingNew');
  }
  const reasons = [...new Set(skipped.map((s) => i18n.t(reasonKey(s.reason))))].join('; ');
  const parts = [i18n.count('loggedResult', logged.length)];
  if (skipped.length > 0) parts.push(`${i18n.count('skippedResult', skipped.length)} ${reasons}`);
  return parts.join(' ');
}

/**
 * Log selected: each selected message's thread, logged one message at a time through the same path as Log this
 * thread, so a failure in one is reported on its line and the rest still go.
 */
export default function LogSelectedAction({ messages }: { messages: SelectedMessage[] }) {
  const services = useServices();
  const { i18n } = services;
  const styles = useStyles();
  const [done, setDone] = useState<number | null>(null);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const busy = done !== null && done < messages.length;

  if (messages.length > MAX_SELECTED) {
    return (
      <MessageBar intent="warning" role="status">
        <MessageBarBody>{i18n.t('tooManySelected', { count: messages.length, max: MAX_SELECTED })}</MessageBarBody>
      </MessageBar>
    );
  }

  const run = async () => {
    const results: Outcome[] = [];
    setOutcomes([]);
    setDone(0);
    for (const message of messages) {
      try {
        const thread = await readOpenThread(services, asItem(message));
        results.push({ message, result: await logMessages(services, thread) });
      } catch (error) {
        results.push({ message, failed: logFailure(error, i18n).message });
      }
      setOutcomes([...results]);
      setDone(results.length);
    }
  };

  return (
    <div className={styles.root}>
      <Button appearance="primary" icon={<HistoryRegular />} disabled={busy} onClick={run}>
        {i18n.count('logSelected', messages.length)}
      </Button>
      {busy && (
        <>
          <ProgressBar thickness="medium" value={done / messages.length} aria-label={i18n.t('selectedResults')} />
          <Caption1 role="status">{i18n.t('loggingSelected', { done: done + 1, total: messages.length })}</Caption1>
        </>
      )}
      {outcomes.length > 0 && (
        <ul className={styles.list} aria-label={i18n.t('selectedResults')}>
          {outcomes.map((outcome) => (
            <li key={outcome.message.ewsId}>
              <Body1Strong>{outcome.message.subject || i18n.t('noSubject')}</Body1Strong>{' '}
              <Caption1>{outcomeText(outcome, i18n)}</Caption1>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
