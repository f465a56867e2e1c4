import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { CheckmarkCircleFilled, CircleRegular, DismissCircleFilled, WarningFilled } from '@fluentui/react-icons';
import type { ValidationStatus } from '../../../shared/admin-checks.js';
import { useAdmin } from './context.js';

/* A check's status as an icon and a word, never colour alone. */

const useStyles = makeStyles({
  badge: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, fontWeight: 600 },
  pass: { color: tokens.colorPaletteGreenForeground1 },
  warning: { color: tokens.colorPaletteMarigoldForeground1 },
  fail: { color: tokens.colorPaletteRedForeground1 },
  none: { color: tokens.colorNeutralForeground3 }
});

export function StatusBadge({ status }: { status: ValidationStatus | null }) {
  const styles = useStyles();
  const { i18n } = useAdmin();
  const Icon =
    status === 'pass'
      ? CheckmarkCircleFilled
      : status === 'warning'
        ? WarningFilled
        : status === 'fail'
          ? DismissCircleFilled
          : CircleRegular;
  return (
    <span className={mergeClasses(styles.badge, styles[status ?? 'none'])} data-status={status ?? 'none'}>
      <Icon aria-hidden />
      {status ? i18n.t(`status_${status}`) : i18n.t('statusNone')}
    </span>
  );
}

const RANK: Record<ValidationStatus, number> = { pass: 0, warning: 1, fail: 2 };

/** The worst of some statuses, or null when there are none. */
export function worstStatus(statuses: ValidationStatus[]): ValidationStatus | null {
  return statuses.reduce<ValidationStatus | null>(
    (worst, s) => (worst === null || RANK[s] > RANK[worst] ? s : worst),
    null
  );
}
