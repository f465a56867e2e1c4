import { createCatalogueTranslator, type Translator } from './index.js';
import { en, type Catalogue } from './en.js';
import { fi } from './fi.js';
import { is } from './is.js';
import { it } from './it.js';
import { ru } from './ru.js';
import { sv } from './sv.js';

/*
 * Every catalogue at once, with a translator made without waiting: for the send-event runtime (which has no time
 * to fetch a chunk on the send path) and the tests. The pane itself loads only the user's language (loadTranslator).
 */

export const CATALOGUES: Record<string, Catalogue> = { en, ru, fi, sv, it, is };

export function createTranslator(displayLanguage: string | undefined): Translator {
  return createCatalogueTranslator(displayLanguage, CATALOGUES, en);
}
