import { Body1, Caption1, Link, makeStyles, Subtitle2, tokens } from '@fluentui/react-components';
import { LightbulbRegular } from '@fluentui/react-icons';
import { useEffect, useRef } from 'react';
import type { Interaction } from '../../../shared/schemas/interaction.js';
import { isolate } from '../../i18n/index.js';
import { useI18n } from '../services.js';
import { EntryIcon, entryKindText, Highlighted, LoadMore, useLogListStyles } from './log-list.js';

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
  const sentinel = useRef<HTMLDivElement>(null);

  // Loads the next page as the end of the list scrolls into view; the button does the same by keyboard.
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !hasMore || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) onLoadMore();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [hasMore, onLoadMore]);

  return (
    <section aria-labelledby="history-title">
      <Subtitle2 as="h2" block id="history-title">
        {i18n.t('historyTitle')}
      </Subtitle2>
      {items.length === 0 ? (
        <Body1 as="p" block>
          {emptyText ?? i18n.t('historyEmpty', { name: personName })}
        </Body1>
      ) : (
        <ul className={styles.list}>
          {items.map((entry) => {
            const { opportunityId } = entry;
            const subject = entry.subject || i18n.t('noSubject');
            const subjectText = entry.subject ? (
              <Highlighted text={entry.subject} ranges={entry.highlights?.subject} />
            ) : (
              subject
            );
            // A note's text is what it says; a search result shows where the words were found.
            const preview = entry.kind === 'note' || entry.highlights ? entry.preview : '';
            // Only web links open; a stored javascript: or data: link shows as plain text.
            const webLink = entry.webLink && /^https?:\/\//i.test(entry.webLink) ? entry.webLink : null;
            return (
              <li key={entry.id} className={styles.item} data-kind={entry.kind}>
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
                  {opportunityId && (
                    <OpportunityBadge
                      name={opportunityNames.get(opportunityId)}
                      onOpen={() => onOpenOpportunity(opportunityId)}
                    />
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {hasMore && <LoadMore ref={sentinel} loading={loadingMore} onLoadMore={onLoadMore} />}
    </section>
  );
}
