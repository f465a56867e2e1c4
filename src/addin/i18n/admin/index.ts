import { createCatalogueTranslator, type Translator } from '../index.js';
import { adminEn, type AdminCatalogue, type AdminKey } from './en.js';
import { adminRu } from './ru.js';

/* The admin view's translator: the same languages and formatting as the pane's, over the admin catalogues. */

/** Languages without their admin catalogue yet fall back to English. */
export const ADMIN_CATALOGUES: Record<string, AdminCatalogue> = { en: adminEn, ru: adminRu };

export type AdminTranslator = Translator<AdminKey>;

export const createAdminTranslator = (displayLanguage: string | undefined): AdminTranslator =>
  createCatalogueTranslator(displayLanguage, ADMIN_CATALOGUES, adminEn);
