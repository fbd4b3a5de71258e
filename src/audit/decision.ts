/**
 * What the positive decision means for the person decided about: `favourable` (a benefit: a loan,
 * a job interview, a treatment) or `unfavourable` (a burden: flagged as high risk, sent to
 * review, denied). AIF360 calls this the favourable label, Aequitas assistive versus punitive.
 * The criteria's numbers do not depend on it (a gap is a gap), but the direction of every finding
 * does: under the four-fifths rule and NYC LL144 the disadvantaged group is the one that receives
 * the favourable outcome least, so for a burden the rule is applied to *not* being selected; and
 * the words follow (selected / flagged, missed / wrongly burdened).
 */

/** What the positive decision (1, selected) means for the people decided about. */
export type DecisionMeaning = "favourable" | "unfavourable";

/** The meanings, for option parsing. */
export const DECISION_MEANINGS: readonly DecisionMeaning[] = ["favourable", "unfavourable"];

/** The words findings use for a decision's meaning. */
export interface DecisionWords {
  /** What a positive decision is called: `selected` / `flagged`. */
  positive: string;
  /** The favourable outcome: `being selected` / `not being flagged`. */
  favourableOutcome: string;
  /** The error that harms most directly: the missed benefit / the wrongful burden. */
  harmfulError: string;
  /** One line for the top of a report or audit. */
  line: string;
  /** The same without the meaning's name: `a benefit; the groups selected least are the disadvantaged ones`. */
  summary: string;
}

/** The words for a meaning. */
export function decisionWords(meaning: DecisionMeaning): DecisionWords {
  return meaning === "favourable"
    ? {
        positive: "selected",
        favourableOutcome: "being selected",
        harmfulError: "false negatives (qualified people denied the benefit: the false negative rate)",
        line: "the positive decision is favourable (a benefit): groups selected least are the disadvantaged ones",
        summary:
          "a benefit; the groups selected least are the disadvantaged ones (--positive-decision unfavourable if it is a burden)",
      }
    : {
        positive: "flagged",
        favourableOutcome: "not being flagged",
        harmfulError: "false positives (people burdened who should not have been: the false positive rate)",
        line: "the positive decision is unfavourable (a burden): groups flagged most are the disadvantaged ones",
        summary: "a burden; the groups flagged most are the disadvantaged ones",
      };
}
