import {
  Body1,
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Skeleton,
  SkeletonItem,
  Subtitle2,
  tokens
} from '@fluentui/react-components';
import { MailInboxRegular } from '@fluentui/react-icons';
import { ApiError } from '../../api/client.js';
import { failureText } from '../../api/problems.js';
import { SignInRequiredError } from '../../auth/tokens.js';
import { useI18n } from '../services.js';

/** A calm message in place of the pane's content: a large icon over a title and a sentence, centred. */
export const useCalmStyles = makeStyles({
  calm: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    textAlign: 'center',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalL}`,
    color: tokens.colorNeutralForeground2
  },
  icon: { fontSize: '40px', color: tokens.colorNeutralForeground3 }
});

const useStyles = makeStyles({
  skeleton: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM
  },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' }
});

export function NoItem({ title, text }: { title?: string; text?: string }) {
  const styles = useCalmStyles();
  const { t } = useI18n();
  return (
    <section className={styles.calm} aria-live="polite">
      <MailInboxRegular className={styles.icon} aria-hidden />
      <Subtitle2 as="h2" block>
        {title ?? t('noItemTitle')}
      </Subtitle2>
      <Body1>{text ?? t('noItemText')}</Body1>
    </section>
  );
}

/** `lists`: only the lists' place, under a header and actions already drawn from the open item. */
export function PaneSkeleton({ lists = false }: { lists?: boolean }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <Skeleton className={styles.skeleton} aria-label={t('loading')} aria-busy>
      {!lists && (
        <>
          <div className={styles.row}>
            <SkeletonItem shape="circle" size={40} />
            <div style={{ flex: 1 }}>
              <SkeletonItem size={16} />
              <SkeletonItem size={12} style={{ width: '60%', marginTop: 6 }} />
            </div>
          </div>
          <SkeletonItem size={32} />
        </>
      )}
      {[0, 1, 2, 3].map((i) => (
        <SkeletonItem key={i} size={48} />
      ))}
    </Skeleton>
  );
}

/** Whether an error means "sign in again" rather than "try again". */
export const isSignInError = (error: unknown) =>
  error instanceof SignInRequiredError || (error instanceof ApiError && error.status === 401);

/**
 * Sign in, then `onSignedIn` (which tries again). The sign-in window opens within the click's own task, as
 * browsers and Office require of windows (see src/addin/auth/nested-app-auth.ts): nothing is awaited first.
 * Whether it worked or not, the pane then tries again, and a new error says what is still needed.
 */
export function SignInButton({ error, onSignedIn }: { error: unknown; onSignedIn: () => void }) {
  const { t } = useI18n();
  const signIn = () => {
    const interactive = error instanceof SignInRequiredError ? error.signIn : undefined;
    if (!interactive) return onSignedIn();
    interactive().then(onSignedIn, onSignedIn);
  };
  return (
    <Button appearance="primary" onClick={signIn}>
      {t('signIn')}
    </Button>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useI18n();
  if (isSignInError(error)) {
    const blocked = error instanceof SignInRequiredError && error.popupBlocked;
    return (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{t('signedOutTitle')}</MessageBarTitle>
          {blocked ? t('signInBlockedText') : t('signedOutText')}
        </MessageBarBody>
        <MessageBarActions>
          <SignInButton error={error} onSignedIn={onRetry} />
        </MessageBarActions>
      </MessageBar>
    );
  }
  const unreachable = !(error instanceof ApiError) || error.unreachable;
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{unreachable ? t('unreachableTitle') : t('errorTitle')}</MessageBarTitle>
        {unreachable ? t('unreachableText') : failureText(error, { t })}
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={onRetry}>{t('retry')}</Button>
      </MessageBarActions>
    </MessageBar>
  );
}

/** A part of the pane that could not load (history, opportunities): its heading, the error and a retry, in place. */
export function PartError({ title, error, onRetry }: { title: string; error: unknown; onRetry: () => void }) {
  return (
    <section aria-label={title}>
      <Subtitle2 as="h2">{title}</Subtitle2>
      <ErrorState error={error} onRetry={onRetry} />
    </section>
  );
}
