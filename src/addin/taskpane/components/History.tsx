import { Body1, Caption1, Link, Subtitle2 } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import type { Interaction } from '../../../shared/schemas/interaction.js';
import { useI18n } from '../services.js';
import { DirectionIcon, LoadMore, useLogListStyles } from './log-list.js';

export function History({
  items,
  personName,
  hasMore,
  loadingMore,
  onLoadMore,
  emptyText
}: {
  items: Interaction[];
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
            const inbound = entry.direction === 'inbound';
            const subject = entry.subject || i18n.t('noSubject');
            // Only web links open; a stored javascript: or data: link shows as plain text.
            const webLink = entry.webLink && /^https?:\/\//i.test(entry.webLink) ? entry.webLink : null;
            return (
              <li key={entry.id} className={styles.item}>
                <DirectionIcon direction={entry.direction} />
                <div>
                  {webLink ? (
                    <Link
                      className={styles.ellipsis}
                      href={webLink}
                      target="_blank"
                      rel="noopener noreferrer"
                      title={`${i18n.t('openMessage')}: ${subject}`}
                    >
                      {subject}
                    </Link>
                  ) : (
                    <Body1 className={styles.ellipsis}>{subject}</Body1>
                  )}
                  <Caption1 className={styles.meta}>
                    {i18n.date(entry.occurredAt)} · {inbound ? i18n.t('inbound') : i18n.t('outbound')} ·{' '}
                    {i18n.t('withSalesperson', { name: entry.salesperson.name })}
                    {entry.source === 'mailbox' ? ` · ${i18n.t('viaMailbox')}` : ''}
                  </Caption1>
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
