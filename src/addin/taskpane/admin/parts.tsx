import { Button, MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useAdmin } from './context.js';

/* Small parts the admin sections share: a notice after an action, and "Load more" under a list. */

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
