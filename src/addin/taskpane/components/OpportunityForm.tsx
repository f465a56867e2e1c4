import { Field, Input, Select } from '@fluentui/react-components';
import { STAGES, type Stage } from '../../../shared/limits.js';
import { useServices } from '../services.js';
import { useDialogSave, useFields } from './FormDialog.js';
import { stageKey } from './Opportunities.js';
import {
  explainFailure,
  MoneyFields,
  validateMoneyForm,
  type FieldErrors,
  type MoneyField,
  type MoneyForm
} from './OpportunityFields.js';

/*
 * The opportunity form, one for creating and for editing, so both ask and check alike. Creating asks for the
 * stage (the probability follows from it); editing asks for the probability (the stage moves on the view).
 */

export type FormPurpose = 'create' | 'edit';

export interface OpportunityFormState extends MoneyForm {
  stage: Stage;
}

/** The form's values, checks and save, for a dialog that `onClose` closes. */
export function useOpportunityForm(purpose: FormPurpose, initial: () => OpportunityFormState, onClose: () => void) {
  const { i18n } = useServices();
  const fields = useFields<OpportunityFormState, keyof FieldErrors>(initial);
  const { dialog, save } = useDialogSave(onClose);
  /** Runs `action`; a refusal marks the fields the API named and says what went wrong. */
  const saveExplained = (action: () => Promise<void>) =>
    save(action, (error) => {
      const explained = explainFailure(error, i18n);
      fields.setErrors(explained.fields);
      return explained.message;
    });
  /** Checks the form as the API would, then saves it with `action`. */
  const submit = (action: (form: OpportunityFormState) => Promise<void>) => {
    if (fields.accept(validateMoneyForm(fields.form, i18n, purpose))) {
      void saveExplained(() => action(fields.form));
    }
  };
  return { ...fields, dialog, submit, saveExplained };
}

/** The stages to pick from, in their order. */
export function StageSelect({
  value,
  disabled,
  onChange
}: {
  value: string;
  disabled?: boolean;
  onChange: (stage: string) => void;
}) {
  const { i18n } = useServices();
  return (
    <Select value={value} disabled={disabled} onChange={(_e, d) => onChange(d.value)}>
      {STAGES.map((stage) => (
        <option key={stage} value={stage}>
          {i18n.t(stageKey(stage))}
        </option>
      ))}
    </Select>
  );
}

/** Description, the stage or the probability (see above), value, currency and expected close date. */
export function OpportunityForm({
  purpose,
  form,
  errors,
  set,
  usualCurrency
}: {
  purpose: FormPurpose;
  form: OpportunityFormState;
  errors: FieldErrors;
  set: (name: MoneyField | 'stage') => (value: string) => void;
  /** Offered first in the currency list. */
  usualCurrency: string | null;
}) {
  const { i18n } = useServices();
  return (
    <>
      <Field label={i18n.t('description')} required validationMessage={errors.description}>
        <Input value={form.description} onChange={(_e, d) => set('description')(d.value)} maxLength={500} />
      </Field>
      {purpose === 'create' && (
        <Field label={i18n.t('stage')}>
          <StageSelect value={form.stage} onChange={set('stage')} />
        </Field>
      )}
      <MoneyFields
        form={form}
        errors={errors}
        usualCurrency={usualCurrency}
        withProbability={purpose === 'edit'}
        i18n={i18n}
        set={set}
      />
    </>
  );
}
