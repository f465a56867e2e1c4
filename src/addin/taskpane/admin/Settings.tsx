import {
  Button,
  Caption1,
  Field,
  Input,
  makeStyles,
  Radio,
  RadioGroup,
  Spinner,
  Subtitle2,
  Switch,
  Textarea,
  tokens
} from '@fluentui/react-components';
import { useCallback, useState, type FormEvent } from 'react';
import type { MailboxSettings, MailboxSettingsUpdate } from '../../../shared/schemas/mailbox.js';
import type { HistoryVisibility, TenantSettings, TenantSettingsUpdate } from '../../../shared/schemas/settings.js';
import {
  failureOf,
  fieldMessagesOf,
  fieldValidation,
  NO_FORM_ERRORS,
  type FieldMessages,
  type FieldProblem,
  type FormErrors
} from '../../api/problems.js';
import type { AdminKey, AdminTranslator } from '../../i18n/admin/index.js';
import { ErrorState, PaneSkeleton } from '../components/States.js';
import { useLoadable } from '../hooks/loadable.js';
import type { AdminApi } from './admin-api.js';
import { useAdmin } from './context.js';
import { Notice } from './parts.js';

/*
 * Automatic logging's settings and who sees whose history, in one form. Only what changed is sent; the
 * API's validation errors are shown at the fields their pointers name.
 */

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS }
});

interface SettingsForm {
  enabled: boolean;
  mailboxAddress: string;
  intervalMinutes: string;
  batchSize: string;
  captureAlertHours: string;
  neverLogDomains: string;
  neverLogAddresses: string;
  skipInternalOnly: boolean;
  historyVisibility: HistoryVisibility;
  sendPrompt: boolean;
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

function toForm(settings: MailboxSettings, tenant: TenantSettings): SettingsForm {
  return {
    enabled: settings.enabled,
    mailboxAddress: settings.mailboxAddress ?? '',
    intervalMinutes: String(settings.intervalSeconds / 60),
    batchSize: String(settings.batchSize),
    captureAlertHours: String(settings.captureAlertHours),
    neverLogDomains: settings.neverLogDomains.join('\n'),
    neverLogAddresses: settings.neverLogAddresses.join('\n'),
    skipInternalOnly: settings.skipInternalOnly,
    historyVisibility: tenant.historyVisibility,
    sendPrompt: tenant.sendPrompt
  };
}

/** The mailbox settings that differ from what is saved; a number that is not one is sent as typed, for the API to refuse. */
export function mailboxChanges(saved: SettingsForm, form: SettingsForm): MailboxSettingsUpdate {
  const patch: Record<string, unknown> = {};
  if (form.enabled !== saved.enabled) patch.enabled = form.enabled;
  if (form.mailboxAddress.trim() !== saved.mailboxAddress) patch.mailboxAddress = form.mailboxAddress.trim() || null;
  if (form.intervalMinutes.trim() !== saved.intervalMinutes) {
    const minutes = Number(form.intervalMinutes.trim());
    patch.intervalSeconds = Number.isFinite(minutes) ? Math.round(minutes * 60) : form.intervalMinutes;
  }
  if (form.batchSize.trim() !== saved.batchSize) {
    const size = Number(form.batchSize.trim());
    patch.batchSize = Number.isFinite(size) ? size : form.batchSize;
  }
  if (form.captureAlertHours.trim() !== saved.captureAlertHours) {
    const hours = Number(form.captureAlertHours.trim());
    patch.captureAlertHours = Number.isFinite(hours) ? hours : form.captureAlertHours;
  }
  if (lines(form.neverLogDomains).join('\n') !== saved.neverLogDomains)
    patch.neverLogDomains = lines(form.neverLogDomains);
  if (lines(form.neverLogAddresses).join('\n') !== saved.neverLogAddresses) {
    patch.neverLogAddresses = lines(form.neverLogAddresses);
  }
  if (form.skipInternalOnly !== saved.skipInternalOnly) patch.skipInternalOnly = form.skipInternalOnly;
  return patch as MailboxSettingsUpdate;
}

/** The 1-based line of the textarea holding the n-th address or domain sent (blank lines are not sent). */
function textLineOf(text: string, index: number): number {
  const all = text.split('\n');
  let seen = -1;
  for (const [line, value] of all.entries()) {
    if (value.trim() && ++seen === index) return line + 1;
  }
  return index + 1;
}

/**
 * The API's errors in the form's words, at the form's fields: the interval is asked in minutes (the API speaks of
 * seconds), list errors name the textarea's line, and no validator wording or field path reaches the admin.
 */
export function settingsErrorsOf(error: unknown, form: SettingsForm, i18n: AdminTranslator): FormErrors {
  const word = ({ field, index }: FieldProblem): string => {
    switch (field) {
      case 'mailboxAddress':
        return i18n.t(form.mailboxAddress.trim() ? 'invalidMailboxAddress' : 'requiredMailboxAddress');
      case 'intervalSeconds':
        return i18n.t('invalidInterval');
      case 'batchSize':
        return i18n.t('invalidBatchSize');
      case 'captureAlertHours':
        return i18n.t('invalidCaptureAlertHours');
      case 'neverLogDomains':
        return index === undefined
          ? i18n.t('tooManyDomains')
          : i18n.t('invalidDomainLine', { line: textLineOf(form.neverLogDomains, index) });
      case 'neverLogAddresses':
        return index === undefined
          ? i18n.t('tooManyAddresses')
          : i18n.t('invalidAddressLine', { line: textLineOf(form.neverLogAddresses, index) });
      default:
        return i18n.t('invalidSetting');
    }
  };
  const fields: FieldMessages = {};
  for (const [field, message] of Object.entries(fieldMessagesOf(error, word))) {
    const shownAt = field === 'intervalSeconds' ? 'intervalMinutes' : field;
    if (shownAt in form) fields[shownAt] = message;
  }
  const message =
    Object.keys(fields).length > 0
      ? i18n.t('saveFailed')
      : failureOf(error) === 'forbidden'
        ? i18n.t('saveForbidden')
        : i18n.t('saveFailedRetry');
  return { fields, message };
}

/** Every visibility, with its words (a record, so a new one fails the type check until it is worded). */
const VISIBILITY_LABELS: Record<HistoryVisibility, AdminKey> = {
  organization: 'visibility_organization',
  team: 'visibility_team',
  own: 'visibility_own'
};
const VISIBILITIES = Object.keys(VISIBILITY_LABELS) as HistoryVisibility[];

type Loaded = { saved: SettingsForm; settings: MailboxSettings };

/** Saves what changed of both settings (each only when something of it did) and gives what is now saved. */
async function saveChanges(api: AdminApi, loaded: Loaded, form: SettingsForm): Promise<Loaded> {
  const patch = mailboxChanges(loaded.saved, form);
  const settings = Object.keys(patch).length > 0 ? await api.saveMailboxSettings(patch) : loaded.settings;
  const tenantPatch: TenantSettingsUpdate = {
    ...(form.historyVisibility !== loaded.saved.historyVisibility ? { historyVisibility: form.historyVisibility } : {}),
    ...(form.sendPrompt !== loaded.saved.sendPrompt ? { sendPrompt: form.sendPrompt } : {})
  };
  const tenant: TenantSettings =
    Object.keys(tenantPatch).length > 0
      ? await api.saveTenantSettings(tenantPatch)
      : { historyVisibility: loaded.saved.historyVisibility, sendPrompt: loaded.saved.sendPrompt };
  return { saved: toForm(settings, tenant), settings };
}

export function Settings() {
  const { api } = useAdmin();
  const load = useCallback(async (): Promise<Loaded> => {
    const [settings, tenant] = await Promise.all([api.mailboxSettings(), api.tenantSettings()]);
    return { saved: toForm(settings, tenant), settings };
  }, [api]);
  const { state, retry } = useLoadable(load);
  if (state.status === 'error') return <ErrorState error={state.error} onRetry={retry} />;
  if (state.status === 'loading') return <PaneSkeleton />;
  return <SettingsEditor initial={state.data} />;
}

type SetField = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]) => void;

function SettingsEditor({ initial }: { initial: Loaded }) {
  const styles = useStyles();
  const { api, i18n } = useAdmin();
  const [loaded, setLoaded] = useState(initial);
  const [form, setForm] = useState(initial.saved);
  const [errors, setErrors] = useState<FormErrors>(NO_FORM_ERRORS);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const set: SetField = (key, value) => {
    setForm({ ...form, [key]: value });
    setNotice(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_FORM_ERRORS);
    setNotice(null);
    try {
      const now = await saveChanges(api, loaded, form);
      setLoaded(now);
      setForm(now.saved);
      setNotice(i18n.t('saved'));
    } catch (error) {
      setErrors(settingsErrorsOf(error, form, i18n));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className={styles.form}
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-labelledby="admin-settings-title"
    >
      <Subtitle2 as="h2" block id="admin-settings-title">
        {i18n.t('settingsTitle')}
      </Subtitle2>
      {loaded.settings.updatedAt && (
        <Caption1>
          {i18n.t('lastChanged', {
            date: i18n.date(loaded.settings.updatedAt),
            name: loaded.settings.updatedBy ?? '—'
          })}
        </Caption1>
      )}
      <MailboxFields form={form} errors={errors} set={set} />
      <TenantFields form={form} errors={errors} set={set} />
      <Notice intent="error" text={errors.message} />
      <Notice intent="success" text={notice} />
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined}>
          {i18n.t('save')}
        </Button>
      </div>
    </form>
  );
}

interface FieldsProps {
  form: SettingsForm;
  errors: FormErrors;
  set: SetField;
}

/** Automatic logging's own settings. */
function MailboxFields({ form, errors, set }: FieldsProps) {
  const { i18n } = useAdmin();
  const at = (field: keyof SettingsForm) => fieldValidation(errors.fields[field]);
  return (
    <>
      <Field {...at('enabled')}>
        <Switch
          label={i18n.t('enabled')}
          checked={form.enabled}
          onChange={(_e, data) => set('enabled', data.checked)}
        />
      </Field>
      <Field label={i18n.t('mailboxAddress')} {...at('mailboxAddress')}>
        <Input
          type="email"
          value={form.mailboxAddress}
          onChange={(_e, data) => set('mailboxAddress', data.value)}
          spellCheck={false}
        />
      </Field>
      <Field label={i18n.t('interval')} {...at('intervalMinutes')}>
        <Input
          inputMode="numeric"
          value={form.intervalMinutes}
          onChange={(_e, data) => set('intervalMinutes', data.value)}
        />
      </Field>
      <Field label={i18n.t('batchSize')} {...at('batchSize')}>
        <Input inputMode="numeric" value={form.batchSize} onChange={(_e, data) => set('batchSize', data.value)} />
      </Field>
      <Field label={i18n.t('captureAlertHours')} hint={i18n.t('captureAlertHoursHint')} {...at('captureAlertHours')}>
        <Input
          inputMode="numeric"
          value={form.captureAlertHours}
          onChange={(_e, data) => set('captureAlertHours', data.value)}
        />
      </Field>
      {(['neverLogDomains', 'neverLogAddresses'] as const).map((field) => (
        <Field key={field} label={i18n.t(field)} {...at(field)}>
          <Textarea
            value={form[field]}
            onChange={(_e, data) => set(field, data.value)}
            spellCheck={false}
            resize="vertical"
          />
        </Field>
      ))}
      <Field {...at('skipInternalOnly')}>
        <Switch
          label={i18n.t('skipInternalOnly')}
          checked={form.skipInternalOnly}
          onChange={(_e, data) => set('skipInternalOnly', data.checked)}
        />
      </Field>
    </>
  );
}

/** The tenant's settings: who sees whose history, and the prompt on send. */
function TenantFields({ form, errors, set }: FieldsProps) {
  const { i18n } = useAdmin();
  const at = (field: keyof SettingsForm) => fieldValidation(errors.fields[field]);
  return (
    <>
      <Field label={i18n.t('historyVisibility')} hint={i18n.t('visibilityNote')} {...at('historyVisibility')}>
        <RadioGroup
          value={form.historyVisibility}
          onChange={(_e, data) => set('historyVisibility', data.value as HistoryVisibility)}
        >
          {VISIBILITIES.map((visibility) => (
            <Radio key={visibility} value={visibility} label={i18n.t(VISIBILITY_LABELS[visibility])} />
          ))}
        </RadioGroup>
      </Field>
      <Field hint={i18n.t('sendPromptNote')} {...at('sendPrompt')}>
        <Switch
          label={i18n.t('sendPromptSetting')}
          checked={form.sendPrompt}
          onChange={(_e, data) => set('sendPrompt', data.checked)}
        />
      </Field>
    </>
  );
}
