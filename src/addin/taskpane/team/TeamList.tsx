import { Body1, Caption1, Link, Subtitle2 } from '@fluentui/react-components';
import { useId } from 'react';
import type { Interaction } from '../../../shared/schemas/interaction.js';
import { DirectionIcon, LoadMore, useLogListStyles } from '../components/log-list.js';
import { useI18n } from '../services.js';

/** The team's log, newest first; a contact's name opens their whole history. */
export function TeamList({
  items,
  hasMore,
  loadingMore,
  onLoadMore,
  onOpenContact
}: {
  items: Interaction[];
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  onOpenContact: (entry: Interaction) => void;
}) {
  const styles = useLogListStyles();
  const i18n = useI18n();
  const titleId = useId();
  return (
    <section aria-labelledby={titleId}>
      <Subtitle2 as="h2" block id={titleId}>
        {i18n.t('teamListTitle')}
      </Subtitle2>
      {items.length === 0 ? (
        <Body1 as="p" block>
          {i18n.t('teamEmpty')}
        </Body1>
      ) : (
        <ul className={styles.list}>
          {items.map((entry) => {
            const inbound = entry.direction === 'inbound';
            return (
              <li key={entry.id} className={styles.item}>
                <DirectionIcon direction={entry.direction} />
                <div className={styles.text}>
                  <Link
                    as="button"
                    className={styles.ellipsis}
                    title={i18n.t('showContactHistory', { name: entry.contact.name })}
                    data-entry={entry.id}
                    onClick={() => onOpenContact(entry)}
                  >
                    {entry.contact.name}
                  </Link>
                  <Body1 className={styles.ellipsis}>{entry.subject || i18n.t('noSubject')}</Body1>
                  <Caption1 className={styles.meta}>
                    {i18n.t('teamRowMeta', {
                      date: i18n.date(entry.occurredAt),
                      direction: inbound ? i18n.t('inbound') : i18n.t('outbound'),
                      salesperson: entry.salesperson.name
                    })}
                    {entry.source === 'mailbox' ? ` · ${i18n.t('viaMailbox')}` : ''}
                  </Caption1>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {hasMore && <LoadMore loading={loadingMore} onLoadMore={onLoadMore} />}
    </section>
  );
}
