import {
  Body1,
  Caption1,
  Field,
  Input,
  Link,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Subtitle2,
  tokens
} from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import type { SetupStep } from '../../../shared/setup-commands.js';
import type { SetupDefaults } from '../../../shared/schemas/admin.js';
import { PaneSkeleton } from '../components/States.js';
import { Checklist } from './Checklist.js';
import { CommandBlock } from './CommandBlock.js';
import { useAdmin } from './context.js';
import {
  buildStepsFrom,
  initialSetupForm,
  saveSetupEdits,
  savedSetupEdits,
  SETUP_FIELDS,
  type SetupForm
} from './setup-values.js';
import { StatusBadge, worstStatus } from './StatusBadge.js';
import type { Validation } from './validation.js';
import { adminEn as en, type AdminKey } from '../../i18n/admin/index.js';

/*
 * Guided setup: the organization's values, the six steps with their commands filled in as the admin types
 * (setup-commands.ts quotes every value), each step's live status from the last validation, and the notes.
 */

const useStyles = makeStyles({
  view: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  step: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium
  },
  stepHeader: {
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'space-between',
    alignItems: 'baseline',
    gap: tokens.spacingHorizontalS
  },
  facts: {
    margin: 0,
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 3fr)',
    gap: tokens.spacingVerticalXS
  },
  // A long word (MAILBOX_CLIENT_SECRET, a Swedish compound) breaks inside its column instead of running over
  // the value beside it; hyphenation follows the pane's language.
  factLabel: { overflowWrap: 'anywhere', hyphens: 'auto' },
  factValue: {
    margin: 0,
    overflowWrap: 'anywhere',
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200
  },
  muted: { color: tokens.colorNeutralForeground2 },
  notes: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS
  }
});

const NOTES = ['noteInboxOnly', 'noteJunk', 'noteDelay', 'noteLimits', 'noteLinks', 'noteLimitNears'] as const;

export function Setup({ validation }: { validation: Validation }) {
  const styles = useStyles();
  const { api, i18n } = useAdmin();
  const [form, setForm] = useState<SetupForm | null>(null);
  const [saved, setSaved] = useState<{ tenantId: string; edits: Partial<SetupForm> }>({ tenantId: '', edits: {} });

  useEffect(() => {
    let cancelled = false;
    const origin = window.location.origin;
    // What the server knows (tenant, mailbox, app ids) fills the form; without it the admin types everything.
    api
      .setupDefaults()
      .catch(() => api.mailboxSettings().then((settings) => ({ mailboxAddress: settings.mailboxAddress })))
      .catch(() => ({}))
      .then((defaults: Partial<SetupDefaults>) => {
        if (cancelled) return;
        const tenantId = defaults.tenantId ?? '';
        const edits = savedSetupEdits(tenantId);
        setSaved({ tenantId, edits });
        setForm({ ...initialSetupForm(defaults, origin), ...edits });
      });
    return () => {
      cancelled = true;
    };
  }, [api]);

  const built = useMemo(() => (form ? buildStepsFrom(form) : null), [form]);
  if (!form || !built) return <PaneSkeleton />;

  return (
    <div className={styles.view}>
      <Body1>{i18n.t('setupIntro')}</Body1>
      <Checklist validation={validation} />
      <section className={styles.section} aria-labelledby="admin-values-title">
        <Subtitle2 as="h2" block id="admin-values-title">
          {i18n.t('yourValues')}
        </Subtitle2>
        <Caption1>{i18n.t('yourValuesHint')}</Caption1>
        {SETUP_FIELDS.map((field) => (
          <Field
            key={field}
            label={i18n.t(`value_${field}`)}
            validationState={built.errors[field] ? 'error' : 'none'}
            validationMessage={built.errors[field]}
          >
            <Input
              value={form[field]}
              onChange={(_event, data) => {
                setForm({ ...form, [field]: data.value });
                const edits = { ...saved.edits, [field]: data.value };
                setSaved({ ...saved, edits });
                saveSetupEdits(saved.tenantId, edits);
              }}
              spellCheck={false}
            />
          </Field>
        ))}
      </section>
      <section className={styles.section} aria-labelledby="admin-steps-title">
        <Subtitle2 as="h2" block id="admin-steps-title">
          {i18n.t('setupTitle')}
        </Subtitle2>
        {built.steps.map((step) => (
          <Step key={step.id} step={step} validation={validation} />
        ))}
      </section>
      <section className={styles.section} aria-labelledby="admin-notes-title">
        <Subtitle2 as="h2" block id="admin-notes-title">
          {i18n.t('notesTitle')}
        </Subtitle2>
        <ul className={styles.notes}>
          {NOTES.map((note) => (
            <li key={note}>
              <Body1>{i18n.t(note)}</Body1>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

const stepKey = (number: number, part: 'Title' | 'What' | 'Why') => `step${number}${part}` as AdminKey;

/** A name the server gave, in words where the catalogue has them under `prefix`, else as it is. */
function useLabel(prefix: 'fact' | 'value') {
  const { i18n } = useAdmin();
  return (name: string) => {
    const key = `${prefix}_${name}`;
    return key in en ? i18n.t(key as AdminKey) : name;
  };
}

function Step({ step, validation }: { step: SetupStep; validation: Validation }) {
  const styles = useStyles();
  const { i18n } = useAdmin();
  const checks = validation.report?.items.filter((check) => check.step === step.step) ?? [];
  const titleId = `admin-step-${step.step}`;
  const factLabel = useLabel('fact');
  const valueLabel = useLabel('value');
  const missing = [...new Set(step.commands.flatMap((command) => command.missing))];
  return (
    <article className={styles.step} aria-labelledby={titleId} data-step={step.step}>
      <div className={styles.stepHeader}>
        <Subtitle2 as="h3" block id={titleId}>
          {i18n.t('stepLabel', { number: step.step, title: i18n.t(stepKey(step.step, 'Title')) })}
        </Subtitle2>
        {validation.report && checks.length === 0 ? (
          <Caption1 className={styles.muted}>{i18n.t('statusManual')}</Caption1>
        ) : (
          <StatusBadge status={worstStatus(checks.map((check) => check.status))} />
        )}
      </div>
      <StepExplained step={step} />
      <Facts facts={step.facts} label={factLabel} />
      {missing.length > 0 && (
        <Caption1 className={styles.muted}>
          {i18n.t('missingValues', { names: missing.map(valueLabel).join(', ') })}
        </Caption1>
      )}
      <StepCommands step={step} />
      {step.alternative && (
        <>
          <Body1>
            <strong>{i18n.t('alternativeTitle')}</strong>
          </Body1>
          <Facts facts={step.alternative.facts} label={factLabel} />
          {step.alternative.commands.map((command, index) => (
            <CommandBlock
              key={command.id}
              text={command.text}
              copyLabel={i18n.t('copyCommand', { index: step.commands.length + index + 1, number: step.step })}
            />
          ))}
        </>
      )}
      {checks
        .filter((check) => check.status !== 'pass')
        .map((check) => (
          <Caption1 key={check.id}>
            {i18n.t(`check_${check.id}`)}: {check.detail}
          </Caption1>
        ))}
    </article>
  );
}

/** What the step does and why, its warning, and where in an admin center it is done. */
function StepExplained({ step }: { step: SetupStep }) {
  const { i18n } = useAdmin();
  return (
    <>
      <Body1>
        <strong>{i18n.t('stepWhat')}: </strong>
        {i18n.t(stepKey(step.step, 'What'))}
      </Body1>
      <Body1>
        <strong>{i18n.t('stepWhy')}: </strong>
        {i18n.t(stepKey(step.step, 'Why'))}
      </Body1>
      {step.step === 4 && (
        <MessageBar intent="warning">
          <MessageBarBody>{i18n.t('step4Warning')}</MessageBarBody>
        </MessageBar>
      )}
      {step.adminCenter && (
        <Body1>
          <strong>{i18n.t('stepWhere')}: </strong>
          <Link href={step.adminCenter.url} target="_blank" rel="noopener noreferrer">
            {step.adminCenter.path.join(' › ')}
          </Link>
        </Body1>
      )}
    </>
  );
}

/** The step's commands to copy; a complete address is a link instead. */
function StepCommands({ step }: { step: SetupStep }) {
  const { i18n } = useAdmin();
  return (
    <>
      {step.commands.map((command, index) =>
        command.shell === 'url' && command.missing.length === 0 ? (
          <div key={command.id}>
            <Link href={command.text} target="_blank" rel="noopener noreferrer">
              {command.text}
            </Link>
          </div>
        ) : (
          <CommandBlock
            key={command.id}
            text={command.text}
            copyLabel={i18n.t('copyCommand', { index: index + 1, number: step.step })}
          />
        )
      )}
    </>
  );
}

function Facts({ facts, label }: { facts: SetupStep['facts']; label: (name: string) => string }) {
  const styles = useStyles();
  const shown = facts.filter((fact) => fact.value !== '');
  if (shown.length === 0) return null;
  return (
    <dl className={styles.facts}>
      {shown.map((fact) => (
        <div key={fact.name} style={{ display: 'contents' }}>
          <dt className={styles.factLabel}>
            <Caption1>{label(fact.name)}</Caption1>
          </dt>
          <dd className={styles.factValue}>{fact.value}</dd>
        </div>
      ))}
    </dl>
  );
}
