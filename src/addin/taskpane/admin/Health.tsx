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
import { useCallback, useEffect, useState } from 'react';
import type { MailboxRun } from '../../../shared/schemas/mailbox.js';
import { adminEn, type AdminKey } from '../../i18n/admin/index.js';
import { ErrorState, PaneSkeleton } from '../components/States.js';
import type { Health as HealthData, Page, Quarantined } from './admin-api.js';
import { useAdmin } from './context.js';

/* Automatic logging's health: the last runs with their counts, the backlog, skipped by reason, the quarantine. */

const useStyles = makeStyles({
  view: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  header: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`
  },
  row: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground2 },
  figures: { margin: 0, display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: tokens.spacingHorizontalM },
  figureValue: { margin: 0, fontWeight: 600 }
});

interface HealthState {
  health: HealthData;
  runs: MailboxRun[];
  quarantine: Page<Quarantined>;
}

const skippedTotal = (run: MailboxRun) => Object.values(run.skipped).reduce((sum, n) => sum + n, 0);

/** A reason code in words, or the code itself when this catalogue does not know it. */
function reasonText(t: (key: AdminKey) => string, reason: string): string {
  const key = `reason_${reason}`;
  return key in adminEn ? t(key as AdminKey) : reason;
}

export function Health() {
  const styles = useStyles();
  const { api, i18n } = useAdmin();
  const [state, setState] = useState<HealthState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [retrying, setRetrying] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [health, runs, quarantine] = await Promise.all([api.health(), api.runs(10), api.quarantine()]);
      setState({ health, runs: runs.items, quarantine });
    } catch (failure) {
      setError(failure);
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  if (error && !state) return <ErrorState error={error} onRetry={() => void load()} />;
  if (!state) return <PaneSkeleton />;
  const { health, runs, quarantine } = state;
  const messageOf = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

  const runNow = async () => {
    setStarting(true);
    setNotice(null);
    setActionError(null);
    try {
      await api.runNow();
      setNotice(i18n.t('runStarted'));
      await load();
    } catch (failure) {
      setActionError(messageOf(failure));
    } finally {
      setStarting(false);
    }
  };

  const retry = async (message: Quarantined) => {
    setRetrying(message.messageId);
    setActionError(null);
    try {
      await api.retryQuarantined(message.messageId);
      setState(
        (previous) =>
          previous && {
            ...previous,
            quarantine: {
              ...previous.quarantine,
              items: previous.quarantine.items.map((item) =>
                item.messageId === message.messageId ? { ...item, status: 'retry-requested' as const } : item
              )
            }
          }
      );
    } catch (failure) {
      setActionError(messageOf(failure));
    } finally {
      setRetrying(null);
    }
  };

  const loadMoreQuarantine = async () => {
    if (!quarantine.nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await api.quarantine(quarantine.nextCursor);
      setState(
        (previous) =>
          previous && {
            ...previous,
            quarantine: { items: [...previous.quarantine.items, ...page.items], nextCursor: page.nextCursor }
          }
      );
    } catch (failure) {
      setActionError(messageOf(failure));
    } finally {
      setLoadingMore(false);
    }
  };

  const skipped = Object.entries(health.skippedLast7Days).filter(([, count]) => count > 0);

  return (
    <div className={styles.view}>
      <div className={styles.header}>
        <Subtitle2 as="h2" block>
          {i18n.t('healthTitle')}
        </Subtitle2>
        <div className={styles.actions}>
          <Button icon={<ArrowClockwiseRegular />} onClick={() => void load()}>
            {i18n.t('refresh')}
          </Button>
          <Button
            appearance="primary"
            icon={starting ? <Spinner size="tiny" /> : <PlayRegular />}
            disabled={starting || !health.configured}
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
      {notice && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {actionError && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{actionError}</MessageBarBody>
        </MessageBar>
      )}
      <dl className={styles.figures}>
        <dt>{i18n.t('backlog')}</dt>
        <dd className={styles.figureValue}>{health.backlog ?? i18n.t('backlogUnknown')}</dd>
        <dt>{i18n.t('captureMode')}</dt>
        <dd>{i18n.t(`captureMode_${health.mode}`)}</dd>
        {health.mode === 'notifications' && (
          <>
            <dt>{i18n.t('notificationsDropped')}</dt>
            <dd className={styles.figureValue}>{health.notificationsDropped}</dd>
          </>
        )}
      </dl>

      <section className={styles.section} aria-labelledby="admin-runs-title">
        <Subtitle2 as="h3" block id="admin-runs-title">
          {i18n.t('runsTitle')}
        </Subtitle2>
        {runs.length === 0 ? (
          <Body1>{i18n.t('noRuns')}</Body1>
        ) : (
          <ul className={styles.list} aria-labelledby="admin-runs-title">
            {runs.map((run) => (
              <li key={run.id} className={styles.item}>
                <div className={styles.row}>
                  <Body1>
                    {i18n.t('runWhen', {
                      date: new Date(run.startedAt).toLocaleString(i18n.tag),
                      trigger: i18n.t(`runTrigger_${run.trigger}`)
                    })}
                  </Body1>
                  <Caption1>{i18n.t(`runStatus_${run.status}`)}</Caption1>
                </div>
                <Caption1 className={styles.muted}>
                  {i18n.t('runCounts', {
                    seen: run.seen,
                    logged: run.logged,
                    skipped: skippedTotal(run),
                    failed: run.failed,
                    quarantined: run.quarantined
                  })}
                </Caption1>
                {run.error && <Caption1>{run.error}</Caption1>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className={styles.section} aria-labelledby="admin-skipped-title">
        <Subtitle2 as="h3" block id="admin-skipped-title">
          {i18n.t('skippedTitle')}
        </Subtitle2>
        {skipped.length === 0 ? (
          <Body1>{i18n.t('skippedNone')}</Body1>
        ) : (
          <dl className={styles.figures}>
            {skipped.map(([reason, count]) => (
              <div key={reason} style={{ display: 'contents' }}>
                <dt>{reasonText(i18n.t, reason)}</dt>
                <dd className={styles.figureValue}>{count}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>

      <section className={styles.section} aria-labelledby="admin-quarantine-title">
        <Subtitle2 as="h3" block id="admin-quarantine-title">
          {i18n.t('quarantineTitle')}
        </Subtitle2>
        {quarantine.items.length === 0 ? (
          <Body1>{i18n.t('quarantineEmpty')}</Body1>
        ) : (
          <ul className={styles.list} aria-labelledby="admin-quarantine-title">
            {quarantine.items.map((message) => (
              <li key={message.messageId} className={styles.item}>
                <Body1>{message.subject || i18n.t('noSubject')}</Body1>
                <Caption1 className={styles.muted}>
                  {i18n.t('quarantineMeta', {
                    sender: message.sender ?? i18n.t('unknownSender'),
                    attempts: message.attempts
                  })}
                </Caption1>
                {message.reason && <Caption1>{i18n.t('quarantineReason', { reason: message.reason })}</Caption1>}
                <div className={styles.row}>
                  {message.status === 'retry-requested' ? (
                    <Caption1 role="status">{i18n.t('retryRequested')}</Caption1>
                  ) : (
                    <Button
                      size="small"
                      disabled={retrying !== null}
                      icon={retrying === message.messageId ? <Spinner size="tiny" /> : undefined}
                      onClick={() => void retry(message)}
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
        {quarantine.nextCursor && (
          <Button disabled={loadingMore} onClick={() => void loadMoreQuarantine()}>
            {loadingMore ? i18n.t('loading') : i18n.t('loadMore')}
          </Button>
        )}
      </section>
    </div>
  );
}
