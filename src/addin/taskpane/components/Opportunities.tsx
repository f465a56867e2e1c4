import { Badge, Caption1, Link, makeStyles, tokens } from '@fluentui/react-components';
import type { Opportunity } from '../../../shared/schemas/opportunity.js';
import type { MessageKey } from '../../i18n/index.js';
import { useI18n } from '../services.js';
import { ListSection } from './log-list.js';

const useStyles = makeStyles({
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS
  },
  item: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: tokens.spacingVerticalXS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2
  },
  text: { flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' },
  ellipsis: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', textAlign: 'start' },
  value: { fontWeight: tokens.fontWeightSemibold, whiteSpace: 'nowrap' }
});

export const stageKey = (stage: string) => `stage_${stage}` as MessageKey;

export function Opportunities({ items, onOpen }: { items: Opportunity[]; onOpen: (id: string) => void }) {
  const styles = useStyles();
  const i18n = useI18n();
  return (
    <ListSection
      id="opportunities-title"
      title={i18n.t('opportunitiesTitle')}
      empty={items.length === 0}
      emptyText={i18n.t('opportunitiesEmpty')}
    >
      <ul className={styles.list}>
        {items.map((opportunity) => (
          <li key={opportunity.id} className={styles.item}>
            <div className={styles.text}>
              <Link
                as="button"
                className={styles.ellipsis}
                title={i18n.t('openOpportunity', { name: opportunity.description })}
                onClick={() => onOpen(opportunity.id)}
                dir="auto"
              >
                {opportunity.description}
              </Link>
              <Caption1>
                <Badge appearance="tint" size="small">
                  {i18n.t(stageKey(opportunity.stage))}
                </Badge>
                {opportunity.expectedCloseDate
                  ? ` ${i18n.t('closes', { date: i18n.date(opportunity.expectedCloseDate) })}`
                  : ''}
              </Caption1>
            </div>
            {opportunity.estimatedValue !== null && opportunity.currency && (
              <span className={styles.value}>{i18n.money(opportunity.estimatedValue, opportunity.currency)}</span>
            )}
          </li>
        ))}
      </ul>
    </ListSection>
  );
}
