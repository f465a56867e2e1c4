import { Button, makeStyles, Spinner, tokens } from '@fluentui/react-components';
import { ArrowDownLeftRegular, ArrowUpRightRegular } from '@fluentui/react-icons';
import { forwardRef } from 'react';
import type { Direction } from '../../../shared/schemas/interaction.js';
import { useI18n } from '../services.js';

/* The look shared by every list of log entries: a contact's history and the team's log. */

export const useLogListStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: {
    display: 'grid',
    gridTemplateColumns: '20px 1fr',
    columnGap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`
  },
  icon: { marginTop: '2px', color: tokens.colorNeutralForeground3 },
  text: { minWidth: 0, display: 'flex', flexDirection: 'column' },
  ellipsis: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', display: 'block' },
  meta: { color: tokens.colorNeutralForeground3 },
  more: { display: 'flex', justifyContent: 'center', padding: tokens.spacingVerticalS }
});

export function DirectionIcon({ direction }: { direction: Direction }) {
  const styles = useLogListStyles();
  return direction === 'inbound' ? (
    <ArrowDownLeftRegular className={styles.icon} aria-hidden />
  ) : (
    <ArrowUpRightRegular className={styles.icon} aria-hidden />
  );
}

/** The list's footer while more entries exist: a button, or a spinner while they load. */
export const LoadMore = forwardRef<HTMLDivElement, { loading: boolean; onLoadMore: () => void }>(function LoadMore(
  { loading, onLoadMore },
  ref
) {
  const styles = useLogListStyles();
  const i18n = useI18n();
  return (
    <div ref={ref} className={styles.more}>
      {loading ? (
        <Spinner size="tiny" label={i18n.t('loading')} />
      ) : (
        <Button onClick={onLoadMore}>{i18n.t('loadMore')}</Button>
      )}
    </div>
  );
});
