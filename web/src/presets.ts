/**
 * Threshold presets. Each one asks the thresholds engine for its rules; none searches or
 * evaluates anything itself.
 */
import { sweepGroup, thresholdRule } from "../../src/internal.js";
import type { LiveEngine, Rule } from "./engine.js";

export type PresetName =
  | "max_accuracy"
  | "single_threshold"
  | "demographic_parity"
  | "equal_opportunity"
  | "equalized_odds";

export const PRESETS: { name: PresetName; label: string; promise: string }[] = [
  { name: "max_accuracy", label: "Max accuracy", promise: "each group's own most accurate threshold" },
  {
    name: "single_threshold",
    label: "Single threshold",
    promise: "the one shared threshold with the best overall accuracy",
  },
  { name: "demographic_parity", label: "Demographic parity", promise: "equal selection rates, best accuracy" },
  { name: "equal_opportunity", label: "Equal opportunity", promise: "equal true positive rates, best accuracy" },
  {
    name: "equalized_odds",
    label: "Equalised odds (randomised)",
    promise: "equal TPR and FPR, best accuracy; may mix two thresholds at random",
  },
];

function argmax(values: Float64Array): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best] || Number.isNaN(values[best])) best = k;
  return best;
}

/** The preset's rules, one per group, computed by the engine. */
export function presetRules(engine: LiveEngine, name: PresetName): Rule[] {
  switch (name) {
    case "max_accuracy":
      return engine.scores.perGroup.map((group): Rule => {
        const { thresholds, values } = sweepGroup(group, "accuracy");
        return thresholdRule(thresholds[argmax(values)]);
      });
    case "single_threshold": {
      const { thresholds, values } = sweepGroup(engine.pooled(), "accuracy");
      const t = thresholds[argmax(values)];
      return engine.groups.map(() => thresholdRule(t));
    }
    default:
      return engine.optimize(name);
  }
}
