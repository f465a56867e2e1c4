import { Caption1, Field, Radio, RadioGroup } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { Contact } from '../../../shared/schemas/directory.js';
import type { Opportunity } from '../../../shared/schemas/opportunity.js';
import { usualCurrency } from '../../i18n/currencies.js';
import type { MailItem } from '../../office/types.js';
import { useServices, type PaneServices } from '../services.js';
import { logMessages, readOpenThread } from '../thread.js';
import { FormDialog } from './FormDialog.js';
import { moneyValues } from './OpportunityFields.js';
import { OpportunityForm, useOpportunityForm, type OpportunityFormState } from './OpportunityForm.js';

/** "RE: FW: Pricing" → "Pricing": the thread's topic makes a good first description. */
export const topicOf = (subject: string) =>
  subject.replace(/^(\s*(re|fw|fwd|aw|sv|vs|vl|ris|r|i|tr)\s*:\s*)+/i, '').trim();

type ReadThread = Awaited<ReturnType<typeof readOpenThread>>;

/**
 * The thread's entries with this contact that no other opportunity holds yet. `beforeLookup` runs on the
 * thread's messages before its entries are looked up (saving logs them, so its newest messages count too).
 */
async function threadEntryIds(
  services: PaneServices,
  item: MailItem,
  contact: Contact,
  beforeLookup: (messages: ReadThread) => Promise<unknown> = async () => undefined
) {
  const messages = await readOpenThread(services, item);
  const conversationId = messages.find((m) => m.conversationId)?.conversationId;
  if (!conversationId) return [];
  await beforeLookup(messages);
  const page = await services.api.threadEntries(conversationId, contact.id);
  return page.items.filter((entry) => entry.opportunityId === null).map((entry) => entry.id);
}

/** The thread choice that makes a new opportunity (the others are ids of open ones). */
const NEW = 'new';

/** How many of the thread's entries the new or chosen opportunity would take (null until known). */
function useLinkableCount(item: MailItem, contact: Contact): number | null {
  const services = useServices();
  const [linkable, setLinkable] = useState<number | null>(null);
  useEffect(() => {
    let cancelled = false;
    threadEntryIds(services, item, contact).then(
      (ids) => !cancelled && setLinkable(ids.length),
      () => !cancelled && setLinkable(null)
    );
    return () => {
      cancelled = true;
    };
  }, [contact, item, services]);
  return linkable;
}

/** A new opportunity, or one of the contact's open ones to add the thread to. */
function ThreadChoice({
  openOpportunities,
  target,
  onChange
}: {
  openOpportunities: Opportunity[];
  target: string;
  onChange: (target: string) => void;
}) {
  const { i18n } = useServices();
  return (
    <Field label={i18n.t('threadChoice')}>
      <RadioGroup value={target} onChange={(_event, data) => onChange(data.value)}>
        <Radio value={NEW} label={i18n.t('createNewOpportunity')} />
        {openOpportunities.map((opportunity) => (
          <Radio
            key={opportunity.id}
            value={opportunity.id}
            label={i18n.t('addToNamed', { name: opportunity.description })}
          />
        ))}
      </RadioGroup>
    </Field>
  );
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
  const opportunityForm = useOpportunityForm(
    'create',
    () => ({
      description: topicOf(item.subject),
      stage: 'qualification',
      estimatedValue: '',
      currency: usual ?? 'EUR',
      probability: '',
      expectedCloseDate: ''
    }),
    onClose
  );
  const [target, setTarget] = useState(NEW);
  const linkable = useLinkableCount(item, contact);
  const chosen = openOpportunities.find((opportunity) => opportunity.id === target) ?? null;
  const threadEntries = () =>
    threadEntryIds(services, item, contact, (messages) => logMessages(services, messages, item.sharedOwner)).catch(
      () => []
    );

  const create = async (form: OpportunityFormState) => {
    const created = await services.api.createOpportunity({
      ...moneyValues(form, i18n),
      contactId: contact.id,
      interactionIds: await threadEntries(),
      stage: form.stage
    });
    onDone(i18n.t('opportunityCreated', { name: created.description }));
  };
  const link = async (to: Opportunity) => {
    const updated = await services.api.updateOpportunity(to.id, { linkInteractionIds: await threadEntries() });
    onDone(i18n.t('opportunityLinked', { name: updated.description }));
  };
  const submit = () =>
    chosen ? void opportunityForm.saveExplained(() => link(chosen)) : opportunityForm.submit(create);

  return (
    <FormDialog
      open={open}
      title={chosen ? i18n.t('addThreadTitle') : i18n.t('createOpportunityTitle')}
      submitLabel={chosen ? i18n.t('addToNamed', { name: chosen.description }) : i18n.t('create')}
      onSubmit={submit}
      {...opportunityForm.dialog}
    >
      {openOpportunities.length > 0 && (
        <ThreadChoice openOpportunities={openOpportunities} target={target} onChange={setTarget} />
      )}
      {!chosen && (
        <OpportunityForm
          purpose="create"
          form={opportunityForm.form}
          errors={opportunityForm.errors}
          set={opportunityForm.set}
          usualCurrency={usual}
        />
      )}
      <Caption1>{chosen ? i18n.t('addLogsThread', { name: chosen.description }) : i18n.t('createLogsThread')}</Caption1>
      {linkable !== null && linkable > 0 && <Caption1>{i18n.count('linkThreadNote', linkable)}</Caption1>}
    </FormDialog>
  );
}
