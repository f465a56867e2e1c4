import {
  Body1,
  Button,
  Caption1,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle2,
  tokens
} from '@fluentui/react-components';
import { ArrowClockwiseRegular, PlayRegular } from '@fluentui/react-icons';
import { useCallback, useState, type ReactNode } from 'react';
import type { CaptureReport, MailboxRun, UnmatchedQueue } from '../../../shared/schemas/mailbox.js';
import type { Page } from '../../api/client.js';
import type { AdminTranslator } from '../../i18n/admin/index.js';
import { ErrorState, PaneSkeleton } from '../components/States.js';
import { appendPage, useLoadable, useMore } from '../hooks/loadable.js';
import type { Health as HealthData, Quarantined } from './admin-api.js';
import { CaptureAlerts, CaptureTable, Unmatched } from './Capture.js';
import { useAdmin } from './context.js';
import { knownText, LoadMore, Notice, Section, useAction, useSectionStyles } from './parts.js';
import { Reconcile } from './Reconcile.js';
import { RunMessagesToggle } from './RunMessages.js';

/*
 * Automatic logging's health: the quiet-direction alert, the last runs with their counts, the backlog, skipped by
 * reason, what was captured per day, the unmatched queue, the check for missed messages, the quarantine.
 */

const useStyles = makeStyles({
  header: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' }
});

interface HealthState {
  health: HealthData;
  runs: MailboxRun[];
  quarantine: Page<Quarantined>;
  capture: CaptureReport;
  unmatched: UnmatchedQueue;
}

const skippedTotal = (run: MailboxRun) => Object.values(run.skipped).reduce((sum, n) => sum + n, 0);

/** A reason code in words, or the code itself when this catalogue does not know it. */
const reasonText = (t: AdminTranslator['t'], reason: string) => knownText(t, `reason_${reason}`, reason);

const appendQuarantine = (data: HealthState, page: Page<Quarantined>): HealthState => ({
  ...data,
  quarantine: appendPage(data.quarantine, page)
});

/** The health, the last runs and the quarantine's first page; more of the quarantine on request. */
function useHealth() {
  const { api } = useAdmin();
  const load = useCallback(async (): Promise<HealthState> => {
    const [health, runs, quarantine, capture, unmatched] = await Promise.all([
      api.health(),
      api.runs(10),
      api.quarantine(),
      api.capture(),
      api.unmatched()
    ]);
    return { health, runs: runs.items, quarantine, capture, unmatched };
  }, [api]);
  const { state, reload, retry, update, settle } = useLoadable(load);
  const quarantinePage = useCallback((cursor: string) => api.quarantine(cursor), [api]);
  const { loadMore, loadingMore, moreError } = useMore(
    state.data?.quarantine.nextCursor,
    quarantinePage,
    settle,
    appendQuarantine
  );
  const markRetryRequested = (messageId: string) =>
    update((data) => ({
      ...data,
      quarantine: {
        ...data.quarantine,
        items: data.quarantine.items.map((item) =>
          item.messageId === messageId ? { ...item, status: 'retry-requested' as const } : item
        )
      }
    }));
  return { state, reload, retry, loadMore, loadingMore, moreError, markRetryRequested };
}

export function Health() {
  const sections = useSectionStyles();
  const styles = useStyles();
  const { api, i18n } = useAdmin();
  const { state, reload, retry, loadMore, loadingMore, moreError, markRetryRequested } = useHealth();
  const [notice, setNotice] = useState<string | null>(null);
  const starting = useAction<'run-now'>();
  const retrying = useAction<string>();

  if (state.status === 'error') return <ErrorState error={state.error} onRetry={retry} />;
  if (state.status === 'loading') return <PaneSkeleton />;
  const { health, runs, quarantine, capture, unmatched } = state.data;

  const runNow = () => {
    setNotice(null);
    return starting.run('run-now', async () => {
      await api.runNow();
      setNotice(i18n.t('runStarted'));
      reload();
    });
  };
  const retryMessage = (message: Quarantined) =>
    retrying.run(message.messageId, async () => {
      await api.retryQuarantined(message.messageId);
      markRetryRequested(message.messageId);
    });

  return (
    <div className={sections.view}>
      <div className={styles.header}>
        <Subtitle2 as="h2" block>
          {i18n.t('healthTitle')}
        </Subtitle2>
        <div className={styles.actions}>
          <Button icon={<ArrowClockwiseRegular />} onClick={reload}>
            {i18n.t('refresh')}
          </Button>
          <Button
            appearance="primary"
            icon={starting.busy ? <Spinner size="tiny" /> : <PlayRegular />}
            disabled={starting.busy !== null || !health.configured}
            onClick={() => void runNow()}
          >
            {i18n.t('runNow')}
          </Button>
        </div>
      </div>
      {!health.configured && (
        <MessageBar intent="warning">
          <MessageBarBody>{i18n.t('notConfigured')}</MessageBarBody>
        </MessageBar>
      )}
      <CaptureAlerts alerts={health.captureAlerts} />
      <Notice intent="success" text={notice} />
      <Notice intent="error" text={starting.failure ?? retrying.failure} />
      <Figures health={health} />
      <Runs runs={runs} />
      <Skipped health={health} />
      <CaptureTable report={capture} />
      <Unmatched
        queue={unmatched}
        onAdded={(address, result) => {
          setNotice(i18n.t('unmatchedAdded', { address, count: result.requeued }));
          reload();
        }}
      />
      <Reconcile />
      <QuarantineList
        quarantine={quarantine}
        retrying={retrying.busy}
        onRetry={(message) => void retryMessage(message)}
      >
        <LoadMore
          hasMore={quarantine.nextCursor !== null}
          loadingMore={loadingMore}
          error={moreError}
          onLoadMore={() => void loadMore()}
        />
      </QuarantineList>
    </div>
  );
}

function Figures({ health }: { health: HealthData }) {
  const sections = useSectionStyles();
  const { i18n } = useAdmin();
  return (
    <dl className={sections.figures}>
      <dt>{i18n.t('backlog')}</dt>
      <dd className={sections.figureValue}>{health.backlog ?? i18n.t('backlogUnknown')}</dd>
      <dt>{i18n.t('captureMode')}</dt>
      <dd>{i18n.t(`captureMode_${health.mode}`)}</dd>
      {health.mode === 'notifications' && (
        <>
          <dt>{i18n.t('notificationsDropped')}</dt>
          <dd className={sections.figureValue}>{health.notificationsDropped}</dd>
        </>
      )}
    </dl>
  );
}

function Runs({ runs }: { runs: MailboxRun[] }) {
  const sections = useSectionStyles();
  const { i18n } = useAdmin();
  return (
    <Section id="admin-runs-title" title={i18n.t('runsTitle')}>
      {runs.length === 0 ? (
        <Body1>{i18n.t('noRuns')}</Body1>
      ) : (
        <ul className={sections.list} aria-labelledby="admin-runs-title">
          {runs.map((run) => (
            <li key={run.id} className={sections.item}>
              <div className={sections.row}>
                <Body1>
                  {i18n.t('runWhen', {
                    date: new Date(run.startedAt).toLocaleString(i18n.tag),
                    trigger: i18n.t(`runTrigger_${run.trigger}`)
                  })}
                </Body1>
                <Caption1>{i18n.t(`runStatus_${run.status}`)}</Caption1>
              </div>
              <Caption1 className={sections.muted}>
                {i18n.t('runCounts', {
                  seen: run.seen,
                  logged: run.logged,
                  skipped: skippedTotal(run),
                  failed: run.failed,
                  quarantined: run.quarantined
                })}
              </Caption1>
              {run.error && <Caption1>{run.error}</Caption1>}
              <RunMessagesToggle run={run} />
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function Skipped({ health }: { health: HealthData }) {
  const sections = useSectionStyles();
  const { i18n } = useAdmin();
  const skipped = Object.entries(health.skippedLast7Days).filter(([, count]) => count > 0);
  return (
    <Section id="admin-skipped-title" title={i18n.t('skippedTitle')}>
      {skipped.length === 0 ? (
        <Body1>{i18n.t('skippedNone')}</Body1>
      ) : (
        <dl className={sections.figures}>
          {skipped.map(([reason, count]) => (
            <div key={reason} style={{ display: 'contents' }}>
              <dt>{reasonText(i18n.t, reason)}</dt>
              <dd className={sections.figureValue}>{count}</dd>
            </div>
          ))}
        </dl>
      )}
    </Section>
  );
}

function QuarantineList({
  quarantine,
  retrying,
  onRetry,
  children
}: {
  quarantine: Page<Quarantined>;
  /** The message whose retry is being asked for, if any: every retry button waits for it. */
  retrying: string | null;
  onRetry: (message: Quarantined) => void;
  /** What follows the list inside its section ("Load more"). */
  children: ReactNode;
}) {
  const sections = useSectionStyles();
  const { i18n } = useAdmin();
  return (
    <Section id="admin-quarantine-title" title={i18n.t('quarantineTitle')}>
      {quarantine.items.length === 0 ? (
        <Body1>{i18n.t('quarantineEmpty')}</Body1>
      ) : (
        <ul className={sections.list} aria-labelledby="admin-quarantine-title">
          {quarantine.items.map((message) => (
            <li key={message.messageId} className={sections.item}>
              <Body1>{message.subject || i18n.t('noSubject')}</Body1>
              <Caption1 className={sections.muted}>
                {i18n.t('quarantineMeta', {
                  sender: message.sender ?? i18n.t('unknownSender'),
                  attempts: message.attempts
                })}
              </Caption1>
              {message.reason && <Caption1>{i18n.t('quarantineReason', { reason: message.reason })}</Caption1>}
              <div className={sections.row}>
                {message.status === 'retry-requested' ? (
                  <Caption1 role="status">{i18n.t('retryRequested')}</Caption1>
                ) : (
                  <Button
                    size="small"
                    disabled={retrying !== null}
                    icon={retrying === message.messageId ? <Spinner size="tiny" /> : undefined}
                    onClick={() => onRetry(message)}
                    aria-label={`${i18n.t('retryMessage')}: ${message.subject || i18n.t('noSubject')}`}
                  >
                    {i18n.t('retryMessage')}
                  </Button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {children}
    </Section>
  );
}
