import { Field, Textarea } from '@fluentui/react-components';
import { MAX_CLOSE_REASON_LENGTH } from '../../../shared/limits.js';
import type { Opportunity, OpportunityUpdate } from '../../../shared/schemas/opportunity.js';
import { useServices } from '../services.js';
import { FormDialog, useDialogSave, useFields } from './FormDialog.js';
import { explainFailure, formFromOpportunity, moneyValues } from './OpportunityFields.js';
import { OpportunityForm, useOpportunityForm } from './OpportunityForm.js';

/* The dialogs of an open opportunity's view: each saves through `onSave`, which reports success on the view. */

/** Value, currency, probability, expected close date and description, checked as when creating. */
export function EditDialog({
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
  const { form, errors, set, dialog, submit } = useOpportunityForm(
    'edit',
    () => ({ ...formFromOpportunity(opportunity, i18n.tag), stage: opportunity.stage }),
    onClose
  );
  return (
    <FormDialog
      open={open}
      title={i18n.t('editOpportunityTitle')}
      submitLabel={i18n.t('save')}
      onSubmit={() =>
        submit((edited) => onSave({ ...moneyValues(edited, i18n), probability: Number(edited.probability) }))
      }
      {...dialog}
    >
      <OpportunityForm purpose="edit" form={form} errors={errors} set={set} usualCurrency={usualCurrency} />
    </FormDialog>
  );
}

/** Won or lost, with the reason: required when lost. */
export function CloseDialog({
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
  const { form, errors, set, setErrors, accept } = useFields(() => ({ closeReason: '' }));
  const { dialog, save } = useDialogSave(onClose);
  const reason = form.closeReason.trim();
  const submit = () => {
    if (!accept(outcome === 'lost' && !reason ? { closeReason: i18n.t('closeReasonRequired') } : {})) return;
    void save(
      () => onSave({ status: outcome, closeReason: reason || null }),
      (error) => {
        const explained = explainFailure(error, i18n);
        setErrors({ closeReason: explained.fields.closeReason });
        return explained.message;
      }
    );
  };
  return (
    <FormDialog
      open={open}
      title={i18n.t(outcome === 'won' ? 'markWonTitle' : 'markLostTitle', { name: opportunity.description })}
      submitLabel={i18n.t(outcome === 'won' ? 'markWon' : 'markLost')}
      onSubmit={submit}
      {...dialog}
    >
      <Field
        label={i18n.t(outcome === 'won' ? 'closeReasonOptional' : 'closeReason')}
        required={outcome === 'lost'}
        validationMessage={errors.closeReason}
      >
        <Textarea
          value={form.closeReason}
          maxLength={MAX_CLOSE_REASON_LENGTH}
          resize="vertical"
          onChange={(_e, d) => set('closeReason')(d.value)}
        />
      </Field>
    </FormDialog>
  );
}
