import { Button } from '@fluentui/react-components';
import { CopyRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useAdmin } from './context.js';

/*
 * Copies a command. The Clipboard API needs a secure context and the page's permission, which an add-in's
 * webview does not always give; then a selected, off-screen text area and the copy command do it.
 */

export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // fall through to the older way
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.left = '-9999px';
  document.body.appendChild(area);
  const focused = document.activeElement as HTMLElement | null;
  area.focus();
  area.select();
  try {
    if (!document.execCommand('copy')) throw new Error('copy refused');
  } finally {
    area.remove();
    focused?.focus();
  }
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const { i18n } = useAdmin();
  const [outcome, setOutcome] = useState<'copied' | 'failed' | null>(null);
  useEffect(() => {
    if (!outcome) return;
    const timer = setTimeout(() => setOutcome(null), 4000);
    return () => clearTimeout(timer);
  }, [outcome]);
  return (
    <>
      <Button
        size="small"
        icon={<CopyRegular />}
        aria-label={label}
        onClick={() =>
          copyText(text).then(
            () => setOutcome('copied'),
            () => setOutcome('failed')
          )
        }
      >
        {i18n.t('copy')}
      </Button>
      {/* Announced to screen readers; shown beside the button. */}
      <span role="status" aria-live="polite">
        {outcome === 'copied' ? i18n.t('copied') : outcome === 'failed' ? i18n.t('copyFailed') : ''}
      </span>
    </>
  );
}
