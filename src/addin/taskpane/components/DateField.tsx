import { makeStyles } from '@fluentui/react-components';
import { DatePicker } from '@fluentui/react-datepicker-compat';
import { useMemo } from 'react';
import { calendarLocale, dateFromIso, isoFromDate } from '../../i18n/calendar.js';
import { useI18n } from '../services.js';

/** What a date field reports when its text is not a date: no calendar date matches it, so forms refuse it. */
export const UNREADABLE_DATE = 'unreadable';
/** What it reports for a date typed outside its bounds (the picker keeps the earlier date): forms refuse it. */
export const OUT_OF_RANGE_DATE = 'out-of-range';

/**
 * A calendar date (YYYY-MM-DD, '' when empty) typed or picked in Outlook's language: a native date field would
 * follow the browser's locale instead. Place it in a Fluent Field for its label and message.
 */
const useStyles = makeStyles({
  // The text box's default width (its size attribute) must not push a narrow form wider than the pane.
  field: { minWidth: 0, '& input': { minWidth: 0, width: '100%' } }
});

export function DateField({
  value,
  onChange,
  min,
  max
}: {
  value: string;
  onChange: (value: string) => void;
  /** The earliest and latest dates (YYYY-MM-DD) that can be picked or typed. */
  min?: string;
  max?: string;
}) {
  const i18n = useI18n();
  const locale = useMemo(() => calendarLocale(i18n), [i18n]);
  const styles = useStyles();
  const minDate = useMemo(() => (min ? dateFromIso(min) : null), [min]);
  const maxDate = useMemo(() => (max ? dateFromIso(max) : null), [max]);
  return (
    <DatePicker
      className={styles.field}
      allowTextInput
      // Focus stays in the text while the calendar opens, so a date can be typed straight away.
      disableAutoFocus
      value={dateFromIso(value)}
      onSelectDate={(date) => onChange(date ? isoFromDate(date) : '')}
      onValidationResult={({ error }) => {
        if (error === 'invalid-input') onChange(UNREADABLE_DATE);
        else if (error === 'out-of-bounds') onChange(OUT_OF_RANGE_DATE);
      }}
      {...(minDate ? { minDate } : {})}
      {...(maxDate ? { maxDate } : {})}
      formatDate={(date) => (date ? locale.format(date) : '')}
      parseDateFromString={locale.parse}
      strings={locale.strings}
      firstDayOfWeek={locale.firstDayOfWeek as 0}
      placeholder={locale.example}
    />
  );
}
