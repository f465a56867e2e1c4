import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { createTransport } from '../../api/client.js';
import { failureText } from '../../api/problems.js';
import { createAdminTranslator, type AdminTranslator } from '../../i18n/admin/index.js';
import { useServices } from '../services.js';
import { createAdminApi, type AdminApi } from './admin-api.js';

/* What the admin view's parts share: its API client, its words and the words for a failed request. */

export interface AdminServices {
  api: AdminApi;
  i18n: AdminTranslator;
  /** A failed request in one sentence of the user's language (the pane's catalogue words the API's codes). */
  failureText: (error: unknown) => string;
}

const AdminContext = createContext<AdminServices | null>(null);

/** Built from the pane's services: the same sign-in and language; a test may hand in its own admin API. */
export function AdminProvider({ children }: { children: ReactNode }) {
  const { config, tokens, i18n, adminApi } = useServices();
  const value = useMemo(
    () => ({
      api: adminApi ?? createAdminApi(createTransport(config.apiBaseUrl, tokens.apiToken)),
      i18n: createAdminTranslator(i18n.tag),
      failureText: (error: unknown) => failureText(error, i18n)
    }),
    [adminApi, config.apiBaseUrl, tokens, i18n]
  );
  return <AdminContext.Provider value={value}>{children}</AdminContext.Provider>;
}

export function useAdmin(): AdminServices {
  const services = useContext(AdminContext);
  if (!services) throw new Error('useAdmin outside AdminProvider');
  return services;
}
