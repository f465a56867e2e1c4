import { Body1, Button, Caption1, makeStyles, mergeClasses, Spinner, tokens } from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import type { MailboxRun, RunMessage } from '../../../shared/schemas/mailbox.js';
import type { AdminTranslator } from '../../i18n/admin/index.js';
import { usePaged } from '../hooks/loadable.js';
import { useAdmin } from './context.js';
import { knownText, LoadMore, Notice, useSectionStyles } from './parts.js';

/*
 * A run's own messages, opened from the runs list: each message it saw, who sent it and when, and what the run did
 * with it, a page at a time (issue 20's reconciliation per run).
 */

const useStyles = makeStyles({
  messages: { paddingLeft: tokens.spacingHorizontalM },
  // A long subject or address without spaces wraps instead of widening the pane.
  wrap: { overflowWrap: 'anywhere' }
});

/** "Messages" under a run that saw any: opens and closes its list. */
export function RunMessagesToggle({ run }: { run: MailboxRun }) {
  const { i18n } = useAdmin();
  const [open, setOpen] = useState(false);
  if (run.seen === 0) return null;
  const listId = `admin-run-messages-${run.id}`;
  return (
    <>
      <Button
        size="small"
        appearance="subtle"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        onClick={() => setOpen(!open)}
      >
        {open ? i18n.t('runMessagesHide') : i18n.t('runMessagesShow', { count: run.seen })}
      </Button>
      {open && <RunMessageList runId={run.id} listId={listId} />}
    </>
  );
}

function RunMessageList({ runId, listId }: { runId: string; listId: string }) {
  const styles = useStyles();
  const sections = useSectionStyles();
  const { api, i18n, failureText } = useAdmin();
  const load = useCallback((cursor?: string) => api.runMessages(runId, cursor), [api, runId]);
  const { state, loadMore, loadingMore, moreError } = usePaged(load);
  if (state.status === 'loading') return <Spinner size="tiny" label={i18n.t('loading')} />;
  if (state.status === 'error') return <Notice intent="error" text={failureText(state.error)} />;
  return (
    <div className={styles.messages}>
      <ul id={listId} className={sections.list} aria-label={i18n.t('runMessagesTitle')}>
        {state.data.items.map((message) => (
          <li key={message.messageId} className={sections.item}>
            <Body1 className={styles.wrap}>{message.subject || i18n.t('noSubject')}</Body1>
            <Caption1 className={mergeClasses(sections.muted, styles.wrap)}>{origin(i18n, message)}</Caption1>
            <Caption1 className={styles.wrap}>{fateText(i18n.t, message)}</Caption1>
          </li>
        ))}
      </ul>
      <LoadMore
        hasMore={state.data.nextCursor !== null}
        loadingMore={loadingMore}
        error={moreError}
        onLoadMore={() => void loadMore()}
      />
    </div>
  );
}

/** Who sent it and when, so the admin can find it in the mailbox. */
export function origin(i18n: AdminTranslator, message: { from: string | null; receivedDateTime: string | null }) {
  return i18n.t('messageOrigin', {
    from: message.from ?? i18n.t('unknownSender'),
    received: message.receivedDateTime ? new Date(message.receivedDateTime).toLocaleString(i18n.tag) : '—'
  });
}

/** What the run did with it, in words: its fate, with why (a skip reason in words, or the error) and the entries made. */
function fateText(t: AdminTranslator['t'], message: RunMessage): string {
  const reason = message.reason === null ? '' : knownText(t, `reason_${message.reason}`, message.reason);
  return t(`runFate_${message.fate}`, { reason, count: message.entriesCreated });
}
