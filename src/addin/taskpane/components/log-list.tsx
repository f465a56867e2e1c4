import { Body1, Button, makeStyles, Spinner, Subtitle2, tokens } from '@fluentui/react-components';
import { ArrowDownLeftRegular, ArrowUpRightRegular, CalendarRegular, NoteRegular } from '@fluentui/react-icons';
import { forwardRef, type ReactNode } from 'react';
import type { Direction, Interaction } from '../../../shared/schemas/interaction.js';
import type { PaneServices } from '../services.js';
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
  preview: {
    color: tokens.colorNeutralForeground2,
    overflow: 'hidden',
    display: '-webkit-box',
    WebkitLineClamp: 2,
    WebkitBoxOrient: 'vertical',
    overflowWrap: 'anywhere'
  },
  mark: {
    backgroundColor: tokens.colorPaletteYellowBackground2,
    color: 'inherit',
    borderRadius: tokens.borderRadiusSmall
  },
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

/** An entry's icon: its direction for an email, else its kind. */
export function EntryIcon({ entry }: { entry: Pick<Interaction, 'kind' | 'direction'> }) {
  const styles = useLogListStyles();
  if (entry.kind === 'note') return <NoteRegular className={styles.icon} aria-hidden />;
  if (entry.kind === 'meeting') return <CalendarRegular className={styles.icon} aria-hidden />;
  return <DirectionIcon direction={entry.direction} />;
}

/** What an entry is, in words: the direction of an email, else its kind. */
export function entryKindText(entry: Pick<Interaction, 'kind' | 'direction'>, t: PaneServices['i18n']['t']): string {
  if (entry.kind === 'note') return t('kindNote');
  if (entry.kind === 'meeting') return t('kindMeeting');
  return entry.direction === 'inbound' ? t('inbound') : t('outbound');
}

/** Text with the [start, end) ranges a search matched marked (the API sends each range as a two-item array). */
export function Highlighted({ text, ranges }: { text: string; ranges?: ReadonlyArray<readonly number[]> }) {
  const styles = useLogListStyles();
  if (!ranges || ranges.length === 0) return <>{text}</>;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start = -1, end = -1] of [...ranges].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))) {
    if (start < at || end <= start || end > text.length) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(
      <mark key={start} className={styles.mark}>
        {text.slice(start, end)}
      </mark>
    );
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
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

/** A titled list of the pane: its heading, then the list, or a sentence when it is empty; then its footer. */
export function ListSection({
  id,
  title,
  heading = 'h2',
  empty,
  emptyText,
  footer,
  children
}: {
  /** The heading's id, which names the section. */
  id: string;
  title: string;
  heading?: 'h2' | 'h3';
  empty: boolean;
  emptyText: string;
  footer?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <Subtitle2 as={heading} block id={id}>
        {title}
      </Subtitle2>
      {empty ? (
        <Body1 as="p" block>
          {emptyText}
        </Body1>
      ) : (
        children
      )}
      {footer}
    </section>
  );
}
