import { Field, Input, Textarea } from '@fluentui/react-components';
import {
  MAX_NOTE_BODY_LENGTH,
  MAX_NOTE_SUBJECT_LENGTH,
  NOTE_MAX_AGE_DAYS,
  NOTE_MAX_AHEAD_DAYS
} from '../../../shared/limits.js';
import type { Contact } from '../../../shared/schemas/directory.js';
import { failureText, fieldMessagesOf } from '../../api/problems.js';
import { useServices, type PaneServices } from '../services.js';
import { FormDialog, useDialogSave, useFields } from './FormDialog.js';

interface FormState {
  subject: string;
  body: string;
  /** YYYY-MM-DD in the user's time zone. */
  date: string;
}
type Errors = Partial<Record<keyof FormState, string>>;

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
const localDate = (at: Date) => `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;

/** When the note happened: now for today, else midday of the day picked (so time zones keep the day). */
export function occurredAtOf(date: string, now = new Date()): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  if (date === localDate(now)) return now;
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const at = new Date(year, month - 1, day, 12);
  return Number.isNaN(at.getTime()) || localDate(at) !== date ? null : at;
}

/** The same bounds as the API's (domain/notes.ts), checked before sending. */
export function validateNote(form: FormState, t: PaneServices['i18n']['t'], now = new Date()): Errors {
  const errors: Errors = {};
  if (!form.subject.trim()) errors.subject = t('noteSubjectRequired');
  const at = occurredAtOf(form.date, now);
  const tooOld = now.getTime() - NOTE_MAX_AGE_DAYS * DAY_MS;
  const tooLate = now.getTime() + NOTE_MAX_AHEAD_DAYS * DAY_MS;
  if (!at || at.getTime() < tooOld || at.getTime() > tooLate) errors.date = t('noteDateInvalid');
  return errors;
}

/** Loaded on first use (React.lazy), with the other dialogs. */
export default function AddNoteDialog({
  contact,
  open,
  onClose,
  onAdded
}: {
  contact: Contact;
  open: boolean;
  onClose: () => void;
  onAdded: () => void;
}) {
  const { api, i18n } = useServices();
  const { form, errors, set, setErrors, accept } = useFields<FormState>(() => ({
    subject: '',
    body: '',
    date: localDate(new Date())
  }));
  const { dialog, save } = useDialogSave(onClose);

  const submit = () => {
    if (!accept(validateNote(form, i18n.t))) return;
    void save(
      async () => {
        await api.addNote({
          contactId: contact.id,
          subject: form.subject.trim(),
          body: form.body,
          occurredAt: (occurredAtOf(form.date) ?? new Date()).toISOString()
        });
        onAdded();
      },
      (error) => {
        // The API's field errors, in the words of the fields as the user sees them.
        const atFields = fieldMessagesOf(error, ({ field }) =>
          field === 'subject'
            ? i18n.t('noteSubjectRequired')
            : field === 'occurredAt'
              ? i18n.t('noteDateInvalid')
              : undefined
        );
        setErrors({ subject: atFields.subject, date: atFields.occurredAt });
        return failureText(error, i18n);
      }
    );
  };

  return (
    <FormDialog
      open={open}
      title={i18n.t('addNoteTitle', { name: contact.name })}
      submitLabel={i18n.t('save')}
      onSubmit={submit}
      {...dialog}
    >
      <Field label={i18n.t('noteSubject')} required validationMessage={errors.subject}>
        <Input value={form.subject} maxLength={MAX_NOTE_SUBJECT_LENGTH} onChange={(_e, d) => set('subject')(d.value)} />
      </Field>
      <Field label={i18n.t('noteText')}>
        <Textarea
          value={form.body}
          maxLength={MAX_NOTE_BODY_LENGTH}
          resize="vertical"
          rows={4}
          onChange={(_e, d) => set('body')(d.value)}
        />
      </Field>
      <Field label={i18n.t('noteDate')} validationMessage={errors.date}>
        <Input type="date" value={form.date} max={localDate(new Date())} onChange={(_e, d) => set('date')(d.value)} />
      </Field>
    </FormDialog>
  );
}
