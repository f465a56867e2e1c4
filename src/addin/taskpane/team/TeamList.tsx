import { Body1, Button, Caption1, Link, makeStyles, Spinner, Subtitle2, tokens } from '@fluentui/react-components';
import { ArrowDownLeftRegular, ArrowUpRightRegular } from '@fluentui/react-icons';
import { useId } from 'react';
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
  text: { minWidth: 0, display: 'flex', flexDirection: 'column' },
  ellipsis: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  meta: { color: tokens.colorNeutralForeground3 },
  more: { display: 'flex', justifyContent: 'center', padding: tokens.spacingVerticalS }
});

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
  const styles = useStyles();
  const i18n = useI18n();
  const titleId = useId();
  return (
    <section aria-labelledby={titleId}>
      <Subtitle2 as="h2" id={titleId}>
        {i18n.t('teamListTitle')}
      </Subtitle2>
      {items.length === 0 ? (
        <Body1 as="p">{i18n.t('teamEmpty')}</Body1>
      ) : (
        <ul className={styles.list}>
          {items.map((entry) => {
            const inbound = entry.direction === 'inbound';
            return (
              <li key={entry.id} className={styles.item}>
                {inbound ? (
                  <ArrowDownLeftRegular className={styles.icon} aria-hidden />
                ) : (
                  <ArrowUpRightRegular className={styles.icon} aria-hidden />
                )}
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
      {hasMore && (
        <div className={styles.more}>
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
