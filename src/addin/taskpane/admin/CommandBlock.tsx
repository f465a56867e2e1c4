import { makeStyles, tokens } from '@fluentui/react-components';
import { CopyButton } from './CopyButton.js';

/* A command to copy, shown as it will be pasted: monospace, wrapped, selectable. */

const useStyles = makeStyles({
  block: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalXS,
    width: '100%'
  },
  code: {
    margin: 0,
    width: '100%',
    boxSizing: 'border-box',
    padding: tokens.spacingHorizontalS,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground1,
    borderRadius: tokens.borderRadiusMedium
  },
  actions: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS }
});

export function CommandBlock({ text, copyLabel }: { text: string; copyLabel: string }) {
  const styles = useStyles();
  return (
    <div className={styles.block}>
      <pre className={styles.code} tabIndex={0}>
        <code>{text}</code>
      </pre>
      <div className={styles.actions}>
        <CopyButton text={text} label={copyLabel} />
      </div>
    </div>
  );
}
