import { Badge, Body1, Caption1, makeStyles, Subtitle2, tokens } from '@fluentui/react-components';
import { useId } from 'react';
import type { StageTotal } from '../../../shared/schemas/team.js';
import { stageKey } from '../components/Opportunities.js';
import { useI18n } from '../services.js';

const useStyles = makeStyles({
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(96px, 1fr))',
    gap: tokens.spacingHorizontalS
  },
  stage: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: tokens.spacingVerticalS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2
  },
  value: { fontWeight: tokens.fontWeightSemibold }
});

/** The team's open opportunities: how many in each stage, and what they are worth per currency. */
export function StageTotals({ stages }: { stages: StageTotal[] }) {
  const styles = useStyles();
  const i18n = useI18n();
  const titleId = useId();
  return (
    <section aria-labelledby={titleId}>
      <Subtitle2 as="h2" block id={titleId}>
        {i18n.t('stagesTitle')}
      </Subtitle2>
      <ul className={styles.list}>
        {stages.map((stage) => (
          <li key={stage.stage} className={styles.stage}>
            <Badge appearance="tint" size="small">
              {i18n.t(stageKey(stage.stage))}
            </Badge>
            <Body1>{i18n.count('stageCount', stage.count)}</Body1>
            {stage.values.map((total) => (
              <Caption1 key={total.currency} className={styles.value}>
                {i18n.money(total.amount, total.currency)}
              </Caption1>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
