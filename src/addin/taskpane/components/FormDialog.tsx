import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  makeStyles,
  MessageBar,
  MessageBarBody,
  tokens
} from '@fluentui/react-components';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useI18n } from '../services.js';

const useStyles = makeStyles({
  // Fluent's surface takes the whole width of a narrow window (its max-width stays at 600 px on wide ones);
  // in the pane it keeps a margin on both sides and its automatic margins centre it.
  surface: { width: `calc(100% - 2 * ${tokens.spacingHorizontalL})` },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM }
});

/** The pane's dialogs: a form with a title, fields, what went wrong, and Cancel / submit. */
export function FormDialog({
  open,
  title,
  submitLabel,
  busy,
  failure,
  onSubmit,
  onClose,
  children
}: {
  open: boolean;
  title: string;
  submitLabel: string;
  busy: boolean;
  failure: string | null;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Dialog open={open} onOpenChange={(_event, data) => !data.open && onClose()}>
      <DialogSurface aria-describedby={undefined} className={styles.surface}>
        <form onSubmit={submit} noValidate>
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent className={styles.form}>
              {children}
              {failure && (
                <MessageBar intent="error" role="alert">
                  <MessageBarBody>{failure}</MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button disabled={busy}>{t('cancel')}</Button>
              </DialogTrigger>
              <Button type="submit" appearance="primary" disabled={busy}>
                {submitLabel}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

/** A form's values and their messages: a change to a field clears that field's message. */
export function useFields<Form extends object, Name extends string = Extract<keyof Form, string>>(initial: () => Form) {
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<Name, string>>>({});
  const set = (name: Extract<keyof Form, string>) => (value: string) => {
    setForm((previous) => ({ ...previous, [name]: value }));
    setErrors((previous) => ({ ...previous, [name]: undefined }));
  };
  /** Shows `found` and says whether the form may be sent (no field has a message). */
  const accept = (found: Partial<Record<Name, string>>) => {
    setErrors(found);
    return !Object.values(found).some(Boolean);
  };
  return { form, errors, set, setErrors, accept };
}

/**
 * A dialog's save: busy while it runs, the dialog closed when it succeeds, and what `explain` makes of a failure
 * shown in the dialog. `dialog` is what FormDialog takes of it: busy, failure and onClose.
 */
export function useDialogSave(onClose: () => void) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const save = async (action: () => Promise<void>, explain: (error: unknown) => string) => {
    setBusy(true);
    setFailure(null);
    try {
      await action();
      onClose();
    } catch (error) {
      setFailure(explain(error));
    } finally {
      setBusy(false);
    }
  };
  return { dialog: { busy, failure, onClose }, save };
}
