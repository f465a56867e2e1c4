import { Combobox, Field, Input, makeStyles, Option, tokens } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { EARLIEST_CLOSE_DATE, LATEST_CLOSE_DATE } from '../../../shared/limits.js';
import type { Opportunity } from '../../../shared/schemas/opportunity.js';
import { failureOf, failureText, fieldMessagesOf, type Failure } from '../../api/problems.js';
import { formatAmountForInput, parseAmount } from '../../i18n/amount.js';
import { COMMON_CURRENCIES, currencyChoices, currencyLabel, isCurrencyCode } from '../../i18n/currencies.js';
import type { MessageKey } from '../../i18n/index.js';
import type { Translator } from '../../i18n/index.js';
import { DateField, UNREADABLE_DATE } from './DateField.js';

/*
 * The fields an opportunity is described by, their inline checks, and what a refusal of the API means for
 * them: one place, used by "Create opportunity" and by editing an open one, so both check alike.
 */

const useStyles = makeStyles({
  // Aligned at the bottom, so a label that wraps (Russian, Finnish) does not push its field out of line.
  row: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)',
    gap: tokens.spacingHorizontalS,
    alignItems: 'end'
  },
  // Fluent inputs keep a minimum width that would overflow a 320 px pane.
  input: { minWidth: 0, width: '100%' },
  // The combobox's own text box keeps a minimum width that would push its chevron out of a narrow column.
  comboInput: { minWidth: 0, width: '100%' }
});

export interface MoneyForm {
  description: string;
  /** As typed, in the pane's locale ("1 234,50"). */
  estimatedValue: string;
  currency: string;
  /** Whole percent as typed; only editing shows it (creating takes the stage's default). */
  probability: string;
  expectedCloseDate: string;
}
export type MoneyField = keyof MoneyForm;
export type FieldErrors = Partial<Record<MoneyField | 'closeReason', string>>;

export function formFromOpportunity(opportunity: Opportunity, tag: string): MoneyForm {
  return {
    description: opportunity.description,
    estimatedValue: opportunity.estimatedValue === null ? '' : formatAmountForInput(opportunity.estimatedValue, tag),
    currency: opportunity.currency ?? '',
    probability: String(opportunity.probability),
    expectedCloseDate: opportunity.expectedCloseDate ?? ''
  };
}

const inBounds = (date: string) => date >= EARLIEST_CLOSE_DATE && date <= LATEST_CLOSE_DATE;

/**
 * The inline checks, in the user's words; the API holds the same rules. The probability is the user's to set
 * only when editing (a new opportunity takes its stage's).
 */
export function validateMoneyForm(form: MoneyForm, i18n: Translator, purpose: 'create' | 'edit'): FieldErrors {
  const errors: FieldErrors = {};
  if (!form.description.trim()) errors.description = i18n.t('descriptionRequired');
  if (form.estimatedValue.trim() !== '') {
    const value = parseAmount(form.estimatedValue, i18n.tag);
    if (value === null || value > 1e12) {
      errors.estimatedValue = i18n.t('valueInvalid', { example: formatAmountForInput(1234.5, i18n.tag) });
    }
    if (!isCurrencyCode(form.currency)) errors.currency = i18n.t('currencyInvalid');
  }
  if (purpose === 'edit') {
    const probability = Number(form.probability);
    if (!/^\d{1,3}$/.test(form.probability.trim()) || probability > 100) {
      errors.probability = i18n.t('probabilityInvalid');
    }
  }
  if (form.expectedCloseDate === UNREADABLE_DATE) errors.expectedCloseDate = i18n.t('dateInvalid');
  else if (
    form.expectedCloseDate &&
    (!/^\d{4}-\d{2}-\d{2}$/.test(form.expectedCloseDate) || !inBounds(form.expectedCloseDate))
  )
    errors.expectedCloseDate = i18n.t('dateOutOfRange', {
      from: i18n.date(EARLIEST_CLOSE_DATE),
      to: i18n.date(LATEST_CLOSE_DATE)
    });
  return errors;
}

/** The values the API takes, from a form that passed validateMoneyForm. */
export function moneyValues(form: MoneyForm, i18n: Translator) {
  const estimatedValue = form.estimatedValue.trim() === '' ? null : parseAmount(form.estimatedValue, i18n.tag);
  return {
    description: form.description.trim(),
    estimatedValue,
    currency: estimatedValue === null ? null : form.currency,
    expectedCloseDate: form.expectedCloseDate || null
  };
}

const FIELD_MESSAGES: Record<MoneyField | 'closeReason', MessageKey> = {
  description: 'descriptionRequired',
  estimatedValue: 'valueInvalid',
  currency: 'currencyInvalid',
  probability: 'probabilityInvalid',
  expectedCloseDate: 'dateOutOfRange',
  closeReason: 'closeReasonRequired'
};

/** What an opportunity's refusals mean, in words about the opportunity rather than the general ones. */
const OPPORTUNITY_FAILURES: Partial<Record<Failure, MessageKey>> = {
  forbidden: 'changeRefused',
  'not-found': 'opportunityMissing',
  conflict: 'changeConflict',
  'invalid-request': 'saveFailed'
};

/**
 * What a failed save tells the user: the fields the API named, in their words, and one translated sentence
 * for the whole.
 */
export function explainFailure(error: unknown, i18n: Translator): { fields: FieldErrors; message: string } {
  const vars = {
    example: formatAmountForInput(1234.5, i18n.tag),
    from: i18n.date(EARLIEST_CLOSE_DATE),
    to: i18n.date(LATEST_CLOSE_DATE)
  };
  const fields: FieldErrors = fieldMessagesOf(error, ({ field }) => {
    const key = FIELD_MESSAGES[field as MoneyField | 'closeReason'] as MessageKey | undefined;
    return key && i18n.t(key, vars);
  });
  const specific = OPPORTUNITY_FAILURES[failureOf(error)];
  return { fields, message: specific ? i18n.t(specific) : failureText(error, i18n) };
}

/** Options on screen at once: the usual and common codes, or the best matches of what is typed. */
const OFFERED = 1 + COMMON_CURRENCIES.length;

/**
 * ISO 4217 codes to pick from, the usual one first. Typing filters by code or name and keeps what was typed
 * (in capitals), so a code typed in full needs no pick; anything else is caught by the form's check.
 */
export function CurrencyPicker({
  value,
  usual,
  i18n,
  onChange
}: {
  value: string;
  usual: string | null;
  i18n: Translator;
  onChange: (code: string) => void;
}) {
  const styles = useStyles();
  const choices = useMemo(
    () => currencyChoices(usual).map((code) => ({ code, label: currencyLabel(code, i18n.tag) })),
    [usual, i18n.tag]
  );
  const [filtering, setFiltering] = useState(false);
  const shown = useMemo(() => {
    const needle = value.trim().toLocaleLowerCase(i18n.tag);
    if (!filtering || !needle) return choices.slice(0, OFFERED);
    return choices.filter((choice) => choice.label.toLocaleLowerCase(i18n.tag).includes(needle)).slice(0, OFFERED);
  }, [choices, filtering, value, i18n.tag]);
  return (
    <Combobox
      freeform
      className={styles.input}
      input={{ className: styles.comboInput }}
      value={value}
      selectedOptions={isCurrencyCode(value) ? [value] : []}
      onInput={(event) => {
        setFiltering(true);
        onChange((event.target as HTMLInputElement).value.trim().toUpperCase());
      }}
      onOptionSelect={(_event, data) => {
        setFiltering(false);
        if (data.optionValue) onChange(data.optionValue);
      }}
    >
      {shown.map((choice) => (
        <Option key={choice.code} value={choice.code} text={choice.code}>
          {choice.label}
        </Option>
      ))}
    </Combobox>
  );
}

/** Value, currency and expected close date (and probability when editing), with their messages. */
export function MoneyFields({
  form,
  errors,
  usualCurrency,
  withProbability,
  i18n,
  set
}: {
  form: MoneyForm;
  errors: FieldErrors;
  usualCurrency: string | null;
  withProbability: boolean;
  i18n: Translator;
  set: (name: MoneyField) => (value: string) => void;
}) {
  const styles = useStyles();
  return (
    <>
      <div className={styles.row}>
        <Field label={i18n.t('estimatedValue')} validationMessage={errors.estimatedValue}>
          <Input
            className={styles.input}
            inputMode="decimal"
            value={form.estimatedValue}
            onChange={(_e, d) => set('estimatedValue')(d.value)}
          />
        </Field>
        <Field label={i18n.t('currency')} validationMessage={errors.currency}>
          <CurrencyPicker value={form.currency} usual={usualCurrency} i18n={i18n} onChange={set('currency')} />
        </Field>
      </div>
      {withProbability && (
        <Field label={i18n.t('probability')} validationMessage={errors.probability}>
          <Input
            className={styles.input}
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            step={1}
            contentAfter="%"
            value={form.probability}
            onChange={(_e, d) => set('probability')(d.value)}
          />
        </Field>
      )}
      <Field label={i18n.t('expectedCloseDate')} validationMessage={errors.expectedCloseDate}>
        <DateField
          value={form.expectedCloseDate}
          min={EARLIEST_CLOSE_DATE}
          max={LATEST_CLOSE_DATE}
          onChange={set('expectedCloseDate')}
        />
      </Field>
    </>
  );
}
