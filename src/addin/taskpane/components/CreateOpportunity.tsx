import { Caption1, Field, Input, Radio, RadioGroup, Select } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { Contact } from '../../../shared/schemas/directory.js';
import { STAGES, type Stage } from '../../../shared/limits.js';
import type { Opportunity } from '../../../shared/schemas/opportunity.js';
import { usualCurrency } from '../../i18n/currencies.js';
import type { MailItem } from '../../office/types.js';
import { useServices, type PaneServices } from '../services.js';
import { logMessages, readOpenThread } from '../thread.js';
import { FormDialog } from './FormDialog.js';
import { stageKey } from './Opportunities.js';
import {
  explainFailure,
  MoneyFields,
  moneyValues,
  validateMoneyForm,
  type FieldErrors,
  type MoneyField,
  type MoneyForm
} from './OpportunityFields.js';

interface FormState extends MoneyForm {
  stage: Stage;
}

/** "RE: FW: Pricing" → "Pricing": the thread's topic makes a good first description. */
export const topicOf = (subject: string) =>
  subject.replace(/^(\s*(re|fw|fwd|aw|sv|vs|vl|ris|r|i|tr)\s*:\s*)+/i, '').trim();

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
  const usual = usualCurrency(openOpportunities);
  const [form, setForm] = useState<FormState>(() => ({
    description: topicOf(item.subject),
    stage: 'qualification',
    estimatedValue: '',
    currency: usual ?? 'EUR',
    probability: '',
    expectedCloseDate: ''
  }));
  const [target, setTarget] = useState<'new' | string>('new');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [linkable, setLinkable] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const chosen = openOpportunities.find((opportunity) => opportunity.id === target) ?? null;

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

  const set = (name: MoneyField | 'stage') => (value: string) => {
    setForm((previous) => ({ ...previous, [name]: value }));
    setErrors((previous) => ({ ...previous, [name]: undefined }));
  };

  const submit = async () => {
    const found = chosen ? {} : validateMoneyForm(form, i18n, false);
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    setBusy(true);
    setFailure(null);
    try {
      const interactionIds = await threadEntryIds(services, item, contact, true).catch(() => []);
      if (!chosen) {
        const created = await services.api.createOpportunity({
          ...moneyValues(form, i18n),
          contactId: contact.id,
          interactionIds,
          stage: form.stage
        });
        onDone(i18n.t('opportunityCreated', { name: created.description }));
      } else {
        const updated = await services.api.updateOpportunity(chosen.id, { linkInteractionIds: interactionIds });
        onDone(i18n.t('opportunityLinked', { name: updated.description }));
      }
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
      title={chosen ? i18n.t('addThreadTitle') : i18n.t('createOpportunityTitle')}
      submitLabel={chosen ? i18n.t('addToNamed', { name: chosen.description }) : i18n.t('create')}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onClose={onClose}
    >
      {openOpportunities.length > 0 && (
        <Field label={i18n.t('threadChoice')}>
          <RadioGroup value={target} onChange={(_event, data) => setTarget(data.value)}>
            <Radio value="new" label={i18n.t('createNewOpportunity')} />
            {openOpportunities.map((opportunity) => (
              <Radio
                key={opportunity.id}
                value={opportunity.id}
                label={i18n.t('addToNamed', { name: opportunity.description })}
              />
            ))}
          </RadioGroup>
        </Field>
      )}
      {!chosen && (
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
          <MoneyFields
            form={form}
            errors={errors}
            usualCurrency={usual}
            withProbability={false}
            i18n={i18n}
            set={set}
          />
        </>
      )}
      <Caption1>{chosen ? i18n.t('addLogsThread', { name: chosen.description }) : i18n.t('createLogsThread')}</Caption1>
      {linkable !== null && linkable > 0 && <Caption1>{i18n.count('linkThreadNote', linkable)}</Caption1>}
    </FormDialog>
  );
}
