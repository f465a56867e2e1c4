import { makeStyles } from '@fluentui/react-components';
import { DatePicker } from '@fluentui/react-datepicker-compat';
import { useMemo } from 'react';
import { calendarLocale, dateFromIso, isoFromDate } from '../../i18n/calendar.js';
import { useI18n } from '../services.js';

/** What a date field reports when its text is not a date: no calendar date matches it, so forms refuse it. */
export const UNREADABLE_DATE = 'unreadable';

/**
 * A calendar date (YYYY-MM-DD, '' when empty) typed or picked in Outlook's language: a native date field would
 * follow the browser's locale instead. Place it in a Fluent Field for its label and message.
 */
const useStyles = makeStyles({
  // The text box's default width (its size attribute) must not push a narrow form wider than the pane.
  field: { minWidth: 0, '& input': { minWidth: 0, width: '100%' } }
});

export function DateField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const i18n = useI18n();
  const locale = useMemo(() => calendarLocale(i18n), [i18n]);
  const styles = useStyles();
  return (
    <DatePicker
      className={styles.field}
      allowTextInput
      // Focus stays in the text while the calendar opens, so a date can be typed straight away.
      disableAutoFocus
      value={dateFromIso(value)}
      onSelectDate={(date) => onChange(date ? isoFromDate(date) : '')}
      onValidationResult={({ error }) => error === 'invalid-input' && onChange(UNREADABLE_DATE)}
      formatDate={(date) => (date ? locale.format(date) : '')}
      parseDateFromString={locale.parse}
      strings={locale.strings}
      firstDayOfWeek={locale.firstDayOfWeek as 0}
      placeholder={locale.example}
    />
  );
}
