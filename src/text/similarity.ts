/**
 * Similarity of two texts, for comparing counterfactual responses after their identity words are
 * masked: cosine of word counts, ROUGE-L (longest common subsequence F1, Lin 2004) and sentence
 * BLEU (Papineni et al. 2002, up to 4-grams, add-one smoothing of the n-gram precisions above 1 as
 * Lin & Och 2004, brevity penalty), made symmetric by averaging both directions. All are 1 for
 * equal texts and 0 for texts with no word in common; words are lower-cased letters and digits.
 */

/** The words of a text, lower-cased (letters, digits and inner apostrophes). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? [];
}

function counts(tokens: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of tokens) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

/** Cosine similarity of the two texts' word counts (1 for two empty texts). */
export function cosineSimilarity(a: string, b: string): number {
  const ca = counts(words(a));
  const cb = counts(words(b));
  if (ca.size === 0 && cb.size === 0) return 1;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [w, x] of ca) {
    na += x * x;
    dot += x * (cb.get(w) ?? 0);
  }
  for (const x of cb.values()) nb += x * x;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Length of the longest common subsequence of two word lists (two-row dynamic programme). */
function lcs(a: readonly string[], b: readonly string[]): number {
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** ROUGE-L F1: 2·LCS / (|a| + |b|) over words (symmetric; 1 for two empty texts). */
export function rougeL(a: string, b: string): number {
  const wa = words(a);
  const wb = words(b);
  if (wa.length === 0 && wb.length === 0) return 1;
  if (wa.length === 0 || wb.length === 0) return 0;
  return (2 * lcs(wa, wb)) / (wa.length + wb.length);
}

function ngrams(tokens: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join("\u0000");
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

/** Sentence BLEU of `candidate` against one `reference` (not symmetric; see {@link bleu}). */
export function sentenceBleu(candidate: string, reference: string, maxN = 4): number {
  const c = words(candidate);
  const r = words(reference);
  if (c.length === 0 && r.length === 0) return 1;
  if (c.length === 0 || r.length === 0) return 0;
  let logSum = 0;
  for (let n = 1; n <= maxN; n++) {
    const cn = ngrams(c, n);
    const rn = ngrams(r, n);
    let matched = 0;
    let total = 0;
    for (const [g, x] of cn) {
      total += x;
      matched += Math.min(x, rn.get(g) ?? 0);
    }
    if (n === 1 && matched === 0) return 0;
    // Add-one smoothing above unigrams, so that a short text with no 4-gram in common is not 0.
    const p = n === 1 ? matched / total : (matched + 1) / (total + 1);
    logSum += Math.log(p) / maxN;
  }
  const brevity = c.length >= r.length ? 1 : Math.exp(1 - r.length / c.length);
  return brevity * Math.exp(logSum);
}

/** BLEU made symmetric: the mean of each text's sentence BLEU against the other. */
export function bleu(a: string, b: string): number {
  return (sentenceBleu(a, b) + sentenceBleu(b, a)) / 2;
}
