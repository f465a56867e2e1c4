import { translationOf, type CatalogueOf } from '../catalogue.js';
import { createCatalogueTranslator, type Translator } from '../index.js';
import adminEn from './en.json' with { type: 'json' };
import adminFi from './fi.json' with { type: 'json' };
import adminIs from './is.json' with { type: 'json' };
import adminIt from './it.json' with { type: 'json' };
import adminRu from './ru.json' with { type: 'json' };
import adminSv from './sv.json' with { type: 'json' };

/*
 * The admin view's words and translator: the same languages and formatting as the pane's, over catalogues of
 * their own. Kept apart from the pane's catalogues so they travel in the admin chunk: salespeople never download
 * them. English is the reference: each translation is checked against it when compiling.
 */

export { adminEn };
export type AdminKey = keyof typeof adminEn;
export type AdminCatalogue = CatalogueOf<typeof adminEn>;

const translation = translationOf<typeof adminEn>();

/** The pane's six languages; any other falls back to English. */
export const ADMIN_CATALOGUES: Record<string, AdminCatalogue> = {
  en: adminEn,
  ru: translation(adminRu),
  fi: translation(adminFi),
  sv: translation(adminSv),
  it: translation(adminIt),
  is: translation(adminIs)
};

export type AdminTranslator = Translator<AdminKey>;

export const createAdminTranslator = (displayLanguage: string | undefined): AdminTranslator =>
  createCatalogueTranslator(displayLanguage, ADMIN_CATALOGUES, adminEn);
