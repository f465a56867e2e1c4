import { Button, makeStyles, MessageBar, MessageBarBody, Subtitle2, tokens } from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';
import { adminEn, type AdminKey, type AdminTranslator } from '../../i18n/admin/index.js';
import { useAdmin } from './context.js';

/* What the admin sections share: their layout, a notice after an action, and "Load more" under a list. */

/** A code's words by its key, or `fallback` when this catalogue does not know the key (a code newer than the pane). */
export function knownText(t: AdminTranslator['t'], key: string, fallback: string): string {
  return key in adminEn ? t(key as AdminKey) : fallback;
}

/** A section's column, its lists (a row per item, ruled off), quieter text, and figures (a term beside its value). */
export const useSectionStyles = makeStyles({
  view: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`
  },
  row: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground2 },
  figures: { margin: 0, display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: tokens.spacingHorizontalM },
  figureValue: { margin: 0, fontWeight: 600 }
});

/** A part of a section under its own heading, which names it for assistive technology. */
export function Section({
  id,
  title,
  className,
  children
}: {
  id: string;
  title: string;
  className?: string;
  children: ReactNode;
}) {
  const styles = useSectionStyles();
  return (
    <section className={className ?? styles.section} aria-labelledby={id}>
      <Subtitle2 as="h3" block id={id}>
        {title}
      </Subtitle2>
      {children}
    </section>
  );
}

/** A success (announced politely) or an error (announced at once); nothing without text. */
export function Notice({ intent, text }: { intent: 'success' | 'error'; text: string | null }) {
  if (!text) return null;
  return (
    <MessageBar intent={intent} role={intent === 'error' ? 'alert' : 'status'}>
      <MessageBarBody>{text}</MessageBarBody>
    </MessageBar>
  );
}

/** "Load more" while the list has a next page: disabled while that page loads, its failure said above it. */
export function LoadMore({
  hasMore,
  loadingMore,
  error,
  onLoadMore
}: {
  hasMore: boolean;
  loadingMore: boolean;
  error: unknown;
  onLoadMore: () => void;
}) {
  const { i18n, failureText } = useAdmin();
  if (!hasMore) return null;
  return (
    <>
      <Notice intent="error" text={error ? failureText(error) : null} />
      <Button disabled={loadingMore} onClick={onLoadMore}>
        {loadingMore ? i18n.t('loading') : i18n.t('loadMore')}
      </Button>
    </>
  );
}

/** An action's run: which one is busy (one at a time), and its failure in the user's words. */
export function useAction<K>() {
  const { failureText } = useAdmin();
  const [busy, setBusy] = useState<K | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const run = async (which: K, action: () => Promise<void>) => {
    setBusy(which);
    setFailure(null);
    try {
      await action();
    } catch (error) {
      setFailure(failureText(error));
    } finally {
      setBusy(null);
    }
  };
  return { busy, failure, run };
}
