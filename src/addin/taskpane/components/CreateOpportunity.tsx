import { Caption1, Field, Input, makeStyles, Radio, RadioGroup, Select, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { Contact } from '../../../shared/schemas/directory.js';
import { STAGES, type Stage } from '../../../shared/limits.js';
import type { Opportunity } from '../../../shared/schemas/opportunity.js';
import { ApiError } from '../../api/client.js';
import type { MailItem } from '../../office/types.js';
import { useServices, type PaneServices } from '../services.js';
import { logMessages, readOpenThread } from '../thread.js';
import { DateField } from './DateField.js';
import { FormDialog } from './FormDialog.js';
import { stageKey } from './Opportunities.js';

const useStyles = makeStyles({
  row: { display: 'grid', gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 1fr)', gap: tokens.spacingHorizontalS },
  // Fluent inputs keep a minimum width that would overflow a 320 px pane.
  input: { minWidth: 0, width: '100%' }
});

interface FormState {
  description: string;
  stage: Stage;
  estimatedValue: string;
  currency: string;
  expectedCloseDate: string;
}
type FieldName = keyof FormState;
type Errors = Partial<Record<FieldName, string>>;

/** "RE: FW: Pricing" → "Pricing": the thread's topic makes a good first description. */
export const topicOf = (subject: string) =>
  subject.replace(/^(\s*(re|fw|fwd|aw|sv|vs|vl|ris|r|i|tr)\s*:\s*)+/i, '').trim();

export function validate(form: FormState, t: PaneServices['i18n']['t']): Errors {
  const errors: Errors = {};
  if (!form.description.trim()) errors.description = t('descriptionRequired');
  if (form.estimatedValue.trim() !== '') {
    const value = Number(form.estimatedValue.replace(',', '.'));
    if (!Number.isFinite(value) || value < 0 || value > 1e12) errors.estimatedValue = t('valueInvalid');
    if (!/^[A-Z]{3}$/.test(form.currency.trim().toUpperCase())) errors.currency = t('currencyInvalid');
  }
  if (form.expectedCloseDate && !/^\d{4}-\d{2}-\d{2}$/.test(form.expectedCloseDate))
    errors.expectedCloseDate = t('dateInvalid');
  return errors;
}

/** The thread's entries with this contact that no other opportunity holds yet. */
async function threadEntryIds(services: PaneServices, item: MailItem, contact: Contact, logFirst: boolean) {
  const messages = await readOpenThread(services, item);
  const conversationId = messages.find((m) => m.conversationId)?.conversationId;
  if (!conversationId) return [];
  if (logFirst) await logMessages(services, messages);
  const page = await services.api.threadEntries(conversationId, contact.id);
  return page.items.filter((entry) => entry.opportunityId === null).map((entry) => entry.id);
}

/** Loaded on first use (React.lazy), so the pane's first download stays small. */
export default function CreateOpportunityDialog({
  item,
  contact,
  openOpportunities,
  onDone,
  onClose,
  open
}: {
  item: MailItem;
  contact: Contact;
  openOpportunities: Opportunity[];
  onDone: (message: string) => void;
  onClose: () => void;
  open: boolean;
}) {
  const services = useServices();
  const { i18n } = services;
  const styles = useStyles();
  const [form, setForm] = useState<FormState>(() => ({
    description: topicOf(item.subject),
    stage: 'qualification',
    estimatedValue: '',
    currency: 'EUR',
    expectedCloseDate: ''
  }));
  const [target, setTarget] = useState<'new' | string>('new');
  const [errors, setErrors] = useState<Errors>({});
  const [linkable, setLinkable] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    threadEntryIds(services, item, contact, false).then(
      (ids) => !cancelled && setLinkable(ids.length),
      () => !cancelled && setLinkable(null)
    );
    return () => {
      cancelled = true;
    };
  }, [contact, item, services]);

  const set = (name: FieldName) => (value: string) => {
    setForm((previous) => ({ ...previous, [name]: value }));
    setErrors((previous) => ({ ...previous, [name]: undefined }));
  };

  const submit = async () => {
    const found = target === 'new' ? validate(form, i18n.t) : {};
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    setBusy(true);
    setFailure(null);
    try {
      const interactionIds = await threadEntryIds(services, item, contact, true).catch(() => []);
      if (target === 'new') {
        const value = form.estimatedValue.trim() === '' ? null : Number(form.estimatedValue.replace(',', '.'));
        const created = await services.api.createOpportunity({
          description: form.description.trim(),
          contactId: contact.id,
          interactionIds,
          stage: form.stage,
          estimatedValue: value,
          currency: value === null ? null : form.currency.trim().toUpperCase(),
          expectedCloseDate: form.expectedCloseDate || null
        });
        onDone(i18n.t('opportunityCreated', { name: created.description }));
      } else {
        const updated = await services.api.updateOpportunity(target, { linkInteractionIds: interactionIds });
        onDone(i18n.t('opportunityLinked', { name: updated.description }));
      }
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.problem?.errors) {
        const fromServer: Errors = {};
        for (const fieldError of error.problem.errors) {
          const name = fieldError.pointer.replace(/^#\//, '').split('/')[0] as FieldName;
          if (name in form) fromServer[name] = fieldError.detail;
        }
        setErrors(fromServer);
      }
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDialog
      open={open}
      title={i18n.t('createOpportunityTitle')}
      submitLabel={target === 'new' ? i18n.t('create') : i18n.t('addToOpportunity')}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onClose={onClose}
    >
      {openOpportunities.length > 0 && (
        <Field label={i18n.t('linkToExisting')}>
          <RadioGroup value={target} onChange={(_event, data) => setTarget(data.value)}>
            <Radio value="new" label={i18n.t('createOpportunity')} />
            {openOpportunities.map((opportunity) => (
              <Radio key={opportunity.id} value={opportunity.id} label={opportunity.description} />
            ))}
          </RadioGroup>
        </Field>
      )}
      {target === 'new' && (
        <>
          <Field label={i18n.t('description')} required validationMessage={errors.description}>
            <Input value={form.description} onChange={(_e, d) => set('description')(d.value)} maxLength={500} />
          </Field>
          <Field label={i18n.t('stage')}>
            <Select value={form.stage} onChange={(_e, d) => set('stage')(d.value)}>
              {STAGES.map((stage) => (
                <option key={stage} value={stage}>
                  {i18n.t(stageKey(stage))}
                </option>
              ))}
            </Select>
          </Field>
          <div className={styles.row}>
            <Field label={i18n.t('estimatedValue')} validationMessage={errors.estimatedValue}>
              <Input
                className={styles.input}
                type="number"
                inputMode="decimal"
                min={0}
                value={form.estimatedValue}
                onChange={(_e, d) => set('estimatedValue')(d.value)}
              />
            </Field>
            <Field label={i18n.t('currency')} validationMessage={errors.currency}>
              <Input
                className={styles.input}
                value={form.currency}
                maxLength={3}
                onChange={(_e, d) => set('currency')(d.value.toUpperCase())}
              />
            </Field>
          </div>
          <Field label={i18n.t('expectedCloseDate')} validationMessage={errors.expectedCloseDate}>
            <DateField value={form.expectedCloseDate} onChange={set('expectedCloseDate')} />
          </Field>
        </>
      )}
      {linkable !== null && linkable > 0 && <Caption1>{i18n.count('linkThreadNote', linkable)}</Caption1>}
    </FormDialog>
  );
}
