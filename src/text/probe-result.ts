/**
 * The probe analysis: scored probes in, the `fairkit.probe` document out. Everything is compared
 * within an attribute, and the paired numbers within a family (texts that differ only in the
 * identity term), so that the template's own effect cancels: a group's paired effect is, per
 * family, its mean score minus the other groups' mean score, averaged over families, with a
 * Student t interval over families and Holm-adjusted p-values across the groups (and, separately,
 * across the terms). Beside the paired numbers: each group's score distribution, its unpaired gap
 * to the rest (Welch), strong parity (Wasserstein-1 distance between two groups' score
 * distributions) and weak parity (the difference of their shares at or above a threshold), the
 * templates ranked by how far apart they put the groups, and, for generated responses, how
 * similar counterfactual responses are once the identity words are masked.
 */
import { DEFAULTS } from "../core/defaults.js";
import { FairkitError, messages } from "../core/errors.js";
import { holmAdjust, studentTCdf, studentTQuantile } from "../core/significance.js";
import type { Interval } from "../core/intervals.js";
import { PROBE_SCHEMA_VERSION } from "../schemas/text.js";
import { distributionOf, wasserstein1 } from "../regression/distribution.js";
import { VERSION } from "../version.js";
import type { Probe } from "./probes.js";
import { bleu, cosineSimilarity, rougeL } from "./similarity.js";
import { maskTerms } from "./terms.js";

/** A paired comparison over families: the mean difference, its interval and p-value. */
export interface PairedEffect {
  value: number;
  /** Student t interval over families (null with fewer than two families). */
  interval: Interval | null;
  /** Two-sided p-value of "no difference" (null with fewer than two families). */
  p: number | null;
  /** Families the comparison rests on. */
  families: number;
}

/** A paired effect tested among several: with its Holm-adjusted p-value. */
export interface TestedEffect extends PairedEffect {
  p_holm: number | null;
  /** The adjusted p-value is below 1 − level. */
  significant: boolean;
}

/** One group of an attribute. */
export interface ProbeGroup {
  group: string;
  n: number;
  mean: number;
  sd: number;
  /** Share of its scores at or above the threshold. */
  share_above: number;
  /** Its mean minus the mean of the rest of the attribute, with a Welch interval (unpaired). */
  gap_to_rest: { value: number; interval: Interval | null };
  /** Per family, its mean minus the other groups' mean, averaged over families. */
  paired: TestedEffect | null;
}

/** One identity term. */
export interface ProbeTermResult {
  term: string;
  group: string;
  n: number;
  mean: number;
  /** Per family, its score minus the other terms' mean, averaged over families. */
  paired: TestedEffect | null;
}

/** One template: how far apart it puts the groups. */
export interface ProbeTemplate {
  template: string;
  n: number;
  /** Highest minus lowest group mean among its texts. */
  spread: number;
  lowest: string;
  highest: string;
}

/** Two groups compared. */
export interface ProbePair {
  groups: [string, string];
  /** Per family holding both, the first's mean minus the second's. */
  paired: PairedEffect | null;
  /** Strong parity: Wasserstein-1 distance between the two score distributions. */
  wasserstein: number;
  /** Weak parity: first share at or above the threshold minus the second's. */
  share_difference: number;
}

/** Similarity of counterfactual responses, identity words masked (1 = the same words). */
export interface ResponseSimilarity {
  /** Pairs of responses compared (members of one family with different groups). */
  pairs: number;
  cosine: { mean: number; min: number };
  rouge_l: { mean: number; min: number };
  bleu: { mean: number; min: number };
  by_pair: { groups: [string, string]; pairs: number; cosine: number; rouge_l: number; bleu: number }[];
}

/** The largest of a measure over the pairs of groups, and which pair set it. */
export interface PairExtreme {
  value: number;
  groups: [string, string];
}

/** The results for one attribute. */
export interface ProbeAttribute {
  attribute: string;
  texts: number;
  families: number;
  groups: ProbeGroup[];
  /** Ranked: the largest absolute paired effect first. */
  terms: ProbeTermResult[];
  /** Ranked: the largest spread first. */
  templates: ProbeTemplate[];
  pairs: ProbePair[];
  /** The largest absolute paired difference between two groups. */
  largest_paired_gap: (PairExtreme & { interval: Interval | null; p: number | null }) | null;
  /** Strong parity: the largest Wasserstein-1 distance between two groups. */
  strong_parity: PairExtreme | null;
  /** Weak parity: the largest absolute difference of shares at or above the threshold. */
  weak_parity: PairExtreme | null;
  similarity: ResponseSimilarity | null;
}

/** Where the probes came from. */
export interface ProbeInput {
  kind: "templates" | "texts" | "holistic_bias";
  /** The file or data set, when there is one. */
  name: string | null;
  /** Source texts or templates read. */
  sources: number;
  /** Source texts that mention no identity word (no counterfactual). */
  unaware: number;
  /** Source texts that mention several groups (left out). */
  several_groups: number;
}

/** The `fairkit.probe` document. */
export interface ProbeResult {
  kind: "fairkit.probe";
  schema_version: typeof PROBE_SCHEMA_VERSION;
  tool: { name: "fairkit"; version: string };
  input: ProbeInput;
  scorer: string;
  /** The generator that answered the prompts (null when the probes themselves were scored). */
  generator: string | null;
  level: number;
  threshold: number;
  /** "given", or "median" when no threshold was given and the median of all scores is used. */
  threshold_source: "given" | "median";
  texts: number;
  attributes: ProbeAttribute[];
}

/** Options of {@link analyseProbes}. */
export interface AnalyseProbesOptions {
  /** Names the scorer in the document. */
  scorer: string;
  generator?: string | null;
  /** The responses the scores are of, for the similarity of counterfactual responses. */
  responses?: readonly string[];
  /** Words masked in responses before comparing them, besides the probes' own terms. */
  maskWords?: readonly string[];
  /** Weak parity's threshold (default: the median of all scores). */
  threshold?: number;
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
  input?: ProbeInput;
}

function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

function variance(values: readonly number[], m = mean(values)): number {
  if (values.length < 2) return 0;
  let s = 0;
  for (const v of values) s += (v - m) * (v - m);
  return s / (values.length - 1);
}

/**
 * a − b, with a difference within rounding of zero (1e-12 relative) taken as zero: two means of
 * the same scores summed in another order must not look like a tiny effect with a p-value.
 */
function difference(a: number, b: number): number {
  const d = a - b;
  return Math.abs(d) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)) ? 0 : d;
}

/** Mean of `differences` with a t interval and two-sided p over them. */
export function pairedEffect(differences: readonly number[], level: number): PairedEffect {
  const n = differences.length;
  const m = mean(differences);
  if (n < 2) return { value: m, interval: null, p: null, families: n };
  const se = Math.sqrt(variance(differences, m) / n);
  if (se === 0 || !Number.isFinite(se)) {
    return { value: m, interval: [m, m], p: Math.abs(m) < 1e-12 ? 1 : 0, families: n };
  }
  const q = studentTQuantile(1 - (1 - level) / 2, n - 1);
  const t = Math.abs(m / se);
  return { value: m, interval: [m - q * se, m + q * se], p: Math.min(1, 2 * (1 - studentTCdf(t, n - 1))), families: n };
}

/** Welch's interval for mean(a) − mean(b). */
function welch(
  a: readonly number[],
  b: readonly number[],
  level: number,
): { value: number; interval: Interval | null } {
  const ma = mean(a);
  const mb = mean(b);
  const value = ma - mb;
  if (a.length < 2 || b.length < 2) return { value, interval: null };
  const va = variance(a, ma) / a.length;
  const vb = variance(b, mb) / b.length;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { value, interval: [value, value] };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const q = studentTQuantile(1 - (1 - level) / 2, df);
  return { value, interval: [value - q * se, value + q * se] };
}

function median(values: readonly number[]): number {
  const s = Float64Array.from(values).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function shareAbove(values: readonly number[], threshold: number): number {
  let k = 0;
  for (const v of values) if (v >= threshold) k++;
  return k / values.length;
}

function tested(effects: (PairedEffect | null)[], level: number): (TestedEffect | null)[] {
  const adjusted = holmAdjust(effects.map((e) => e?.p ?? Number.NaN));
  return effects.map((e, i) =>
    e === null
      ? null
      : {
          ...e,
          p_holm: Number.isNaN(adjusted[i]) ? null : adjusted[i],
          significant: !Number.isNaN(adjusted[i]) && adjusted[i] < 1 - level,
        },
  );
}

/** Per family, the mean score of the members whose key is `k` minus that of the others. */
function familyDifferences(
  families: Map<string, number[]>,
  key: (i: number) => string,
  scores: ArrayLike<number>,
  k: string,
): number[] {
  const out: number[] = [];
  for (const members of families.values()) {
    let inSum = 0;
    let inN = 0;
    let outSum = 0;
    let outN = 0;
    for (const i of members) {
      if (key(i) === k) {
        inSum += scores[i];
        inN++;
      } else {
        outSum += scores[i];
        outN++;
      }
    }
    if (inN > 0 && outN > 0) out.push(difference(inSum / inN, outSum / outN));
  }
  return out;
}

function analyseAttribute(
  attribute: string,
  index: number[],
  probes: readonly Probe[],
  scores: ArrayLike<number>,
  threshold: number,
  level: number,
  options: AnalyseProbesOptions,
): ProbeAttribute {
  const families = new Map<string, number[]>();
  const byGroup = new Map<string, number[]>();
  const byTerm = new Map<string, number[]>();
  const byTemplate = new Map<string, number[]>();
  for (const i of index) {
    const p = probes[i];
    for (const [map, key] of [
      [families, p.family],
      [byGroup, p.group],
      [byTerm, `${p.group}\u0000${p.term}`],
      [byTemplate, p.template],
    ] as const) {
      const list = map.get(key);
      if (list) list.push(i);
      else map.set(key, [i]);
    }
  }
  const scoresOf = (members: readonly number[]) => members.map((i) => scores[i]);
  const groupNames = [...byGroup.keys()];

  const groupPaired = tested(
    groupNames.map((g) => {
      const d = familyDifferences(families, (i) => probes[i].group, scores, g);
      return d.length === 0 ? null : pairedEffect(d, level);
    }),
    level,
  );
  const groups: ProbeGroup[] = groupNames.map((g, k) => {
    const own = scoresOf(byGroup.get(g) ?? []);
    const rest = index.filter((i) => probes[i].group !== g).map((i) => scores[i]);
    const m = mean(own);
    return {
      group: g,
      n: own.length,
      mean: m,
      sd: Math.sqrt(variance(own, m)),
      share_above: shareAbove(own, threshold),
      gap_to_rest: rest.length === 0 ? { value: 0, interval: null } : welch(own, rest, level),
      paired: groupPaired[k],
    };
  });

  const termKeys = [...byTerm.keys()];
  const termPaired = tested(
    termKeys.map((key) => {
      const d = familyDifferences(families, (i) => `${probes[i].group}\u0000${probes[i].term}`, scores, key);
      return d.length === 0 ? null : pairedEffect(d, level);
    }),
    level,
  );
  const terms: ProbeTermResult[] = termKeys.map((key, k) => {
    const members = byTerm.get(key) ?? [];
    const [group, term] = key.split("\u0000");
    return { term, group, n: members.length, mean: mean(scoresOf(members)), paired: termPaired[k] };
  });
  terms.sort((a, b) => Math.abs(b.paired?.value ?? 0) - Math.abs(a.paired?.value ?? 0));

  const templates: ProbeTemplate[] = [];
  for (const [template, members] of byTemplate) {
    const means = new Map<string, { s: number; n: number }>();
    for (const i of members) {
      const e = means.get(probes[i].group) ?? { s: 0, n: 0 };
      e.s += scores[i];
      e.n++;
      means.set(probes[i].group, e);
    }
    let lowest = "";
    let highest = "";
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const [g, e] of means) {
      const m = e.s / e.n;
      if (m < lo) [lo, lowest] = [m, g];
      if (m > hi) [hi, highest] = [m, g];
    }
    templates.push({ template, n: members.length, spread: hi - lo, lowest, highest });
  }
  templates.sort((a, b) => b.spread - a.spread);

  const pairs: ProbePair[] = [];
  for (let a = 0; a < groupNames.length; a++) {
    for (let b = a + 1; b < groupNames.length; b++) {
      const ga = groupNames[a];
      const gb = groupNames[b];
      const d: number[] = [];
      for (const members of families.values()) {
        const sa = members.filter((i) => probes[i].group === ga).map((i) => scores[i]);
        const sb = members.filter((i) => probes[i].group === gb).map((i) => scores[i]);
        if (sa.length > 0 && sb.length > 0) d.push(difference(mean(sa), mean(sb)));
      }
      const sa = scoresOf(byGroup.get(ga) ?? []);
      const sb = scoresOf(byGroup.get(gb) ?? []);
      pairs.push({
        groups: [ga, gb],
        paired: d.length === 0 ? null : pairedEffect(d, level),
        wasserstein: wasserstein1(distributionOf(sa), distributionOf(sb)),
        share_difference: shareAbove(sa, threshold) - shareAbove(sb, threshold),
      });
    }
  }
  const extreme = (value: (p: ProbePair) => number | null): ProbePair | undefined => {
    let best: ProbePair | undefined;
    for (const p of pairs) {
      const v = value(p);
      if (v !== null && (best === undefined || v > (value(best) ?? Number.NEGATIVE_INFINITY))) best = p;
    }
    return best;
  };
  const gapPair = extreme((p) => (p.paired ? Math.abs(p.paired.value) : null));
  const strong = extreme((p) => p.wasserstein);
  const weak = extreme((p) => Math.abs(p.share_difference));

  return {
    attribute,
    texts: index.length,
    families: families.size,
    groups,
    terms,
    templates,
    pairs,
    largest_paired_gap:
      gapPair?.paired != null
        ? {
            value: Math.abs(gapPair.paired.value),
            groups: gapPair.paired.value >= 0 ? gapPair.groups : [gapPair.groups[1], gapPair.groups[0]],
            interval: gapPair.paired.interval
              ? gapPair.paired.value >= 0
                ? gapPair.paired.interval
                : [-gapPair.paired.interval[1], -gapPair.paired.interval[0]]
              : null,
            p: gapPair.paired.p,
          }
        : null,
    strong_parity: strong ? { value: strong.wasserstein, groups: strong.groups } : null,
    weak_parity: weak ? { value: Math.abs(weak.share_difference), groups: weak.groups } : null,
    similarity: options.responses ? similarityOf(families, index, probes, options) : null,
  };
}

function similarityOf(
  families: Map<string, number[]>,
  index: readonly number[],
  probes: readonly Probe[],
  options: AnalyseProbesOptions,
): ResponseSimilarity {
  const responses = options.responses ?? [];
  const maskWords = [...new Set([...index.flatMap((i) => probes[i].term.split(", ")), ...(options.maskWords ?? [])])];
  const masked = new Map<number, string>();
  for (const i of index) masked.set(i, maskTerms(responses[i], maskWords));
  const byPair = new Map<
    string,
    { groups: [string, string]; n: number; cosine: number; rouge: number; bleu: number }
  >();
  const totals = { n: 0, cosine: 0, rouge: 0, bleu: 0, minCosine: 1, minRouge: 1, minBleu: 1 };
  for (const members of families.values()) {
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const i = members[x];
        const j = members[y];
        if (probes[i].group === probes[j].group) continue;
        const a = masked.get(i) ?? "";
        const b = masked.get(j) ?? "";
        const c = cosineSimilarity(a, b);
        const r = rougeL(a, b);
        const u = bleu(a, b);
        const groups: [string, string] = [probes[i].group, probes[j].group].sort() as [string, string];
        const key = groups.join("\u0000");
        const e = byPair.get(key) ?? { groups, n: 0, cosine: 0, rouge: 0, bleu: 0 };
        e.n++;
        e.cosine += c;
        e.rouge += r;
        e.bleu += u;
        byPair.set(key, e);
        totals.n++;
        totals.cosine += c;
        totals.rouge += r;
        totals.bleu += u;
        totals.minCosine = Math.min(totals.minCosine, c);
        totals.minRouge = Math.min(totals.minRouge, r);
        totals.minBleu = Math.min(totals.minBleu, u);
      }
    }
  }
  const n = Math.max(1, totals.n);
  return {
    pairs: totals.n,
    cosine: { mean: totals.cosine / n, min: totals.n ? totals.minCosine : 1 },
    rouge_l: { mean: totals.rouge / n, min: totals.n ? totals.minRouge : 1 },
    bleu: { mean: totals.bleu / n, min: totals.n ? totals.minBleu : 1 },
    by_pair: [...byPair.values()].map((e) => ({
      groups: e.groups,
      pairs: e.n,
      cosine: e.cosine / e.n,
      rouge_l: e.rouge / e.n,
      bleu: e.bleu / e.n,
    })),
  };
}

/**
 * Analyses scored probes: one block per attribute with its groups, terms, templates and pairs
 * (see the file header for what each number is). `scores[i]` is the score of `probes[i]` (or of
 * the response to it, with `responses[i]` the response).
 *
 * @example
 * const probes = templateProbes(["{term} is here."], [{ term: "she", group: "female" }, { term: "he", group: "male" }]);
 * const result = analyseProbes(probes, [0.1, 0.3], { scorer: "mine" });
 * result.attributes[0].pairs[0].paired?.value; // -0.2 (female minus male)
 */
export function analyseProbes(
  probes: readonly Probe[],
  scores: ArrayLike<number>,
  options: AnalyseProbesOptions,
): ProbeResult {
  if (scores.length !== probes.length)
    throw new FairkitError("LENGTH_MISMATCH", messages.probeScoreCount(options.scorer, scores.length, probes.length));
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i]))
      throw new FairkitError("BAD_SCORE", messages.probeScoreNotFinite(options.scorer, i, probes[i].text, scores[i]));
  }
  if (options.responses && options.responses.length !== probes.length) {
    throw new FairkitError(
      "LENGTH_MISMATCH",
      messages.probeResponseCount(options.generator ?? "responses", options.responses.length, probes.length),
    );
  }
  const level = options.level ?? DEFAULTS.level;
  const all = Array.from(scores);
  const threshold = options.threshold ?? (all.length ? median(all) : 0);
  const byAttribute = new Map<string, number[]>();
  probes.forEach((p, i) => {
    const list = byAttribute.get(p.attribute);
    if (list) list.push(i);
    else byAttribute.set(p.attribute, [i]);
  });
  const attributes = [...byAttribute].map(([a, index]) =>
    analyseAttribute(a, index, probes, scores, threshold, level, options),
  );
  return {
    kind: "fairkit.probe",
    schema_version: PROBE_SCHEMA_VERSION,
    tool: { name: "fairkit", version: VERSION },
    input: options.input ?? { kind: "templates", name: null, sources: 0, unaware: 0, several_groups: 0 },
    scorer: options.scorer,
    generator: options.generator ?? null,
    level,
    threshold,
    threshold_source: options.threshold === undefined ? "median" : "given",
    texts: probes.length,
    attributes,
  };
}
