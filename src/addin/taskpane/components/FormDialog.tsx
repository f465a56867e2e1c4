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
import type { FormEvent, ReactNode } from 'react';
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
