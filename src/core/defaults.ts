/**
 * Every default in one object, read by the library, the CLI, the web app and the reports, so a
 * setting means the same everywhere; renderers print the setting used, never a literal.
 */
export const DEFAULTS = Object.freeze({
  /** Confidence level of every interval. */
  level: 0.95,
  /** A criterion holds when its difference (max − min across groups) is at most this (`--max-difference`). */
  maxDifference: 0.1,
  /** A ratio criterion passes when its ratio (min / max) is at least this (the four-fifths rule's 0.8). */
  minRatio: 0.8,
  /** Groups with fewer rows are flagged small, and the criteria leave them out (and name them). */
  minGroupSize: 30,
  /** Bootstrap replicates and seed. */
  bootstrap: Object.freeze({ n: 1000, seed: 0 }),
  /**
   * From this many rows on, a bootstrap whose metrics are all count-based (and unweighted) draws
   * cell counts (a Poisson bootstrap, B × cells) instead of rows (B × rows).
   */
  cellBootstrapRows: 100_000,
  /** Calibration: bins of the scores, and the fewest rows a group needs in a bin to be compared there. */
  calibrationBins: 10,
  minBinCount: 10,
  /** LL144: values of a sensitive column that count as an unknown category (card file: ll144.unknown_values). */
  ll144UnknownValues: Object.freeze(["unknown"]) as readonly string[],
  /** Monitoring: score drift bins, the reference's quantiles at 1/n, …, (n−1)/n (deciles: 10 bins at most). */
  driftBins: 10,
  /** Subgroup search: how many attributes a subgroup combines at most. */
  subgroupDepth: 2,
  /** Multiclass audits: the most classes a label or decision column may have (more is likely a number: use a regression audit). */
  maxClasses: 100,
  /**
   * Reject-option classification (Kamiran et al. 2012): the constrained metric and its bounds
   * (AIF360's defaults), the search, and AIF360's grid (classification thresholds in [low, high],
   * margins up to the distance to 0 or 1).
   */
  rejectOption: Object.freeze({
    metric: "statistical_parity_difference",
    lowerBound: -0.05,
    upperBound: 0.05,
    search: "exact",
    grid: Object.freeze({ low: 0.01, high: 0.99, thresholds: 100, margins: 50 }),
  }),
  /** Calibrated equalized odds (Pleiss et al. 2017): AIF360's cost constraint and decision threshold. */
  calibratedEqualizedOdds: Object.freeze({ costConstraint: "weighted", threshold: 0.5 }),
});
