import { Input, makeStyles } from '@fluentui/react-components';
import { SearchRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { MAX_SEARCH_LENGTH } from '../../../shared/limits.js';
import { useI18n } from '../services.js';

const useStyles = makeStyles({ box: { width: '100%', minWidth: 0 } });

/** How long typing pauses before the history is searched. */
export const SEARCH_PAUSE_MS = 300;

/** The search box above the history: reports the words once typing pauses, or at once on Enter. */
export function HistorySearch({ onSearch }: { onSearch: (query: string) => void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const [text, setText] = useState('');

  useEffect(() => {
    const timer = setTimeout(() => onSearch(text.trim()), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, onSearch]);

  return (
    <form
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(text.trim());
      }}
    >
      <Input
        className={styles.box}
        type="search"
        aria-label={t('searchHistory')}
        placeholder={t('searchPlaceholder')}
        contentBefore={<SearchRegular aria-hidden />}
        maxLength={MAX_SEARCH_LENGTH}
        value={text}
        onChange={(_event, data) => setText(data.value)}
      />
    </form>
  );
}
