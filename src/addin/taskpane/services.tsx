import { createContext, useContext, type ReactNode } from 'react';
import type { AddinConfig } from '../../shared/schemas/addin-config.js';
import type { ApiClient } from '../api/client.js';
import type { TokenSource } from '../auth/tokens.js';
import type { Translator } from '../i18n/index.js';
import type { OfficeHost } from '../office/types.js';
import type { AdminApi } from './admin/admin-api.js';

/** What every component may use, handed down once instead of through props. */
export interface PaneServices {
  host: OfficeHost;
  config: AddinConfig;
  tokens: TokenSource;
  api: ApiClient;
  i18n: Translator;
  /** Tests only: the admin view otherwise builds its client (in its own chunk) from config and tokens. */
  adminApi?: AdminApi;
}

const ServicesContext = createContext<PaneServices | null>(null);

export function ServicesProvider({ services, children }: { services: PaneServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): PaneServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesProvider');
  return services;
}

export const useI18n = (): Translator => useServices().i18n;
