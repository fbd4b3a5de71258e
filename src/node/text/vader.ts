/**
 * The built-in offline sentiment scorer: VADER (Hutto & Gilbert 2014) through the
 * `vader-sentiment` package, which reproduces Python VADER's compound score on its README examples
 * (its emoji handling differs). The compound score lies in [−1, 1]; VADER's own cut-offs call
 * ≥ 0.05 positive and ≤ −0.05 negative. The package is loaded on first use.
 */
import type { TextScorer } from "fairkit/internal";

/** VADER's cut-off for a positive text, the default threshold of weak parity with this scorer. */
export const VADER_POSITIVE = 0.05;

interface Vader {
  SentimentIntensityAnalyzer: { polarity_scores(text: string): { compound: number } };
}

/**
 * VADER's compound sentiment score of each text.
 *
 * @example
 * await vaderScorer().score(["VADER is smart, handsome, and funny."]); // [0.8316]
 */
export function vaderScorer(): TextScorer {
  let vader: Vader | undefined;
  return {
    name: "vader",
    async score(texts) {
      vader ??= ((await import("vader-sentiment")) as unknown as { default: Vader }).default;
      const analyzer = vader.SentimentIntensityAnalyzer;
      return Float64Array.from(texts, (t) => analyzer.polarity_scores(t).compound);
    },
  };
}
