import { useCallback, useState } from 'react';
import type { ServerAction } from '../../../shared/admin-checks.js';
import type { ValidationReport } from '../../../shared/schemas/admin.js';
import { useAdmin } from './context.js';

/*
 * "Validate configuration": the last report (kept while the admin moves between sections, so each setup
 * step keeps its status), and the server-side fixes, each followed by a fresh validation.
 */

export interface Validation {
  report: ValidationReport | null;
  busy: boolean;
  /** The action under way, if any. */
  acting: ServerAction | null;
  error: unknown;
  validate(): Promise<void>;
  runAction(action: ServerAction): Promise<void>;
}

export function useValidation(): Validation {
  const { api } = useAdmin();
  const [report, setReport] = useState<ValidationReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [acting, setActing] = useState<ServerAction | null>(null);
  const [error, setError] = useState<unknown>(null);

  const validate = useCallback(async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await api.validate());
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }, [api]);

  const runAction = useCallback(
    async (action: ServerAction) => {
      setActing(action);
      setError(null);
      try {
        await api.runAction(action);
      } catch (failure) {
        setError(failure);
        return;
      } finally {
        setActing(null);
      }
      await validate();
    },
    [api, validate]
  );

  return { report, busy, acting, error, validate, runAction };
}
