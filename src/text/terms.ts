/**
 * Identity terms in text: finding them, and swapping them for another group's to make a
 * counterfactual that differs only in the identity words. A term set lists rows of equivalent
 * words, one per group ("he" / "she", "husband" / "wife", "men" / "women"); plurals are rows of
 * their own, so nothing is guessed. Matching ignores case and keeps the source's: "He" becomes
 * "She", "HIS" becomes "HER". Possessives keep their ending ("man's" → "woman's"); multi-word
 * terms match across spaces or hyphens ("African American", "African-American"). Words that are
 * also ordinary words ("black coffee") are guarded: they count only before a person noun or
 * when capitalised inside a sentence. The small gender and race lists here are fairkit's own.
 */
import { FairkitError, messages } from "../core/errors.js";

/** A row of equivalent words, one per group of its term set, in the set's group order. */
export interface TermRow {
  forms: readonly string[];
  /**
   * The words are also ordinary words ("black", "white"): they count only before a person noun
   * ("Black woman", "white people") or when capitalised and not at the start of a sentence.
   */
  guarded?: boolean;
}

/** A set of identity terms: its groups and rows of equivalent words. */
export interface TermSet {
  /** Names the attribute ("gender", "race"). */
  attribute: string;
  /** The groups, in the order of each row's forms. */
  groups: readonly string[];
  rows: readonly TermRow[];
  /**
   * Chooses the word when a form maps to several ("her" → "him" or "his"): given the matched
   * word in lower case, the target group and the next word (lower case, undefined at the end),
   * returns the replacement in lower case, or undefined to use the row's form.
   */
  choose?: (word: string, toGroup: string, next: string | undefined) => string | undefined;
}

/** Words after which a guarded term ("black", "white") names people. */
const PERSON_NOUNS = new Set(
  "man men woman women person people persons boy boys girl girls child children kid kids family families folk folks guy guys lady ladies gentleman gentlemen individual individuals community communities student students worker workers customer customers patient patients applicant applicants voter voters resident residents neighbor neighbors neighbour neighbours friend friends mother mothers father fathers son sons daughter daughters teen teens teenager teenagers american americans male males female females driver drivers suspect suspects defendant defendants employee employees candidate candidates".split(
    " ",
  ),
);

/** Words that follow an object pronoun ("told her that", "gave her the book") rather than a possessed noun. */
const AFTER_OBJECT = new Set(
  "a an the and or but so to at in on for with about that this these those as from by up out off down back away over into onto of again too very now then here there when where why how what if because yesterday today tonight tomorrow once twice later soon all is was are be".split(
    " ",
  ),
);

/** Picks "his"/"him"/"her"/"hers" from the next word (a heuristic; see docs/text.md). */
function chooseGenderPronoun(word: string, toGroup: string, next: string | undefined): string | undefined {
  const possessive = next !== undefined && !AFTER_OBJECT.has(next);
  if (toGroup === "male") {
    if (word === "her") return possessive ? "his" : "him";
    if (word === "hers") return "his";
  } else if (toGroup === "female") {
    if (word === "his") return possessive ? "her" : "hers";
    if (word === "him") return "her";
  }
  return undefined;
}

const GENDER_PAIRS = `he she
him her
his her
his hers
himself herself
man woman
men women
boy girl
boys girls
male female
males females
father mother
fathers mothers
dad mom
dads moms
son daughter
sons daughters
brother sister
brothers sisters
husband wife
husbands wives
boyfriend girlfriend
boyfriends girlfriends
uncle aunt
uncles aunts
nephew niece
nephews nieces
grandfather grandmother
grandfathers grandmothers
grandson granddaughter
grandsons granddaughters
king queen
kings queens
gentleman lady
gentlemen ladies
guy gal
guys gals
sir madam
mr ms
groom bride
grooms brides
stepfather stepmother
stepson stepdaughter
schoolboy schoolgirl
schoolboys schoolgirls
fiance fiancee
widower widow
widowers widows
masculine feminine`;

/** Gender terms: male and female forms, pronouns, kinship and titles (fairkit's own list). */
export const GENDER_TERMS: TermSet = Object.freeze({
  attribute: "gender",
  groups: Object.freeze(["male", "female"]),
  rows: Object.freeze(GENDER_PAIRS.split("\n").map((line) => Object.freeze({ forms: Object.freeze(line.split(" ")) }))),
  choose: chooseGenderPronoun,
});

/** Race and ethnicity terms: Black, white, Asian and Hispanic forms (fairkit's own list). */
export const RACE_TERMS: TermSet = Object.freeze({
  attribute: "race",
  groups: Object.freeze(["black", "white", "asian", "hispanic"]),
  rows: Object.freeze([
    Object.freeze({ forms: Object.freeze(["African American", "European American", "Asian American", "Latino"]) }),
    Object.freeze({ forms: Object.freeze(["African Americans", "European Americans", "Asian Americans", "Latinos"]) }),
    Object.freeze({ forms: Object.freeze(["African American", "European American", "Asian American", "Latina"]) }),
    Object.freeze({ forms: Object.freeze(["Black", "white", "Asian", "Hispanic"]), guarded: true }),
  ]),
});

/** The built-in term sets by name. */
export const TERM_SETS: Readonly<Record<string, TermSet>> = Object.freeze({ gender: GENDER_TERMS, race: RACE_TERMS });

/** One identity word found in a text. */
export interface TermMatch {
  /** Offset of the match in the text, and its length. */
  index: number;
  length: number;
  /** The text as written. */
  text: string;
  /** The group it belongs to, and the row of the term set. */
  group: string;
  row: number;
}

interface CompiledSet {
  pattern: RegExp;
  /** Lower-case form (spaces normalised) → first row and group index holding it. */
  lookup: Map<string, { row: number; group: number }>;
}

const compiled = new WeakMap<TermSet, CompiledSet>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[\s-]+/g, " ");
}

/** Checks a term set and compiles its pattern (cached). */
function compile(set: TermSet): CompiledSet {
  const cached = compiled.get(set);
  if (cached) return cached;
  if (set.groups.length < 2) throw new FairkitError("BAD_ARGUMENT", messages.termSetGroups(set.attribute));
  const lookup = new Map<string, { row: number; group: number }>();
  set.rows.forEach((row, r) => {
    if (row.forms.length !== set.groups.length) {
      throw new FairkitError(
        "BAD_ARGUMENT",
        messages.termRowLength(set.attribute, r, row.forms.length, set.groups.length),
      );
    }
    row.forms.forEach((form, g) => {
      if (form.trim() === "")
        throw new FairkitError("BAD_ARGUMENT", messages.termRowLength(set.attribute, r, 0, set.groups.length));
      const key = normalise(form);
      if (!lookup.has(key)) lookup.set(key, { row: r, group: g });
    });
  });
  const forms = [...lookup.keys()].sort((a, b) => b.length - a.length);
  const alternatives = forms.map((f) => f.split(" ").map(escapeRegExp).join("[\\s-]+"));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}_])`, "giu");
  const result = { pattern, lookup };
  compiled.set(set, result);
  return result;
}

const WORD = /[\p{L}\p{N}_]+/u;

/** The next word after `end` in lower case, or undefined. */
function nextWord(text: string, end: number): string | undefined {
  const rest = text.slice(end, end + 80);
  // A possessive ending or the end of a sentence means there is no next word in this phrase.
  if (/^['’]s?(?![\p{L}])/u.test(rest)) return undefined;
  const m = /^\s+([\p{L}\p{N}_]+)/u.exec(rest);
  return m ? m[1].toLowerCase() : undefined;
}

/** True when `index` starts the text or a sentence (after . ! ? or a line break). */
function startsSentence(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 40), index);
  return /(^|[.!?:\n]["'”’)\]]*)\s*$/u.test(before) && !WORD.test(before.slice(-1));
}

function isCapitalised(word: string): boolean {
  const first = word[0];
  return first !== first.toLowerCase();
}

/**
 * Every identity word of `set` in `text`, in order.
 *
 * @example
 * findTerms("He thanked his wife.", GENDER_TERMS).map((m) => m.group); // ["male", "male", "female"]
 */
export function findTerms(text: string, set: TermSet): TermMatch[] {
  const { pattern, lookup } = compile(set);
  const out: TermMatch[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const entry = lookup.get(normalise(m[0]));
    if (!entry) continue;
    const row = set.rows[entry.row];
    if (row.guarded) {
      const next = nextWord(text, m.index + m[0].length);
      const person = next !== undefined && PERSON_NOUNS.has(next);
      const proper = isCapitalised(m[0]) && !startsSentence(text, m.index);
      if (!person && !proper) continue;
    }
    out.push({ index: m.index, length: m[0].length, text: m[0], group: set.groups[entry.group], row: entry.row });
  }
  return out;
}

/** The groups of `set` that `text` mentions, in the set's order. */
export function mentionedGroups(text: string, set: TermSet): string[] {
  const found = new Set(findTerms(text, set).map((m) => m.group));
  return set.groups.filter((g) => found.has(g));
}

/** Writes `target` in the case pattern of `source`: all capitals, a capital first letter, or as listed. */
function matchCase(source: string, target: string): string {
  const letters = source.replace(/[^\p{L}]/gu, "");
  if (letters.length > 1 && letters === letters.toUpperCase()) return target.toUpperCase();
  if (isCapitalised(source)) return target[0].toUpperCase() + target.slice(1);
  return target;
}

/**
 * The text with every identity word of `set` replaced by its form for `toGroup` (words already
 * of that group stay). Case follows the source word; possessive endings stay.
 *
 * @example
 * substituteTerms("He thanked his wife.", GENDER_TERMS, "female"); // "She thanked her wife."
 */
export function substituteTerms(text: string, set: TermSet, toGroup: string): string {
  const g = set.groups.indexOf(toGroup);
  if (g < 0) throw new FairkitError("UNKNOWN_GROUP", messages.unknownTermGroup(toGroup, set.attribute, set.groups));
  return rewrite(text, set, findTerms(text, set), () => toGroup);
}

/** Replaces each match by its row's form for the group `target(match)` returns. */
function rewrite(text: string, set: TermSet, matches: readonly TermMatch[], target: (m: TermMatch) => string): string {
  let out = "";
  let at = 0;
  for (const m of matches) {
    const toGroup = target(m);
    out += text.slice(at, m.index);
    at = m.index + m.length;
    if (toGroup === m.group) {
      out += m.text;
      continue;
    }
    const word = normalise(m.text);
    const chosen = set.choose?.(word, toGroup, nextWord(text, at));
    const form = matchCase(m.text, chosen ?? set.rows[m.row].forms[set.groups.indexOf(toGroup)]);
    out = agreeArticle(out, form) + form;
  }
  return out + text.slice(at);
}

/** Makes an "a" or "an" just before the new word agree with it ("a Black" → "an Asian"; by the first letter). */
function agreeArticle(before: string, word: string): string {
  const m = /(?<![\p{L}\p{N}_])(a|an)(\s+)$/iu.exec(before);
  if (!m) return before;
  const vowel = /^[aeiou]/i.test(word);
  const article = vowel ? "an" : "a";
  if (m[1].toLowerCase() === article) return before;
  const written =
    m[1] === m[1].toUpperCase() && m[1].length > 1
      ? article.toUpperCase()
      : m[1][0] === "A"
        ? article[0].toUpperCase() + article.slice(1)
        : article;
  return before.slice(0, m.index) + written + m[2];
}

/** One text and its counterfactual versions, one per group of the term set. */
export interface CounterfactualFamily {
  /** The group the original text mentions. */
  group: string;
  /** The identity words found, as written. */
  terms: string[];
  /** Group → the text as that group (the original for its own group). */
  versions: Record<string, string>;
}

/** Why a text got no counterfactual. */
export type NoCounterfactual = "no-attribute-words" | "several-groups";

/**
 * The counterfactual versions of `text`: for a text that mentions exactly one group of `set`,
 * the same text with its identity words swapped for each other group's. A text that mentions no
 * identity word gets none (fairness through unawareness: there is nothing to swap), nor does one
 * that mentions several groups ("his sister"), where a swap would be ambiguous.
 *
 * @example
 * counterfactuals("She is a nurse.", GENDER_TERMS);
 * // { group: "female", terms: ["She"], versions: { male: "He is a nurse.", female: "She is a nurse." } }
 */
export function counterfactuals(text: string, set: TermSet): CounterfactualFamily | NoCounterfactual {
  const matches = findTerms(text, set);
  if (matches.length === 0) return "no-attribute-words";
  const groups = new Set(matches.map((m) => m.group));
  if (groups.size > 1) return "several-groups";
  const group = matches[0].group;
  const versions: Record<string, string> = {};
  for (const g of set.groups) versions[g] = g === group ? text : rewrite(text, set, matches, () => g);
  return { group, terms: matches.map((m) => m.text), versions };
}

/**
 * The text with each of `terms` (matched as whole words or phrases, ignoring case) replaced by
 * `mask`, so that two counterfactual responses can be compared without the identity words that
 * made them differ.
 *
 * @example
 * maskTerms("Black women lead.", ["Black", "women"]); // "[MASK] [MASK] lead."
 */
export function maskTerms(text: string, terms: readonly string[], mask = "[MASK]"): string {
  const forms = [...new Set(terms.map(normalise).filter((t) => t !== ""))].sort((a, b) => b.length - a.length);
  if (forms.length === 0) return text;
  const alternatives = forms.map((f) => f.split(" ").map(escapeRegExp).join("[\\s-]+"));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}_])`, "giu");
  return text.replace(pattern, mask);
}

/** Every word of a term set, for {@link maskTerms}. */
export function termWords(set: TermSet): string[] {
  return set.rows.flatMap((r) => r.forms);
}
