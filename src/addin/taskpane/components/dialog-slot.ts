import { useState } from 'react';

/**
 * Which of a view's dialogs is open. The last one opened stays mounted after it closes (and is replaced by the
 * next one opened, keyed by `serial`): unmounting an open Fluent dialog would leave the rest of the pane hidden
 * from screen readers.
 */
export function useDialogSlot<Kind extends string>() {
  const [dialog, setDialog] = useState<{ kind: Kind; open: boolean; serial: number } | null>(null);
  const open = (kind: Kind) => setDialog((previous) => ({ kind, open: true, serial: (previous?.serial ?? 0) + 1 }));
  const close = () => setDialog((previous) => previous && { ...previous, open: false });
  return { dialog, open, close };
}
