import {
  Body1,
  FluentProvider,
  Link,
  makeStyles,
  Subtitle2,
  webDarkTheme,
  webLightTheme
} from '@fluentui/react-components';
import { MailRegular } from '@fluentui/react-icons';
import type { Translator } from '../../i18n/index.js';
import { useCalmStyles } from './States.js';

/*
 * What the pane shows when Office.js is there but Outlook is not: the page opened straight in a browser, or
 * in an Office application without a mailbox. Nothing of the pane works there, so it says where to open it.
 */

const useStyles = makeStyles({ provider: { minHeight: '100vh' } });

export interface OutsideOutlookProps {
  i18n: Translator;
  /** In development, where the pane can be tried beside a stand-in mailbox. */
  previewUrl: string | null;
}

export function OutsideOutlook({ i18n, previewUrl }: OutsideOutlookProps) {
  const styles = useStyles();
  const calm = useCalmStyles();
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme} className={styles.provider} lang={i18n.tag}>
      <main className={calm.calm}>
        <MailRegular className={calm.icon} aria-hidden />
        <Subtitle2 as="h1">{i18n.t('outsideOutlookTitle')}</Subtitle2>
        <Body1>{i18n.t('outsideOutlookText')}</Body1>
        {previewUrl && (
          <Body1>
            <Link href={previewUrl}>{i18n.t('outsideOutlookPreview')}</Link>
          </Body1>
        )}
      </main>
    </FluentProvider>
  );
}
