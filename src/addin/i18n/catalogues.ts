import { translationOf } from './catalogue.js';
import en from './en.json' with { type: 'json' };
import fi from './fi.json' with { type: 'json' };
import { createCatalogueTranslator, type Catalogue, type Translator } from './index.js';
import is from './is.json' with { type: 'json' };
import it from './it.json' with { type: 'json' };
import ru from './ru.json' with { type: 'json' };
import sv from './sv.json' with { type: 'json' };

/*
 * Every catalogue at once, with a translator made without waiting: for the send-event runtime (which has no time
 * to fetch a chunk on the send path) and the tests. The pane itself loads only the user's language (loadTranslator).
 * Here each translation is also checked against English when compiling.
 */

const translation = translationOf<typeof en>();

export const CATALOGUES: Record<string, Catalogue> = {
  en,
  ru: translation(ru),
  fi: translation(fi),
  sv: translation(sv),
  it: translation(it),
  is: translation(is)
};

export function createTranslator(displayLanguage: string | undefined): Translator {
  return createCatalogueTranslator(displayLanguage, CATALOGUES, en);
}
