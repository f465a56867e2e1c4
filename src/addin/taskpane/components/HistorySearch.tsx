import { Input, makeStyles } from '@fluentui/react-components';
import { SearchRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import { MAX_SEARCH_LENGTH } from '../../../shared/limits.js';
import { useI18n } from '../services.js';

const useStyles = makeStyles({ box: { width: '100%', minWidth: 0 } });

/** How long typing pauses before the history is searched. */
export const SEARCH_PAUSE_MS = 300;

/**
 * The search box above a history (the pane's, the team view's, which names it `label`): reports the words once
 * typing pauses, or at once on Enter.
 */
export function HistorySearch({ onSearch, label }: { onSearch: (query: string) => void; label?: string }) {
  const styles = useStyles();
  const { t } = useI18n();
  const [text, setText] = useState('');
  // What was reported last: nothing is reported again (and nothing at all until the user types).
  const reported = useRef('');
  const report = (query: string) => {
    if (query === reported.current) return;
    reported.current = query;
    onSearch(query);
  };

  useEffect(() => {
    const query = text.trim();
    if (query === reported.current) return;
    const timer = setTimeout(() => {
      reported.current = query;
      onSearch(query);
    }, SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, onSearch]);

  return (
    <form
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        report(text.trim());
      }}
    >
      <Input
        className={styles.box}
        type="search"
        aria-label={label ?? t('searchHistory')}
        placeholder={t('searchPlaceholder')}
        contentBefore={<SearchRegular aria-hidden />}
        maxLength={MAX_SEARCH_LENGTH}
        value={text}
        onChange={(_event, data) => setText(data.value)}
      />
    </form>
  );
}
