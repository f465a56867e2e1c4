import {
  Badge,
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Select,
  Subtitle1,
  Subtitle2,
  Textarea,
  tokens
} from '@fluentui/react-components';
import { ArrowLeftRegular, EditRegular, TrophyRegular, DismissCircleRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import { MAX_CLOSE_REASON_LENGTH, STAGES } from '../../../shared/limits.js';
import type { Interaction } from '../../../shared/schemas/interaction.js';
import type { Opportunity, OpportunityChange, OpportunityUpdate } from '../../../shared/schemas/opportunity.js';
import { usualCurrency } from '../../i18n/currencies.js';
import type { MessageKey } from '../../i18n/index.js';
import type { Translator } from '../../i18n/index.js';
import type { Loadable } from '../data.js';
import { useServices } from '../services.js';
import { FormDialog } from './FormDialog.js';
import { DirectionIcon, LoadMore, useLogListStyles } from './log-list.js';
import { stageKey } from './Opportunities.js';
import {
  explainFailure,
  formFromOpportunity,
  MoneyFields,
  moneyValues,
  validateMoneyForm,
  type FieldErrors,
  type MoneyField,
  type MoneyForm
} from './OpportunityFields.js';
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

type Dialog = { kind: 'edit' | 'won' | 'lost'; open: boolean; serial: number };

export default function OpportunityView({
  opportunityId,
  openOpportunities,
  backLabel = 'backToMessage',
  onBack,
  onChanged
}: {
  opportunityId: string;
  /** The open opportunities the pane shows: their usual currency comes first in the currency list. */
  openOpportunities: Array<{ currency: string | null }>;
  /** What Back returns to: the open message, or the contact a manager drilled into. */
  backLabel?: 'backToMessage' | 'backToContact';
  onBack: () => void;
  /** After every saved change, so the lists the pane holds show it at once. */
  onChanged: () => void;
}) {
  const { api, i18n } = useServices();
  const styles = useStyles();
  const { state, reload, retry, loadMore } = useOpportunityData(opportunityId);
  const [notice, setNotice] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const openDialog = (kind: Dialog['kind']) =>
    setDialog((previous) => ({ kind, open: true, serial: (previous?.serial ?? 0) + 1 }));
  const closeDialog = () => setDialog((previous) => previous && { ...previous, open: false });

  const back = (
    <Button className={styles.back} appearance="subtle" icon={<ArrowLeftRegular />} onClick={onBack}>
      {i18n.t(backLabel)}
    </Button>
  );
  if (state.status === 'loading') {
    return (
      <>
        {back}
        <PaneSkeleton />
      </>
    );
  }
  if (state.status === 'error') {
    return (
      <>
        {back}
        <ErrorState error={state.error} onRetry={retry} />
      </>
    );
  }
  const { opportunity, changes, entries, nextCursor } = state.data;
  const isOpen = opportunity.status === 'open';

  /** Saves a change; the caller's dialog shows field errors, a stage move shows its failure here. */
  const save = async (patch: OpportunityUpdate, done: string): Promise<void> => {
    await api.updateOpportunity(opportunity.id, patch);
    setNotice({ intent: 'success', text: done });
    reload();
    onChanged();
  };
  const moveTo = async (stage: string) => {
    setBusy(true);
    setNotice(null);
    try {
      await save({ stage: stage as Opportunity['stage'] }, i18n.t('movedTo', { stage: i18n.t(stageKey(stage)) }));
    } catch (error) {
      setNotice({ intent: 'error', text: explainFailure(error, i18n).message });
    } finally {
      setBusy(false);
    }
  };
  const reopen = async () => {
    setBusy(true);
    setNotice(null);
    try {
      await save({ status: 'open' }, i18n.t('reopened'));
    } catch (error) {
      setNotice({ intent: 'error', text: explainFailure(error, i18n).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.view} aria-labelledby="opportunity-title">
      {back}
      <div>
        <Subtitle1 as="h2" id="opportunity-title" className={styles.title}>
          {opportunity.description}
        </Subtitle1>
        <div className={styles.status}>
          <Badge
            appearance="tint"
            size="small"
            color={isOpen ? 'brand' : opportunity.status === 'won' ? 'success' : 'danger'}
          >
            {i18n.t(statusKey(opportunity.status))}
          </Badge>{' '}
          <Caption1>{i18n.t(stageKey(opportunity.stage))}</Caption1>
        </div>
      </div>
      <dl className={styles.facts}>
        <dt className={styles.term}>{i18n.t('estimatedValue')}</dt>
        <dd className={styles.detail}>
          {opportunity.estimatedValue !== null && opportunity.currency
            ? i18n.money(opportunity.estimatedValue, opportunity.currency)
            : '—'}
        </dd>
        <dt className={styles.term}>{i18n.t('probability')}</dt>
        <dd className={styles.detail}>{`${opportunity.probability} %`}</dd>
        <dt className={styles.term}>{i18n.t('expectedCloseDate')}</dt>
        <dd className={styles.detail}>
          {opportunity.expectedCloseDate ? i18n.date(opportunity.expectedCloseDate) : '—'}
        </dd>
        <dt className={styles.term}>{i18n.t('owner')}</dt>
        <dd className={styles.detail}>{opportunity.salesperson.name}</dd>
        <dt className={styles.term}>{i18n.t('contactLabel')}</dt>
        <dd className={styles.detail}>{opportunity.contact.name}</dd>
        {!isOpen && opportunity.closedAt && (
          <>
            <dt className={styles.term}>{i18n.t('closedOn')}</dt>
            <dd className={styles.detail}>{i18n.date(opportunity.closedAt)}</dd>
          </>
        )}
        {!isOpen && opportunity.closeReason && (
          <>
            <dt className={styles.term}>{i18n.t('closeReason')}</dt>
            <dd className={styles.detail}>{opportunity.closeReason}</dd>
          </>
        )}
      </dl>
      {isOpen ? (
        <>
          <StageMover key={opportunity.stage} current={opportunity.stage} busy={busy} onMove={moveTo} />
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
          <Button disabled={busy} onClick={() => void reopen()}>
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
  current: Opportunity['stage'];
  busy: boolean;
  onMove: (stage: string) => Promise<void>;
}) {
  const styles = useStyles();
  const { i18n } = useServices();
  const [picked, setPicked] = useState<string>(current);
  return (
    <div className={styles.mover}>
      <Field label={i18n.t('moveToStage')} className={styles.grow}>
        <Select value={picked} disabled={busy} onChange={(_e, d) => setPicked(d.value)}>
          {STAGES.map((stage) => (
            <option key={stage} value={stage}>
              {i18n.t(stageKey(stage))}
            </option>
          ))}
        </Select>
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
    <section aria-labelledby="linked-emails-title">
      <Subtitle2 as="h3" id="linked-emails-title">
        {i18n.t('linkedEmailsTitle')}
      </Subtitle2>
      {entries.length === 0 ? (
        <Body1 as="p">{i18n.t('linkedEmailsEmpty')}</Body1>
      ) : (
        <ul className={styles.list}>
          {entries.map((entry) => (
            <li key={entry.id} className={styles.item}>
              <DirectionIcon direction={entry.direction} />
              <div className={styles.text}>
                <Body1 className={styles.ellipsis}>{entry.subject || i18n.t('noSubject')}</Body1>
                <Caption1 className={styles.meta}>
                  {i18n.date(entry.occurredAt)} ·{' '}
                  {entry.direction === 'inbound' ? i18n.t('inbound') : i18n.t('outbound')} ·{' '}
                  {i18n.t('withSalesperson', { name: entry.salesperson.name })}
                </Caption1>
              </div>
            </li>
          ))}
        </ul>
      )}
      {hasMore && <LoadMore loading={loading} onLoadMore={more} />}
    </section>
  );
}

/** Value, currency, probability, expected close date and description, checked as when creating. */
function EditDialog({
  open,
  opportunity,
  usualCurrency,
  onClose,
  onSave
}: {
  open: boolean;
  opportunity: Opportunity;
  usualCurrency: string | null;
  onClose: () => void;
  onSave: (patch: OpportunityUpdate) => Promise<void>;
}) {
  const { i18n } = useServices();
  const [form, setForm] = useState<MoneyForm>(() => formFromOpportunity(opportunity, i18n.tag));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const set = (name: MoneyField) => (value: string) => {
    setForm((previous) => ({ ...previous, [name]: value }));
    setErrors((previous) => ({ ...previous, [name]: undefined }));
  };
  const submit = async () => {
    const found = validateMoneyForm(form, i18n, true);
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    setBusy(true);
    setFailure(null);
    try {
      await onSave({ ...moneyValues(form, i18n), probability: Number(form.probability) });
      onClose();
    } catch (error) {
      const explained = explainFailure(error, i18n);
      setErrors(explained.fields);
      setFailure(explained.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormDialog
      open={open}
      title={i18n.t('editOpportunityTitle')}
      submitLabel={i18n.t('save')}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field label={i18n.t('description')} required validationMessage={errors.description}>
        <Input value={form.description} onChange={(_e, d) => set('description')(d.value)} maxLength={500} />
      </Field>
      <MoneyFields form={form} errors={errors} usualCurrency={usualCurrency} withProbability i18n={i18n} set={set} />
    </FormDialog>
  );
}

/** Won or lost, with the reason: required when lost. */
function CloseDialog({
  open,
  outcome,
  opportunity,
  onClose,
  onSave
}: {
  open: boolean;
  outcome: 'won' | 'lost';
  opportunity: Opportunity;
  onClose: () => void;
  onSave: (patch: OpportunityUpdate) => Promise<void>;
}) {
  const { i18n } = useServices();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const submit = async () => {
    if (outcome === 'lost' && !reason.trim()) {
      setError(i18n.t('closeReasonRequired'));
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await onSave({ status: outcome, closeReason: reason.trim() || null });
      onClose();
    } catch (caught) {
      const explained = explainFailure(caught, i18n);
      setError(explained.fields.closeReason);
      setFailure(explained.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormDialog
      open={open}
      title={i18n.t(outcome === 'won' ? 'markWonTitle' : 'markLostTitle', { name: opportunity.description })}
      submitLabel={i18n.t(outcome === 'won' ? 'markWon' : 'markLost')}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field
        label={i18n.t(outcome === 'won' ? 'closeReasonOptional' : 'closeReason')}
        required={outcome === 'lost'}
        validationMessage={error}
      >
        <Textarea
          value={reason}
          maxLength={MAX_CLOSE_REASON_LENGTH}
          resize="vertical"
          onChange={(_e, d) => {
            setReason(d.value);
            setError(undefined);
          }}
        />
      </Field>
    </FormDialog>
  );
}
