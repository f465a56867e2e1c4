import { Body1, Caption1, Link, Subtitle2 } from '@fluentui/react-components';
import { useId } from 'react';
import type { Interaction } from '../../../shared/schemas/interaction.js';
import { EntryIcon, entryKindText, LoadMore, useLogListStyles } from '../components/log-list.js';
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
            return (
              <li key={entry.id} className={styles.item} data-kind={entry.kind}>
                <EntryIcon entry={entry} />
                <div className={styles.text}>
                  <Link
                    as="button"
                    className={styles.ellipsis}
                    title={i18n.t('showContactHistory', { name: entry.contact.name })}
                    data-entry={entry.id}
                    onClick={() => onOpenContact(entry)}
                    dir="auto"
                  >
                    {entry.contact.name}
                  </Link>
                  <Body1 className={styles.ellipsis} dir="auto">
                    {entry.subject || i18n.t('noSubject')}
                  </Body1>
                  <Caption1 className={styles.meta}>
                    {i18n.t('teamRowMeta', {
                      date: i18n.date(entry.occurredAt),
                      direction: entryKindText(entry, i18n.t),
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
