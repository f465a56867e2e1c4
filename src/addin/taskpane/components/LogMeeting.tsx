import { Button, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { CalendarCheckmarkRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { LogThreadResult } from '../../../shared/schemas/interaction.js';
import type { MailItem } from '../../office/types.js';
import { useServices } from '../services.js';
import { readOpenMeeting } from '../thread.js';
import { logFailure, LogFailureBar, LogResult, MEETING_RESULT, type LogFailure } from './LogThread.js';

type Progress =
  { step: 'idle' } | { step: 'logging' } | { step: 'unsaved' } | { step: 'done'; result: LogThreadResult } | LogFailure;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS }
});

/**
 * Log this meeting, on a calendar item: one entry per contact and salesperson at it, whoever logs it (the API
 * keeps one per pair). A meeting being organized can be logged once saved, when Graph knows its iCalUId.
 */
export function LogMeetingAction({ item, onLogged }: { item: MailItem; onLogged: () => void }) {
  const services = useServices();
  const { i18n } = services;
  const styles = useStyles();
  const [progress, setProgress] = useState<Progress>(() => (item.restId ? { step: 'idle' } : { step: 'unsaved' }));
  const busy = progress.step === 'logging';

  const run = async () => {
    setProgress({ step: 'logging' });
    try {
      const event = await readOpenMeeting(services, item);
      if (!event) {
        setProgress({ step: 'unsaved' });
        return;
      }
      setProgress({ step: 'done', result: await services.api.logMeeting(event) });
      onLogged();
    } catch (error) {
      setProgress(logFailure(error, i18n, 'meetingLogFailed'));
    }
  };

  return (
    <div className={styles.root}>
      <Button
        appearance="primary"
        icon={<CalendarCheckmarkRegular />}
        disabled={busy || progress.step === 'unsaved'}
        onClick={run}
      >
        {busy ? i18n.t('loggingMeeting') : i18n.t('logMeeting')}
      </Button>
      {progress.step === 'unsaved' && <Caption1>{i18n.t('meetingNotSaved')}</Caption1>}
      {progress.step === 'done' && <LogResult result={progress.result} meeting={MEETING_RESULT} />}
      {progress.step === 'failed' && <LogFailureBar failure={progress} onRetry={run} />}
    </div>
  );
}
