import { Body1, Caption1, Link, makeStyles, tokens } from '@fluentui/react-components';
import { LightbulbRegular } from '@fluentui/react-icons';
import { useEffect, useRef } from 'react';
import type { Interaction } from '../../../shared/schemas/interaction.js';
import { isolate } from '../../i18n/index.js';
import { useI18n } from '../services.js';
import { EntryIcon, entryKindText, Highlighted, ListSection, LoadMore, useLogListStyles } from './log-list.js';

const useStyles = makeStyles({
  badge: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXXS,
    maxWidth: '100%',
    alignSelf: 'flex-start',
    fontSize: tokens.fontSizeBase200
  },
  badgeText: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }
});

/** The opportunity an entry belongs to: a small link with its description that opens it. */
function OpportunityBadge({ name, onOpen }: { name: string | undefined; onOpen: () => void }) {
  const styles = useStyles();
  const i18n = useI18n();
  const label = name ?? i18n.t('opportunityBadgeUnknown');
  return (
    <Link as="button" className={styles.badge} title={i18n.t('openOpportunity', { name: label })} onClick={onOpen}>
      <LightbulbRegular aria-hidden />
      <span className={styles.badgeText}>{label}</span>
    </Link>
  );
}

/** Loads the next page as the returned element (the list's end) scrolls into view. */
function useLoadOnScroll(hasMore: boolean, onLoadMore: () => void) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !hasMore || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) onLoadMore();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [hasMore, onLoadMore]);
  return sentinel;
}

export function History({
  items,
  personName,
  hasMore,
  loadingMore,
  onLoadMore,
  emptyText,
  opportunityNames,
  onOpenOpportunity
}: {
  items: Interaction[];
  /** Descriptions of the opportunities entries belong to, by id (those known so far). */
  opportunityNames: ReadonlyMap<string, string>;
  onOpenOpportunity: (id: string) => void;
  personName: string;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  emptyText?: string;
}) {
  const styles = useLogListStyles();
  const i18n = useI18n();
  // The end of the list loads the next page as it scrolls into view; its button does the same by keyboard.
  const sentinel = useLoadOnScroll(hasMore, onLoadMore);
  return (
    <ListSection
      id="history-title"
      title={i18n.t('historyTitle')}
      empty={items.length === 0}
      emptyText={emptyText ?? i18n.t('historyEmpty', { name: personName })}
      footer={hasMore && <LoadMore ref={sentinel} loading={loadingMore} onLoadMore={onLoadMore} />}
    >
      <ul className={styles.list}>
        {items.map((entry) => (
          <HistoryEntry
            key={entry.id}
            entry={entry}
            opportunityName={entry.opportunityId ? opportunityNames.get(entry.opportunityId) : undefined}
            onOpenOpportunity={onOpenOpportunity}
          />
        ))}
      </ul>
    </ListSection>
  );
}

/** One entry: its subject (a link to the message where there is one), what it says, when, who, its opportunity. */
function HistoryEntry({
  entry,
  opportunityName,
  onOpenOpportunity
}: {
  entry: Interaction;
  opportunityName: string | undefined;
  onOpenOpportunity: (id: string) => void;
}) {
  const styles = useLogListStyles();
  const i18n = useI18n();
  const { opportunityId } = entry;
  const subject = entry.subject || i18n.t('noSubject');
  const subjectText = entry.subject ? <Highlighted text={entry.subject} ranges={entry.highlights?.subject} /> : subject;
  // A note's text is what it says; a search result shows where the words were found.
  const preview = entry.kind === 'note' || entry.highlights ? entry.preview : '';
  // Only web links open; a stored javascript: or data: link shows as plain text.
  const webLink = entry.webLink && /^https?:\/\//i.test(entry.webLink) ? entry.webLink : null;
  return (
    <li className={styles.item} data-kind={entry.kind}>
      <EntryIcon entry={entry} />
      <div className={styles.text}>
        {webLink ? (
          <Link
            className={styles.ellipsis}
            href={webLink}
            target="_blank"
            rel="noopener noreferrer"
            title={`${i18n.t('openMessage')}: ${isolate(subject)}`}
            dir="auto"
          >
            {subjectText}
          </Link>
        ) : (
          <Body1 className={styles.ellipsis} dir="auto">
            {subjectText}
          </Body1>
        )}
        {preview && (
          <Caption1 className={styles.preview} dir="auto">
            <Highlighted text={preview} ranges={entry.highlights?.preview} />
          </Caption1>
        )}
        <Caption1 className={styles.meta}>
          {i18n.date(entry.occurredAt)} · {entryKindText(entry, i18n.t)} ·{' '}
          {i18n.t('withSalesperson', { name: entry.salesperson.name })}
          {entry.source === 'mailbox' ? ` · ${i18n.t('viaMailbox')}` : ''}
        </Caption1>
        {opportunityId && <OpportunityBadge name={opportunityName} onOpen={() => onOpenOpportunity(opportunityId)} />}
      </div>
    </li>
  );
}
