import {
  Badge,
  Body1,
  Button,
  Caption1,
  Field,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Subtitle1,
  Subtitle2,
  tokens
} from '@fluentui/react-components';
import { ArrowLeftRegular, EditRegular, TrophyRegular, DismissCircleRegular } from '@fluentui/react-icons';
import { Fragment, useCallback, useEffect, useState } from 'react';
import type { Stage } from '../../../shared/limits.js';
import type { Interaction } from '../../../shared/schemas/interaction.js';
import type { Opportunity, OpportunityChange, OpportunityUpdate } from '../../../shared/schemas/opportunity.js';
import { usualCurrency } from '../../i18n/currencies.js';
import type { MessageKey, Translator } from '../../i18n/index.js';
import type { Loadable } from '../data.js';
import { useServices } from '../services.js';
import { useDialogSlot } from './dialog-slot.js';
import { DirectionIcon, ListSection, LoadMore, useLogListStyles } from './log-list.js';
import { stageKey } from './Opportunities.js';
import { CloseDialog, EditDialog } from './OpportunityDialogs.js';
import { explainFailure } from './OpportunityFields.js';
import { StageSelect } from './OpportunityForm.js';
import { ErrorState, PaneSkeleton } from './States.js';

/*
 * One opportunity, opened from the pane: its details, its stage and status moved on the spot, its values
 * edited with the checks of creation, its linked emails and its history of changes. Loaded on first use.
 */

const useStyles = makeStyles({
  view: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  back: { alignSelf: 'flex-start' },
  title: { overflowWrap: 'anywhere' },
  status: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXS,
    margin: 0
  },
  term: { color: tokens.colorNeutralForeground3 },
  detail: { margin: 0, overflowWrap: 'anywhere' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  mover: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS },
  grow: { flex: 1, minWidth: 0 },
  changes: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  change: {
    display: 'flex',
    flexDirection: 'column',
    padding: `${tokens.spacingVerticalXS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`
  }
});

interface OpportunityData {
  opportunity: Opportunity;
  changes: OpportunityChange[];
  entries: Interaction[];
  nextCursor: string | null;
}

const statusKey = (status: Opportunity['status']) => `status_${status}` as MessageKey;

/** "Qualification → Proposal", "Won", "Created in Qualification", "Reopened in Proposal". */
export function describeChange(change: OpportunityChange, i18n: Translator): string {
  const stage = (s: string) => i18n.t(stageKey(s));
  if (change.fromStatus === null) return i18n.t('changeCreated', { stage: stage(change.toStage) });
  if (change.toStatus !== change.fromStatus) {
    if (change.toStatus === 'won') return i18n.t('changeWon');
    if (change.toStatus === 'lost') return i18n.t('changeLost');
    return i18n.t('changeReopened', { stage: stage(change.toStage) });
  }
  return i18n.t('changeStage', { from: stage(change.fromStage ?? change.toStage), to: stage(change.toStage) });
}

function useOpportunityData(id: string) {
  const { api } = useServices();
  const [state, setState] = useState<Loadable<OpportunityData>>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let cancelled = false;
    Promise.all([api.opportunity(id), api.opportunityHistory(id), api.opportunityEntries(id)]).then(
      ([opportunity, history, page]) =>
        !cancelled &&
        setState({
          status: 'ready',
          data: { opportunity, changes: history.items, entries: page.items, nextCursor: page.nextCursor }
        }),
      (error: unknown) => !cancelled && setState({ status: 'error', error })
    );
    return () => {
      cancelled = true;
    };
  }, [api, id, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setVersion((v) => v + 1);
  }, []);
  const loadMore = useCallback(async () => {
    if (state.status !== 'ready' || !state.data.nextCursor) return;
    const page = await api.opportunityEntries(id, state.data.nextCursor);
    setState((previous) =>
      previous.status === 'ready'
        ? {
            status: 'ready',
            data: { ...previous.data, entries: [...previous.data.entries, ...page.items], nextCursor: page.nextCursor }
          }
        : previous
    );
  }, [api, id, state]);
  return { state, reload, retry, loadMore };
}

type Notice = { intent: 'success' | 'error'; text: string };

/**
 * Saving changes to the opportunity: each reported on the view and passed on (`onChanged`) so the lists the pane
 * holds show it at once. `save` lets a dialog show its own failure; `change` is for the view's own buttons.
 */
function useOpportunityChanges(opportunityId: string, reload: () => void, onChanged: () => void) {
  const { api, i18n } = useServices();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (patch: OpportunityUpdate, done: string): Promise<void> => {
    await api.updateOpportunity(opportunityId, patch);
    setNotice({ intent: 'success', text: done });
    reload();
    onChanged();
  };
  const change = async (patch: OpportunityUpdate, done: string) => {
    setBusy(true);
    setNotice(null);
    try {
      await save(patch, done);
    } catch (error) {
      setNotice({ intent: 'error', text: explainFailure(error, i18n).message });
    } finally {
      setBusy(false);
    }
  };
  return { notice, busy, save, change };
}

interface ViewProps {
  opportunityId: string;
  /** The open opportunities the pane shows: their usual currency comes first in the currency list. */
  openOpportunities: Array<{ currency: string | null }>;
  /** What Back returns to: the open message, or the contact a manager drilled into. */
  backLabel?: 'backToMessage' | 'backToContact';
  onBack: () => void;
  /** After every saved change, so the lists the pane holds show it at once. */
  onChanged: () => void;
}

export default function OpportunityView({ backLabel = 'backToMessage', onBack, ...props }: ViewProps) {
  const { i18n } = useServices();
  const styles = useStyles();
  const { state, reload, retry, loadMore } = useOpportunityData(props.opportunityId);
  const back = (
    <Button className={styles.back} appearance="subtle" icon={<ArrowLeftRegular />} onClick={onBack}>
      {i18n.t(backLabel)}
    </Button>
  );
  if (state.status !== 'ready') {
    return (
      <>
        {back}
        {state.status === 'loading' ? <PaneSkeleton /> : <ErrorState error={state.error} onRetry={retry} />}
      </>
    );
  }
  return (
    <section className={styles.view} aria-labelledby="opportunity-title">
      {back}
      <OpportunityDetails {...props} data={state.data} reload={reload} loadMore={loadMore} />
    </section>
  );
}

/** The loaded opportunity: what it is, what can be done with it, its emails and its stage history. */
function OpportunityDetails({
  data: { opportunity, changes, entries, nextCursor },
  openOpportunities,
  reload,
  loadMore,
  onChanged
}: Omit<ViewProps, 'onBack' | 'backLabel'> & {
  data: OpportunityData;
  reload: () => void;
  loadMore: () => Promise<void>;
}) {
  const { i18n } = useServices();
  const styles = useStyles();
  const { notice, busy, save, change } = useOpportunityChanges(opportunity.id, reload, onChanged);
  const { dialog, open: openDialog, close: closeDialog } = useDialogSlot<'edit' | 'won' | 'lost'>();
  return (
    <>
      <OpportunityHeading opportunity={opportunity} />
      <OpportunityFacts opportunity={opportunity} />
      {opportunity.status === 'open' ? (
        <>
          <StageMover
            key={opportunity.stage}
            current={opportunity.stage}
            busy={busy}
            onMove={(stage) => change({ stage }, i18n.t('movedTo', { stage: i18n.t(stageKey(stage)) }))}
          />
          <div className={styles.actions}>
            <Button icon={<TrophyRegular />} disabled={busy} onClick={() => openDialog('won')}>
              {i18n.t('markWon')}
            </Button>
            <Button icon={<DismissCircleRegular />} disabled={busy} onClick={() => openDialog('lost')}>
              {i18n.t('markLost')}
            </Button>
            <Button icon={<EditRegular />} disabled={busy} onClick={() => openDialog('edit')}>
              {i18n.t('editOpportunity')}
            </Button>
          </div>
        </>
      ) : (
        <div className={styles.actions}>
          <Button disabled={busy} onClick={() => void change({ status: 'open' }, i18n.t('reopened'))}>
            {i18n.t('reopen')}
          </Button>
        </div>
      )}
      {notice && (
        <MessageBar intent={notice.intent} role={notice.intent === 'error' ? 'alert' : 'status'}>
          <MessageBarBody>{notice.text}</MessageBarBody>
        </MessageBar>
      )}
      {dialog?.kind === 'edit' && (
        <EditDialog
          key={dialog.serial}
          open={dialog.open}
          opportunity={opportunity}
          usualCurrency={usualCurrency(openOpportunities)}
          onClose={closeDialog}
          onSave={(patch) => save(patch, i18n.t('opportunitySaved'))}
        />
      )}
      {(dialog?.kind === 'won' || dialog?.kind === 'lost') && (
        <CloseDialog
          key={dialog.serial}
          open={dialog.open}
          outcome={dialog.kind}
          opportunity={opportunity}
          onClose={closeDialog}
          onSave={(patch) => save(patch, i18n.t(dialog.kind === 'won' ? 'markedWon' : 'markedLost'))}
        />
      )}
      <LinkedEmails entries={entries} hasMore={nextCursor !== null} onLoadMore={loadMore} />
      <StageHistory changes={changes} />
    </>
  );
}

/** Its description, status and stage. */
function OpportunityHeading({ opportunity }: { opportunity: Opportunity }) {
  const { i18n } = useServices();
  const styles = useStyles();
  return (
    <div>
      <Subtitle1 as="h2" id="opportunity-title" className={styles.title}>
        {opportunity.description}
      </Subtitle1>
      <div className={styles.status}>
        <Badge appearance="tint" size="small" color={STATUS_COLORS[opportunity.status]}>
          {i18n.t(statusKey(opportunity.status))}
        </Badge>{' '}
        <Caption1>{i18n.t(stageKey(opportunity.stage))}</Caption1>
      </div>
    </div>
  );
}

const STATUS_COLORS = { open: 'brand', won: 'success', lost: 'danger' } as const;

/** Value, probability, close date, owner and contact; when and why it closed. */
function OpportunityFacts({ opportunity }: { opportunity: Opportunity }) {
  const { i18n } = useServices();
  const styles = useStyles();
  const closed = opportunity.status !== 'open';
  const facts: Array<[MessageKey, string | false | null]> = [
    [
      'estimatedValue',
      opportunity.estimatedValue !== null && opportunity.currency
        ? i18n.money(opportunity.estimatedValue, opportunity.currency)
        : '—'
    ],
    ['probability', `${opportunity.probability} %`],
    ['expectedCloseDate', opportunity.expectedCloseDate ? i18n.date(opportunity.expectedCloseDate) : '—'],
    ['owner', opportunity.salesperson.name],
    ['contactLabel', opportunity.contact.name],
    ['closedOn', closed && opportunity.closedAt && i18n.date(opportunity.closedAt)],
    ['closeReason', closed && opportunity.closeReason]
  ];
  return (
    <dl className={styles.facts}>
      {facts.map(
        ([term, detail]) =>
          detail && (
            <Fragment key={term}>
              <dt className={styles.term}>{i18n.t(term)}</dt>
              <dd className={styles.detail}>{detail}</dd>
            </Fragment>
          )
      )}
    </dl>
  );
}

/** Every change of stage or status, with who made it, when and why. */
function StageHistory({ changes }: { changes: OpportunityChange[] }) {
  const { i18n } = useServices();
  const styles = useStyles();
  return (
    <section aria-labelledby="opportunity-history-title">
      <Subtitle2 as="h3" id="opportunity-history-title">
        {i18n.t('stageHistoryTitle')}
      </Subtitle2>
      <ul className={styles.changes}>
        {changes.map((change) => (
          <li key={change.id} className={styles.change}>
            <Body1>{describeChange(change, i18n)}</Body1>
            <Caption1>
              {change.by
                ? i18n.t('changeMeta', { date: i18n.date(change.at), name: change.by.name })
                : i18n.date(change.at)}
            </Caption1>
            {change.reason && <Caption1>{i18n.t('reasonQuoted', { reason: change.reason })}</Caption1>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The stage, moved by an explicit button: a select that saved on change would save once per arrow key
 * where browsers change a closed select with the keyboard.
 */
function StageMover({
  current,
  busy,
  onMove
}: {
  current: Stage;
  busy: boolean;
  onMove: (stage: Stage) => Promise<void>;
}) {
  const styles = useStyles();
  const { i18n } = useServices();
  const [picked, setPicked] = useState<Stage>(current);
  return (
    <div className={styles.mover}>
      <Field label={i18n.t('moveToStage')} className={styles.grow}>
        <StageSelect value={picked} disabled={busy} onChange={(stage) => setPicked(stage as Stage)} />
      </Field>
      <Button appearance="primary" disabled={busy || picked === current} onClick={() => void onMove(picked)}>
        {i18n.t('moveStage')}
      </Button>
    </div>
  );
}

function LinkedEmails({
  entries,
  hasMore,
  onLoadMore
}: {
  entries: Interaction[];
  hasMore: boolean;
  onLoadMore: () => Promise<void>;
}) {
  const styles = useLogListStyles();
  const { i18n } = useServices();
  const [loading, setLoading] = useState(false);
  const more = () => {
    setLoading(true);
    onLoadMore().finally(() => setLoading(false));
  };
  return (
    <ListSection
      id="linked-emails-title"
      title={i18n.t('linkedEmailsTitle')}
      heading="h3"
      empty={entries.length === 0}
      emptyText={i18n.t('linkedEmailsEmpty')}
      footer={hasMore && <LoadMore loading={loading} onLoadMore={more} />}
    >
      <ul className={styles.list}>
        {entries.map((entry) => (
          <li key={entry.id} className={styles.item}>
            <DirectionIcon direction={entry.direction} />
            <div className={styles.text}>
              <Body1 className={styles.ellipsis}>{entry.subject || i18n.t('noSubject')}</Body1>
              <Caption1 className={styles.meta}>
                {i18n.date(entry.occurredAt)} · {entry.direction === 'inbound' ? i18n.t('inbound') : i18n.t('outbound')}{' '}
                · {i18n.t('withSalesperson', { name: entry.salesperson.name })}
              </Caption1>
            </div>
          </li>
        ))}
      </ul>
    </ListSection>
  );
}
