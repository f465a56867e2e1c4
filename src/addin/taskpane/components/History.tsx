import { Body1, Button, Caption1, Link, makeStyles, Spinner, Subtitle2, tokens } from '@fluentui/react-components';
import { ArrowDownLeftRegular, ArrowUpRightRegular } from '@fluentui/react-icons';
import { useEffect, useRef } from 'react';
import type { Interaction } from '../../../shared/schemas/interaction.js';
import { useI18n } from '../services.js';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: {
    display: 'grid',
    gridTemplateColumns: '20px 1fr',
    columnGap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`
  },
  icon: { marginTop: '2px', color: tokens.colorNeutralForeground3 },
  subject: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', display: 'block' },
  meta: { color: tokens.colorNeutralForeground3 },
  more: { display: 'flex', justifyContent: 'center', padding: tokens.spacingVerticalS }
});

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
  const styles = useStyles();
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
      <Subtitle2 as="h2" id="history-title">
        {i18n.t('historyTitle')}
      </Subtitle2>
      {items.length === 0 ? (
        <Body1 as="p">{emptyText ?? i18n.t('historyEmpty', { name: personName })}</Body1>
      ) : (
        <ul className={styles.list}>
          {items.map((entry) => {
            const inbound = entry.direction === 'inbound';
            const subject = entry.subject || i18n.t('noSubject');
            // Only web links open; a stored javascript: or data: link shows as plain text.
            const webLink = entry.webLink && /^https?:\/\//i.test(entry.webLink) ? entry.webLink : null;
            return (
              <li key={entry.id} className={styles.item}>
                {inbound ? (
                  <ArrowDownLeftRegular className={styles.icon} aria-hidden />
                ) : (
                  <ArrowUpRightRegular className={styles.icon} aria-hidden />
                )}
                <div>
                  {webLink ? (
                    <Link
                      className={styles.subject}
                      href={webLink}
                      target="_blank"
                      rel="noopener noreferrer"
                      title={`${i18n.t('openMessage')}: ${subject}`}
                    >
                      {subject}
                    </Link>
                  ) : (
                    <Body1 className={styles.subject}>{subject}</Body1>
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
      {hasMore && (
        <div ref={sentinel} className={styles.more}>
          {loadingMore ? (
            <Spinner size="tiny" label={i18n.t('loading')} />
          ) : (
            <Button onClick={onLoadMore}>{i18n.t('loadMore')}</Button>
          )}
        </div>
      )}
    </section>
  );
}
