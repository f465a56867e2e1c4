/*
 * What a catalogue is. The words themselves are data, one JSON file a language (the format translators' tools
 * read); English is the reference whose keys every other language provides exactly. {name} placeholders are
 * filled by the translator; plural entries pick a form by Intl.PluralRules. README.md says how to add a key.
 */

/** A plural entry: the forms Intl.PluralRules may pick for the language, `other` always. */
export interface PluralForms {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

/** A translation of `Reference`: its keys, a string where it has a string, plural forms where it has them. */
export type CatalogueOf<Reference> = { [Key in keyof Reference]: Reference[Key] extends string ? string : PluralForms };

/**
 * Checks a translation against its reference when compiling: a missing key, a string given for a plural entry
 * (or the reverse) and a key the reference does not have (stale or misspelt) each fail the type check.
 */
export const translationOf =
  <Reference>() =>
  <Translation extends CatalogueOf<Reference>>(
    translation: Translation & Record<Exclude<keyof Translation, keyof Reference>, never>
  ): CatalogueOf<Reference> =>
    translation;
