import {
  Button,
  Caption1,
  Field,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  ProgressBar,
  tokens
} from '@fluentui/react-components';
import { CheckmarkCircleRegular, HistoryRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { LogThreadResult, SkipReason } from '../../../shared/schemas/interaction.js';
import { failureText } from '../../api/problems.js';
import type { MessageKey, Translator } from '../../i18n/index.js';
import type { MailItem } from '../../office/types.js';
import { useServices } from '../services.js';
import { logMessages, readOpenThread } from '../thread.js';
import { isSignInError, SignInButton } from './States.js';

type Progress =
  | { step: 'idle' }
  | { step: 'reading'; read: number }
  | { step: 'logging'; read: number }
  | { step: 'done'; result: LogThreadResult }
  | LogFailure;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  reasons: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL }
});

export const reasonKey = (reason: SkipReason) => `reason_${reason.replace(/-/g, '_')}` as MessageKey;

/** Counts per reason, in first-seen order, for a short summary instead of one line per message. */
function reasonsOf(result: LogThreadResult): Array<[SkipReason, number]> {
  const counts = new Map<SkipReason, number>();
  for (const skipped of result.skipped) counts.set(skipped.reason, (counts.get(skipped.reason) ?? 0) + 1);
  return [...counts.entries()];
}

export function LogThreadAction({
  item,
  onLogged,
  disabled,
  logged = false
}: {
  item: MailItem;
  onLogged: () => void;
  disabled?: boolean;
  /** The open message is logged: the button shows that state, quieter, and still logs new replies. */
  logged?: boolean;
}) {
  const services = useServices();
  const { i18n } = services;
  const styles = useStyles();
  const [progress, setProgress] = useState<Progress>({ step: 'idle' });
  const busy = progress.step === 'reading' || progress.step === 'logging';

  const run = async () => {
    setProgress({ step: 'reading', read: 0 });
    try {
      const messages = await readOpenThread(services, item, (read) => setProgress({ step: 'reading', read }));
      setProgress({ step: 'logging', read: messages.length });
      const result = await logMessages(services, messages, item.sharedOwner);
      setProgress({ step: 'done', result });
      onLogged();
    } catch (error) {
      setProgress(logFailure(error, i18n));
    }
  };

  return (
    <div className={styles.root}>
      {logged && !busy ? (
        <Button
          appearance="subtle"
          icon={<CheckmarkCircleRegular />}
          aria-label={i18n.t('logNewReplies')}
          title={i18n.t('logNewReplies')}
          disabled={disabled}
          onClick={run}
        >
          {i18n.t('threadLogged')}
        </Button>
      ) : (
        <Button appearance="primary" icon={<HistoryRegular />} disabled={busy || disabled} onClick={run}>
          {busy ? i18n.t('loggingThread') : i18n.t('logThread')}
        </Button>
      )}
      {busy && (
        <Field validationMessage={i18n.count('readingThread', progress.read)} validationState="none">
          <ProgressBar thickness="medium" aria-label={i18n.t('loggingThread')} />
        </Field>
      )}
      {progress.step === 'done' && <LogResult result={progress.result} />}
      {progress.step === 'failed' && <LogFailureBar failure={progress} onRetry={run} />}
    </div>
  );
}

/** Why logging failed, in the user's words; a sign-in problem offers to sign in and try again. */
export type LogFailure = { step: 'failed'; message: string; signIn?: unknown };

export const logFailure = (error: unknown, i18n: Translator, failed: MessageKey = 'logFailed'): LogFailure =>
  isSignInError(error)
    ? { step: 'failed', message: i18n.t('signedOutText'), signIn: error }
    : { step: 'failed', message: `${i18n.t(failed)} ${failureText(error, i18n)}` };

export function LogFailureBar({ failure, onRetry }: { failure: LogFailure; onRetry: () => Promise<void> }) {
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>{failure.message}</MessageBarBody>
      {failure.signIn !== undefined && (
        <MessageBarActions>
          <SignInButton error={failure.signIn} onSignedIn={() => void onRetry()} />
        </MessageBarActions>
      )}
    </MessageBar>
  );
}

/** Log this meeting's result: one meeting, so no counts of what was skipped. */
export const MEETING_RESULT = { nothingNew: 'meetingNothingNew', skipped: 'meetingNotLogged' } as const;

export function LogResult({
  result,
  meeting
}: {
  result: LogThreadResult;
  /** Set for Log this meeting: its words. */
  meeting?: typeof MEETING_RESULT;
}) {
  const { i18n } = useServices();
  const styles = useStyles();
  const reasons = reasonsOf(result);
  // Drafts are never logged; a thread whose every other message is logged already has nothing new.
  const onlyRepeats =
    result.logged.length === 0 &&
    reasons.some(([reason]) => reason === 'already-logged') &&
    reasons.every(([reason]) => reason === 'already-logged' || reason === 'draft');
  return (
    <MessageBar intent={result.logged.length > 0 ? 'success' : 'info'} layout="multiline" role="status">
      <MessageBarBody>
        {onlyRepeats ? (
          i18n.t(meeting?.nothingNew ?? 'nothingNew')
        ) : (
          <>
            {i18n.count('loggedResult', result.logged.length)}
            {result.skipped.length > 0 && (
              <>
                {' '}
                {meeting ? i18n.t(meeting.skipped) : i18n.count('skippedResult', result.skipped.length)}
                <ul className={styles.reasons}>
                  {reasons.map(([reason, count]) => (
                    <li key={reason}>
                      <Caption1>
                        {i18n.t(reasonKey(reason))} ({count})
                      </Caption1>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}
