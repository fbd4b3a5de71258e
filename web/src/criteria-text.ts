/** Plain words: which harm each criterion fits, and the impossibility next to the live numbers. */
import type { DecisionMeaning } from "../../src/internal.js";
import type { CriterionStatus } from "./engine.js";

export const CRITERION_LABELS: Record<CriterionStatus["name"], string> = {
  demographic_parity: "Demographic parity",
  equal_opportunity: "Equal opportunity",
  equalized_odds: "Equalised odds",
  predictive_parity: "Predictive parity",
  calibration: "Calibration within groups",
};

/** What each criterion compares (shown beside its gap). */
export const CRITERION_MEASURES: Record<CriterionStatus["name"], string> = {
  demographic_parity: "gap in selection rate",
  equal_opportunity: "gap in true positive rate",
  equalized_odds: "larger of the TPR and FPR gaps",
  predictive_parity: "gap in precision (PPV)",
  calibration: "largest expected calibration error in a group (does not depend on τ)",
};

/**
 * One plain sentence per criterion on the harm it fits, worded by what the positive decision
 * means for the person: a benefit (a loan, an interview) or a burden (flagged high risk).
 */
export function criterionHarms(meaning: DecisionMeaning): Record<CriterionStatus["name"], string> {
  const benefit = meaning === "favourable";
  return {
    demographic_parity: benefit
      ? "“Equal access”: every group receives the benefit at the same rate — fits when the outcome labels themselves may be biased, or access itself is the point."
      : "“Equal burden”: every group is flagged at the same rate — fits when the outcome labels themselves may be biased (e.g. re-arrest reflects policing).",
    equal_opportunity: benefit
      ? "“Equal chance for qualified people”: among people who truly qualify, each group is selected equally often — fits when missing a deserving person is the harm."
      : "Among people who truly are positive, each group is flagged equally often. With a burden the error that hurts most is the false alarm, which this does not look at: see equalised odds (its FPR part).",
    equalized_odds: benefit
      ? "“Equal errors of both kinds”: qualified people found and unqualified people wrongly selected at the same rates — fits when both a miss and a wrong selection hurt."
      : "“Equal errors of both kinds”: the positive found and the negative wrongly flagged at the same rates — fits when a false alarm is a harm, as in detention decisions.",
    predictive_parity: benefit
      ? "“A positive decision means the same”: among those selected, the same share truly qualify in every group — fits when others act on the decision as evidence."
      : "“A flag means the same”: among those flagged, the same share truly are positive in every group — fits when others act on the flag as evidence.",
    calibration:
      "“A score means the same”: a score of 0.7 means a 70% chance in every group — fits when people read and act on the score itself.",
  };
}

/** The sentence under the criteria: which error harms most directly, given the decision's meaning. */
export function decisionNote(meaning: DecisionMeaning): string {
  return meaning === "favourable"
    ? "The positive decision is a benefit: the error that harms most directly is the miss — a deserving person not selected (the false negative rate)."
    : "The positive decision is a burden: the error that harms most directly is the false alarm — a person flagged who should not have been (the false positive rate).";
}

function pct(x: number): string {
  return Number.isNaN(x) ? "undefined" : `${(x * 100).toFixed(1)}%`;
}

/** The impossibility in one paragraph, quoting the live base rates and gaps. */
export function impossibilityParagraph(baseRates: { key: string; value: number }[], status: CriterionStatus[]): string {
  const rates = baseRates.map((b) => `${b.key} ${pct(b.value)}`).join(", ");
  const get = (name: CriterionStatus["name"]) => status.find((s) => s.name === name);
  const eo = get("equalized_odds");
  const pp = get("predictive_parity");
  const unequal = Math.max(...baseRates.map((b) => b.value)) - Math.min(...baseRates.map((b) => b.value)) > 1e-9;
  return (
    `The base rates differ (${rates}). ` +
    (unequal
      ? "When base rates differ and the score is not perfect, no choice of thresholds can make predictive parity (or calibration) and equalised odds hold together: in every group FPR = p/(1−p) · (1−PPV)/PPV · (1−FNR), so equal precision and equal miss rates with unequal base rates p force unequal false positive rates (Chouldechova 2017; Kleinberg, Mullainathan & Raghavan 2017). "
      : "With equal base rates the criteria can agree; make them differ to see the conflict. ") +
    `Right now the equalised-odds gap is ${pct(eo?.value ?? Number.NaN)} and the predictive-parity gap ${pct(pp?.value ?? Number.NaN)}: ` +
    "moving the thresholds trades one for the other. You choose which criterion to violate, so choose by the harm."
  );
}
