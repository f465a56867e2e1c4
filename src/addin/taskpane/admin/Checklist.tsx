import { Body1, Button, Caption1, makeStyles, Spinner, Subtitle2, tokens } from '@fluentui/react-components';
import { ShieldTaskRegular } from '@fluentui/react-icons';
import { VALIDATION_CHECK_IDS, type ValidationCheckId } from '../../../shared/admin-checks.js';
import type { ValidationCheck, ValidationFix } from '../../../shared/schemas/admin.js';
import { failureOf } from '../../api/problems.js';
import { CommandBlock } from './CommandBlock.js';
import { useAdmin } from './context.js';
import { Notice, useSectionStyles } from './parts.js';
import { StatusBadge } from './StatusBadge.js';
import type { Validation } from './validation.js';

/* The checklist of "Validate configuration": every check with its status in words and icons, and its fix. */

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  header: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  row: { display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', gap: tokens.spacingHorizontalS },
  detail: { color: tokens.colorNeutralForeground2 },
  fix: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXS }
});

export function Checklist({ validation }: { validation: Validation }) {
  const styles = useStyles();
  const sections = useSectionStyles();
  const { i18n, failureText } = useAdmin();
  const { report, busy, error } = validation;
  return (
    <section className={styles.section} aria-labelledby="admin-validate-title">
      <div className={styles.header}>
        <Subtitle2 as="h2" block id="admin-validate-title">
          {i18n.t('validateTitle')}
        </Subtitle2>
        <Button
          appearance="primary"
          icon={busy ? <Spinner size="tiny" /> : <ShieldTaskRegular />}
          disabled={busy || validation.acting !== null}
          onClick={() => void validation.validate()}
        >
          {busy ? i18n.t('validating') : i18n.t('validate')}
        </Button>
      </div>
      <Caption1 aria-live="polite">
        {report ? i18n.t('validatedAt', { date: i18n.dateTime(report.checkedAt) }) : i18n.t('neverValidated')}
      </Caption1>
      <Notice
        intent="error"
        text={
          error === null
            ? null
            : // A refused fix (Graph said no) is a setup step to fix, not a clash with saved data.
              failureOf(error) === 'conflict'
              ? i18n.t('fixRefused')
              : failureText(error)
        }
      />
      {report && (
        <ul className={sections.list} aria-label={i18n.t('validateTitle')}>
          {withShownFixes(report.items).map(({ check, needs, showFix }) => (
            <li key={check.id} className={sections.item} data-check={check.id}>
              <div className={styles.row}>
                <Body1>{i18n.t(`check_${check.id}`)}</Body1>
                <StatusBadge status={check.status} skipped={needs !== null} />
              </div>
              {check.status !== 'pass' && (
                <Caption1 className={styles.detail}>
                  {needs ? i18n.t('skippedNeeds', { check: i18n.t(`check_${needs}`) }) : check.detail}
                </Caption1>
              )}
              {check.fix && check.status !== 'pass' && showFix && <Fix fix={check.fix} validation={validation} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * Each check with the check it waited for (the server's `facts.needs` on a skipped check) and whether its fix
 * is shown: a fix is shown once, at the first check that has it, not repeated on every check it would fix.
 */
function withShownFixes(checks: ValidationCheck[]) {
  const seen = new Set<string>();
  return checks.map((check) => {
    const needs = (VALIDATION_CHECK_IDS as readonly unknown[]).includes(check.facts.needs)
      ? (check.facts.needs as ValidationCheckId)
      : null;
    const key = check.fix ? JSON.stringify(check.fix) : null;
    const showFix = key !== null && check.status !== 'pass' && !seen.has(key);
    if (showFix) seen.add(key);
    return { check, needs, showFix };
  });
}

function Fix({ fix, validation }: { fix: ValidationFix; validation: Validation }) {
  const styles = useStyles();
  const { i18n } = useAdmin();
  const label = `${i18n.t('fixLabel')}: `;
  if (fix.kind === 'action') {
    const acting = validation.acting === fix.action;
    return (
      <div className={styles.fix}>
        <Button
          icon={acting ? <Spinner size="tiny" /> : undefined}
          disabled={validation.acting !== null || validation.busy}
          onClick={() => void validation.runAction(fix.action)}
        >
          {i18n.t(`action_${fix.action}`)}
        </Button>
      </div>
    );
  }
  if (fix.kind === 'command') {
    return (
      <div className={styles.fix}>
        <Caption1>{i18n.t('fixCommand', { number: fix.step })}</Caption1>
        <CommandBlock text={fix.command} copyLabel={i18n.t('copyCommand', { index: 1, number: fix.step })} />
      </div>
    );
  }
  return (
    <Body1 className={styles.fix}>
      {label}
      {i18n.t(`fix_${fix.code}`)}
    </Body1>
  );
}
