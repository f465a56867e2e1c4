import { createCatalogueTranslator, type Translator } from '../index.js';
import { adminEn, type AdminCatalogue, type AdminKey } from './en.js';
import { adminFi } from './fi.js';
import { adminIs } from './is.js';
import { adminIt } from './it.js';
import { adminRu } from './ru.js';
import { adminSv } from './sv.js';

/* The admin view's translator: the same languages and formatting as the pane's, over the admin catalogues. */

/** The pane's six languages; any other falls back to English. */
export const ADMIN_CATALOGUES: Record<string, AdminCatalogue> = {
  en: adminEn,
  ru: adminRu,
  fi: adminFi,
  sv: adminSv,
  it: adminIt,
  is: adminIs
};

export type AdminTranslator = Translator<AdminKey>;

export const createAdminTranslator = (displayLanguage: string | undefined): AdminTranslator =>
  createCatalogueTranslator(displayLanguage, ADMIN_CATALOGUES, adminEn);
