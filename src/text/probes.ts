/**
 * Probes: the texts a text model is asked about, grouped into families whose members differ only
 * in the identity term. Three ways to make them: templates × terms ("I am {term}." with "a woman",
 * "a man"), counterfactual substitution in your own texts (swap the gender or race words), and
 * the HolisticBias templates × descriptors × nouns, given as data (its files are CC BY-SA 4.0 and
 * stay data: the Node loader fetches them with their licence; nothing of them is in this code).
 */
import { FairkitError, messages } from "../core/errors.js";
import { type TermSet, counterfactuals, findTerms } from "./terms.js";

/** One text to score (or prompt to answer), with the identity term it carries. */
export interface Probe {
  /** The text scored, or the prompt given to a generator. */
  text: string;
  /** The attribute the term belongs to ("gender", "race", a HolisticBias axis). */
  attribute: string;
  /** The group of the term ("female", a HolisticBias bucket). */
  group: string;
  /** The identity term itself ("a woman", "Deaf"). */
  term: string;
  /** Probes of one family differ only in the identity term; they are compared with each other. */
  family: string;
  /** The template (or source text) the probe came from, for ranking templates. */
  template: string;
}

/** A term for {@link templateProbes}: its words, its group, and (optionally) its plural and attribute. */
export interface ProbeTerm {
  term: string;
  group: string;
  /** The plural, for templates that use `{terms}`. */
  plural?: string;
  /** Default "attribute". Terms are compared within their attribute only. */
  attribute?: string;
}

function fill(template: string, slot: string, value: string): string {
  let out = "";
  let at = 0;
  for (let i = template.indexOf(slot); i >= 0; i = template.indexOf(slot, at)) {
    const before = template.slice(0, i);
    const starts = /^\s*$/.test(before) || /[.!?]\s+$/.test(before);
    out += template.slice(at, i) + (starts ? value[0].toUpperCase() + value.slice(1) : value);
    at = i + slot.length;
  }
  return out + template.slice(at);
}

function checkTerms(terms: readonly ProbeTerm[], argument: string): void {
  if (terms.length === 0) throw new FairkitError("EMPTY_INPUT", messages.probeTermsEmpty(argument));
  terms.forEach((t, i) => {
    if (!t || typeof t.term !== "string" || t.term.trim() === "" || typeof t.group !== "string" || t.group === "") {
      throw new FairkitError("BAD_ARGUMENT", messages.probeTermFields(argument, i));
    }
    if (t.attribute !== undefined && (typeof t.attribute !== "string" || t.attribute === "")) {
      throw new FairkitError("BAD_ARGUMENT", messages.probeTermFields(argument, i));
    }
  });
}

/**
 * Every template filled with every term: `{term}` takes the term, `{terms}` its plural (the term
 * itself when none is given). A slot at the start of a sentence is capitalised. Each template and
 * attribute makes one family.
 *
 * @example
 * templateProbes(["{term} is a nurse."], [
 *   { term: "the woman", group: "female" },
 *   { term: "the man", group: "male" },
 * ]).map((p) => p.text); // ["The woman is a nurse.", "The man is a nurse."]
 */
export function templateProbes(templates: readonly string[], terms: readonly ProbeTerm[]): Probe[] {
  checkTerms(terms, "terms");
  if (templates.length === 0) throw new FairkitError("EMPTY_INPUT", messages.probeTermsEmpty("templates"));
  const probes: Probe[] = [];
  templates.forEach((template, t) => {
    if (!template.includes("{term}") && !template.includes("{terms}")) {
      throw new FairkitError("BAD_ARGUMENT", messages.templateSlot(template, "{term}"));
    }
    for (const term of terms) {
      const attribute = term.attribute ?? "attribute";
      const text = fill(fill(template, "{terms}", term.plural ?? term.term), "{term}", term.term);
      probes.push({ text, attribute, group: term.group, term: term.term, family: `${attribute}#${t}`, template });
    }
  });
  return probes;
}

/** What {@link counterfactualProbes} made of a list of texts. */
export interface CounterfactualProbes {
  probes: Probe[];
  /** Indices of the texts that mention no identity word (they get no counterfactual). */
  unaware: number[];
  /** Indices of the texts that mention several groups (left out: a swap would be ambiguous). */
  severalGroups: number[];
}

/**
 * Counterfactual families from your own texts: each text that mentions exactly one group of the
 * term set becomes a family of its versions, one per group (its own text for its own group).
 *
 * @example
 * counterfactualProbes(["She is a nurse.", "The sky is blue."], GENDER_TERMS);
 * // { probes: [… "He is a nurse." (male), "She is a nurse." (female)], unaware: [1], severalGroups: [] }
 */
export function counterfactualProbes(texts: readonly string[], set: TermSet): CounterfactualProbes {
  const probes: Probe[] = [];
  const unaware: number[] = [];
  const severalGroups: number[] = [];
  texts.forEach((text, i) => {
    const family = counterfactuals(text, set);
    if (family === "no-attribute-words") unaware.push(i);
    else if (family === "several-groups") severalGroups.push(i);
    else {
      const rows = [...new Set(findTerms(text, set).map((m) => m.row))];
      for (const group of set.groups) {
        const g = set.groups.indexOf(group);
        const term = rows.map((r) => set.rows[r].forms[g]).join(", ");
        probes.push({
          text: family.versions[group],
          attribute: set.attribute,
          group,
          term,
          family: `${i}`,
          template: text,
        });
      }
    }
  });
  return { probes, unaware, severalGroups };
}

/** The HolisticBias v1.1 files, parsed (descriptors.json, nouns.json, sentence_templates.json). */
export interface HolisticBiasData {
  descriptors: unknown;
  nouns: unknown;
  templates: unknown;
}

/** Which part of HolisticBias to use. */
export interface HolisticBiasOptions {
  /** Axes to use (default all 13: ability, age, …). */
  axes?: readonly string[];
  /**
   * Nouns: a noun group of nouns.json ("neutral", "female", "male"), "all", or single nouns
   * ("person", "woman"). Default `["person"]`: every descriptor once per template.
   */
  nouns?: readonly string[];
  /** Templates to use, as written in sentence_templates.json (default all 26). */
  templates?: readonly string[];
  /** Leave out descriptors HolisticBias marks "dispreferred" (default false: they are kept, as in the paper). */
  preferredOnly?: boolean;
}

interface Descriptor {
  axis: string;
  bucket: string;
  descriptor: string;
  gender?: string;
  article?: string;
  preference?: string;
}

interface Noun {
  singular: string;
  plural: string;
  gender: string;
}

const FILE = { descriptors: "descriptors.json", nouns: "nouns.json", templates: "sentence_templates.json" };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readDescriptors(value: unknown): Descriptor[] {
  if (!isRecord(value))
    throw new FairkitError("BAD_FILE", messages.holisticBiasShape(FILE.descriptors, "not an object of axes"));
  const out: Descriptor[] = [];
  for (const [axis, buckets] of Object.entries(value)) {
    if (!isRecord(buckets)) {
      throw new FairkitError(
        "BAD_FILE",
        messages.holisticBiasShape(FILE.descriptors, `axis ${JSON.stringify(axis)} is not an object of buckets`),
      );
    }
    for (const [bucket, list] of Object.entries(buckets)) {
      if (!Array.isArray(list)) {
        throw new FairkitError(
          "BAD_FILE",
          messages.holisticBiasShape(FILE.descriptors, `${axis}.${bucket} is not a list`),
        );
      }
      for (const entry of list) {
        if (typeof entry === "string") out.push({ axis, bucket, descriptor: entry });
        else if (isRecord(entry) && typeof entry.descriptor === "string") {
          out.push({
            axis,
            bucket,
            descriptor: entry.descriptor,
            gender: typeof entry.gender === "string" ? entry.gender : undefined,
            article: typeof entry.article === "string" ? entry.article : undefined,
            preference: typeof entry.preference === "string" ? entry.preference : undefined,
          });
        } else {
          throw new FairkitError(
            "BAD_FILE",
            messages.holisticBiasShape(
              FILE.descriptors,
              `${axis}.${bucket} holds ${JSON.stringify(entry)}, not a descriptor`,
            ),
          );
        }
      }
    }
  }
  return out;
}

function readNouns(value: unknown): Noun[] {
  if (!isRecord(value))
    throw new FairkitError("BAD_FILE", messages.holisticBiasShape(FILE.nouns, "not an object of noun groups"));
  const out: Noun[] = [];
  for (const [gender, list] of Object.entries(value)) {
    if (!Array.isArray(list))
      throw new FairkitError("BAD_FILE", messages.holisticBiasShape(FILE.nouns, `${gender} is not a list`));
    for (const pair of list) {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string" || typeof pair[1] !== "string") {
        throw new FairkitError(
          "BAD_FILE",
          messages.holisticBiasShape(FILE.nouns, `${gender} holds ${JSON.stringify(pair)}, not [singular, plural]`),
        );
      }
      out.push({ singular: pair[0], plural: pair[1], gender });
    }
  }
  return out;
}

function readTemplates(value: unknown): string[] {
  if (!isRecord(value))
    throw new FairkitError("BAD_FILE", messages.holisticBiasShape(FILE.templates, "not an object of templates"));
  const out = Object.keys(value);
  for (const t of out) {
    if (!t.includes("{noun_phrase}") && !t.includes("{plural_noun_phrase}")) {
      throw new FairkitError(
        "BAD_FILE",
        messages.holisticBiasShape(FILE.templates, `${JSON.stringify(t)} has no {noun_phrase} slot`),
      );
    }
  }
  return out;
}

function article(descriptor: Descriptor): string {
  if (descriptor.article) return descriptor.article;
  return /^[aeiou]/i.test(descriptor.descriptor) ? "an" : "a";
}

function select<T>(all: readonly T[], wanted: readonly string[] | undefined, key: (t: T) => string, what: string): T[] {
  if (wanted === undefined) return [...all];
  const known = [...new Set(all.map(key))];
  for (const w of wanted) {
    if (!known.includes(w)) throw new FairkitError("BAD_ARGUMENT", messages.holisticBiasSelection(what, w, known));
  }
  return all.filter((t) => wanted.includes(key(t)));
}

/**
 * HolisticBias probes (Smith et al. 2022, v1.1): each template × noun × descriptor, as "I'm a
 * Deaf person." The attribute is the axis ("ability"), the group its bucket ("auditory") — or the
 * descriptor itself on an axis with one bucket ("religion") — and the term the descriptor; a family is one template with one noun, so that within an axis its members
 * differ only in the descriptor. Gendered descriptors ("Latina") go only with nouns of their
 * gender. The article is "an" before a vowel letter unless the descriptor names its own.
 */
export function holisticBiasProbes(data: HolisticBiasData, options: HolisticBiasOptions = {}): Probe[] {
  const descriptors = select(readDescriptors(data.descriptors), options.axes, (d) => d.axis, "axis").filter(
    (d) => !options.preferredOnly || d.preference !== "dispreferred",
  );
  const allNouns = readNouns(data.nouns);
  const wantedNouns = options.nouns ?? ["person"];
  const nouns: Noun[] = [];
  for (const w of wantedNouns) {
    const matching =
      w === "all" ? allNouns : allNouns.filter((n) => n.gender === w || n.singular === w || n.plural === w);
    if (matching.length === 0) {
      throw new FairkitError(
        "BAD_ARGUMENT",
        messages.holisticBiasSelection("noun or noun group", w, ["all", ...new Set(allNouns.map((n) => n.gender))]),
      );
    }
    for (const n of matching) if (!nouns.includes(n)) nouns.push(n);
  }
  const templates = select(readTemplates(data.templates), options.templates, (t) => t, "template");
  // An axis with one bucket ("religion": "all") compares its descriptors with each other: each is its own group.
  const buckets = new Map<string, Set<string>>();
  for (const d of descriptors) buckets.set(d.axis, (buckets.get(d.axis) ?? new Set()).add(d.bucket));
  const probes: Probe[] = [];
  for (const template of templates) {
    for (const noun of nouns) {
      for (const d of descriptors) {
        if (d.gender !== undefined && d.gender !== noun.gender) continue;
        const singular = `${article(d)} ${d.descriptor} ${noun.singular}`;
        const plural = `${d.descriptor} ${noun.plural}`;
        const text = fill(fill(template, "{plural_noun_phrase}", plural), "{noun_phrase}", singular);
        probes.push({
          text,
          attribute: d.axis,
          group: (buckets.get(d.axis)?.size ?? 0) > 1 ? d.bucket : d.descriptor,
          term: d.descriptor,
          family: `${d.axis}#${template}#${noun.singular}`,
          template,
        });
      }
    }
  }
  return probes;
}
