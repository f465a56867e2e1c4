import {
  Button,
  Caption1,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
  Subtitle2,
  Switch,
  Textarea,
  tokens
} from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import type { MailboxSettings, MailboxSettingsUpdate } from '../../../shared/schemas/mailbox.js';
import type { HistoryVisibility, TenantSettings, TenantSettingsUpdate } from '../../../shared/schemas/settings.js';
import type { AdminKey, AdminTranslator } from '../../i18n/admin/index.js';
import { ErrorState, PaneSkeleton } from '../components/States.js';
import { useAdmin } from './context.js';
import { ApiError } from '../../api/client.js';
import { fieldErrorsOf, messageFor, NO_ERRORS, type FieldErrors, type FieldProblem } from './field-errors.js';

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
export function settingsErrorsOf(error: unknown, form: SettingsForm, i18n: AdminTranslator): FieldErrors {
  const word = ({ field, index }: FieldProblem): string => {
    switch (field) {
      case 'mailboxAddress':
        return i18n.t(form.mailboxAddress.trim() ? 'invalidMailboxAddress' : 'requiredMailboxAddress');
      case 'intervalSeconds':
        return i18n.t('invalidInterval');
      case 'batchSize':
        return i18n.t('invalidBatchSize');
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
  const found = fieldErrorsOf(error, word);
  const fields: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(found.fields)) {
    const shownAt = field === 'intervalSeconds' ? 'intervalMinutes' : field;
    if (shownAt in form) fields[shownAt] = messages;
  }
  const summary =
    Object.keys(fields).length > 0
      ? i18n.t('saveFailed')
      : error instanceof ApiError && error.status === 403
        ? i18n.t('saveForbidden')
        : i18n.t('saveFailedRetry');
  return { fields, summary };
}

/** Every visibility, with its words (a record, so a new one fails the type check until it is worded). */
const VISIBILITY_LABELS: Record<HistoryVisibility, AdminKey> = {
  organization: 'visibility_organization',
  team: 'visibility_team',
  own: 'visibility_own'
};
const VISIBILITIES = Object.keys(VISIBILITY_LABELS) as HistoryVisibility[];

type Loaded = { saved: SettingsForm; settings: MailboxSettings };

export function Settings() {
  const styles = useStyles();
  const { api, i18n } = useAdmin();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setLoadError(null);
    Promise.all([api.mailboxSettings(), api.tenantSettings()]).then(
      ([settings, tenant]) => {
        if (cancelled) return;
        const saved = toForm(settings, tenant);
        setLoaded({ saved, settings });
        setForm(saved);
      },
      (error: unknown) => !cancelled && setLoadError(error)
    );
    return () => {
      cancelled = true;
    };
  }, [api, version]);

  if (loadError) return <ErrorState error={loadError} onRetry={() => setVersion((v) => v + 1)} />;
  if (!loaded || !form) return <PaneSkeleton />;

  const set = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]) => {
    setForm({ ...form, [key]: value });
    setNotice(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    setNotice(null);
    try {
      const patch = mailboxChanges(loaded.saved, form);
      let settings = loaded.settings;
      if (Object.keys(patch).length > 0) settings = await api.saveMailboxSettings(patch);
      let tenant: TenantSettings = {
        historyVisibility: loaded.saved.historyVisibility,
        sendPrompt: loaded.saved.sendPrompt
      };
      const tenantPatch: TenantSettingsUpdate = {
        ...(form.historyVisibility !== tenant.historyVisibility ? { historyVisibility: form.historyVisibility } : {}),
        ...(form.sendPrompt !== tenant.sendPrompt ? { sendPrompt: form.sendPrompt } : {})
      };
      if (Object.keys(tenantPatch).length > 0) tenant = await api.saveTenantSettings(tenantPatch);
      const saved = toForm(settings, tenant);
      setLoaded({ saved, settings });
      setForm(saved);
      setNotice(i18n.t('saved'));
    } catch (error) {
      setErrors(settingsErrorsOf(error, form, i18n));
    } finally {
      setBusy(false);
    }
  };

  const fieldProps = (field: string) => {
    const message = messageFor(errors, field);
    return message ? { validationState: 'error' as const, validationMessage: message } : {};
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
      <Field {...fieldProps('enabled')}>
        <Switch
          label={i18n.t('enabled')}
          checked={form.enabled}
          onChange={(_e, data) => set('enabled', data.checked)}
        />
      </Field>
      <Field label={i18n.t('mailboxAddress')} {...fieldProps('mailboxAddress')}>
        <Input
          type="email"
          value={form.mailboxAddress}
          onChange={(_e, data) => set('mailboxAddress', data.value)}
          spellCheck={false}
        />
      </Field>
      <Field label={i18n.t('interval')} {...fieldProps('intervalMinutes')}>
        <Input
          inputMode="numeric"
          value={form.intervalMinutes}
          onChange={(_e, data) => set('intervalMinutes', data.value)}
        />
      </Field>
      <Field label={i18n.t('batchSize')} {...fieldProps('batchSize')}>
        <Input inputMode="numeric" value={form.batchSize} onChange={(_e, data) => set('batchSize', data.value)} />
      </Field>
      <Field label={i18n.t('neverLogDomains')} {...fieldProps('neverLogDomains')}>
        <Textarea
          value={form.neverLogDomains}
          onChange={(_e, data) => set('neverLogDomains', data.value)}
          spellCheck={false}
          resize="vertical"
        />
      </Field>
      <Field label={i18n.t('neverLogAddresses')} {...fieldProps('neverLogAddresses')}>
        <Textarea
          value={form.neverLogAddresses}
          onChange={(_e, data) => set('neverLogAddresses', data.value)}
          spellCheck={false}
          resize="vertical"
        />
      </Field>
      <Field {...fieldProps('skipInternalOnly')}>
        <Switch
          label={i18n.t('skipInternalOnly')}
          checked={form.skipInternalOnly}
          onChange={(_e, data) => set('skipInternalOnly', data.checked)}
        />
      </Field>
      <Field label={i18n.t('historyVisibility')} hint={i18n.t('visibilityNote')} {...fieldProps('historyVisibility')}>
        <RadioGroup
          value={form.historyVisibility}
          onChange={(_e, data) => set('historyVisibility', data.value as HistoryVisibility)}
        >
          {VISIBILITIES.map((visibility) => (
            <Radio key={visibility} value={visibility} label={i18n.t(VISIBILITY_LABELS[visibility])} />
          ))}
        </RadioGroup>
      </Field>
      <Field hint={i18n.t('sendPromptNote')} {...fieldProps('sendPrompt')}>
        <Switch
          label={i18n.t('sendPromptSetting')}
          checked={form.sendPrompt}
          onChange={(_e, data) => set('sendPrompt', data.checked)}
        />
      </Field>
      {errors.summary && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{errors.summary}</MessageBarBody>
        </MessageBar>
      )}
      {notice && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined}>
          {i18n.t('save')}
        </Button>
      </div>
    </form>
  );
}
