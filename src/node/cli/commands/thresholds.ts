/**
 * `fairkit thresholds FILE`: per-group ROC/PR summaries, the impossibility table at a threshold,
 * and suggested thresholds per criterion (randomised, from the ThresholdOptimizer, and
 * deterministic, from equalizeThresholds). Also home of {@link readScoreTableFromFile}, the score
 * tables pushed down to DuckDB as one GROUP BY that `postprocess` shares.
 */
import type { Command } from "commander";
import {
  CRITERION_NAMES,
  curveSummary,
  type CurveSummary,
  type DecisionRule,
  DEFAULTS,
  documentText,
  type EqualizeResult,
  equalizeThresholds,
  FairkitError,
  groupTuple,
  impossibilityFromTable,
  type ImpossibilityReport,
  type Level,
  metricShort,
  type ScoreTable,
  THRESHOLDS_SCHEMA_VERSION,
  type ThresholdConstraint,
  type ThresholdObjective,
  ThresholdOptimizer,
  VERSION,
} from "fairkit/internal";
import { ROLE_OPTIONS } from "../../io/columns.js";
import { type ScoreColumns, readScoreTableFromFile } from "../../io/read-scores.js";
import { isDatabaseAddress } from "../../db/connect.js";
import { readDatabaseScoreTable } from "../../db/read-database-scores.js";
import { runCommand, UsageError } from "../exit.js";
import { DEMO_COLUMNS, DEMO_HELP, demoOrFile, demoScoreTable, refuseFileOptions } from "../demo.js";
import {
  addFileReadOptions,
  addFormatOption,
  collectList,
  type FileReadOptions,
  outputFormat,
  parseChoice,
  parseCount,
  parseNumber,
  sourceOptionsOf,
} from "../options.js";
import { writeOutput } from "../output.js";
import { formatCount, formatNumber, renderText } from "../table.js";

/** The criteria `fairkit thresholds` suggests thresholds for. */
export const SUGGESTED_CRITERIA = [
  "demographic_parity",
  "equal_opportunity",
  "false_positive_rate_parity",
  "equalized_odds",
  "predictive_parity",
] as const;
type SuggestedCriterion = (typeof SUGGESTED_CRITERIA)[number];

const OPTIMIZER_CONSTRAINT: Partial<Record<SuggestedCriterion, ThresholdConstraint>> = {
  demographic_parity: "demographic_parity",
  equal_opportunity: "true_positive_rate_parity",
  false_positive_rate_parity: "false_positive_rate_parity",
  equalized_odds: "equalized_odds",
};
const EQUALIZED_METRIC: Partial<Record<SuggestedCriterion, string>> = {
  demographic_parity: "selection_rate",
  equal_opportunity: "true_positive_rate",
  false_positive_rate_parity: "false_positive_rate",
  predictive_parity: "positive_predictive_value",
};

/** One criterion's suggested thresholds. */
export interface ThresholdSuggestion {
  criterion: SuggestedCriterion;
  /** Exact, possibly randomised (Hardt et al. 2016); absent for predictive parity. */
  randomized?: {
    groups: { key: string; rule: DecisionRule }[];
    accuracy: number;
    balancedAccuracy: number;
    difference: number;
  };
  /** One plain threshold per group, the metric as equal as possible; absent for equalized odds. */
  deterministic?: EqualizeResult;
}

/** What `fairkit thresholds` read. */
export interface ThresholdsInput {
  source: string;
  rows: number;
  score: string;
  y_true: string;
  sensitive: string[];
  weight: string | null;
  pos_label: string | null;
  where: string | null;
  threshold: number | null;
}

/** Everything `fairkit thresholds` computes (library shapes; {@link thresholdsDocument} writes them as JSON). */
export interface ThresholdsResult {
  input: ThresholdsInput;
  /** The score table the numbers come from (its groups give the tuples). */
  table: ScoreTable;
  curves: CurveSummary[];
  impossibility: ImpossibilityReport;
  suggestions: ThresholdSuggestion[];
}

type Tuple = (Level | null)[];

/**
 * The `fairkit.thresholds` document (schemas/thresholds.schema.json): snake_case keys, every group
 * as the tuple of its values beside its label, and non-finite numbers as null (a threshold above
 * every score — no one positive — is null).
 */
export function thresholdsDocument(result: ThresholdsResult): Record<string, unknown> {
  const { table, impossibility: imp } = result;
  const byKey = new Map(table.groups.map((g) => [g.key, groupTuple(g.values, table.columns)] as const));
  const tuple = (key: string): Tuple => {
    const t = byKey.get(key);
    if (t === undefined) throw new Error(`internal: no group labelled ${JSON.stringify(key)} in the score table`);
    return t;
  };
  const named = (key: string) => ({ group: tuple(key), label: key });
  const cal = imp.calibration;
  const within = imp.calibrationWithinGroups;
  return {
    kind: "fairkit.thresholds",
    schema_version: THRESHOLDS_SCHEMA_VERSION,
    tool: { name: "fairkit", version: VERSION },
    input: result.input,
    curves: result.curves.map((c) => ({
      ...named(c.key),
      rows: c.rows,
      positives: c.positives,
      negatives: c.negatives,
      distinct_scores: c.distinctScores,
      auc: c.auc,
      average_precision: c.averagePrecision,
    })),
    impossibility: {
      max_difference: imp.tolerance,
      objective: imp.objective,
      min_group_size: imp.minGroupSize,
      excluded: imp.excluded.map(tuple),
      base_rate_gap: imp.baseRateGap,
      groups: imp.groups.map((g) => ({
        ...named(g.key),
        small: g.small,
        threshold: g.threshold,
        rows: g.rows,
        weight: g.weight,
        base_rate: g.baseRate,
        selection_rate: g.selectionRate,
        true_positive_rate: g.truePositiveRate,
        false_positive_rate: g.falsePositiveRate,
        false_negative_rate: g.falseNegativeRate,
        positive_predictive_value: g.positivePredictiveValue,
        accuracy: g.accuracy,
        chouldechova: {
          false_positive_rate: g.chouldechova.falsePositiveRate,
          from_identity: g.chouldechova.fromIdentity,
          holds: g.chouldechova.holds,
        },
      })),
      criteria: imp.criteria.map((c) => ({
        name: c.name,
        metrics: c.metrics,
        difference: c.difference,
        holds: c.holds,
        status: c.status,
      })),
      calibration_parity: {
        bins: cal.bins.map((b) => ({
          lower: b.lower,
          upper: b.upper,
          groups: Object.keys(b.rates).map((key) => ({ ...named(key), rate: b.rates[key], rows: b.rows[key] })),
        })),
        weighted_gap: cal.weightedGap,
        max_gap: cal.maxGap,
      },
      calibration_within_groups:
        within === null
          ? null
          : {
              value: within.value,
              bins: within.bins,
              groups: within.groups.map((g) => ({ ...named(g.key), ece: g.ece, rows: g.rows })),
            },
      tradeoffs: imp.tradeoffs.map((t) => ({
        enforced: t.enforced,
        method: t.method,
        accuracy: t.accuracy,
        accuracy_cost: t.accuracyCost,
        differences: t.differences,
        holds: t.holds,
      })),
      explanation: imp.explanation,
    },
    suggestions: result.suggestions.map((s) => ({
      criterion: s.criterion,
      ...(s.randomized
        ? {
            randomized: {
              groups: s.randomized.groups.map((g) => ({ ...named(g.key), rule: g.rule })),
              accuracy: s.randomized.accuracy,
              balanced_accuracy: s.randomized.balancedAccuracy,
              difference: s.randomized.difference,
            },
          }
        : {}),
      ...(s.deterministic
        ? {
            deterministic: {
              metric: s.deterministic.metric,
              objective: s.deterministic.objective,
              groups: s.deterministic.groups.map((g) => ({ ...named(g.key), threshold: g.threshold, value: g.value })),
              gap: s.deterministic.gap,
              objective_value: s.deterministic.objectiveValue,
              max_difference: s.deterministic.tolerance,
              within_tolerance: s.deterministic.withinTolerance,
            },
          }
        : {}),
    })),
  };
}

/** Computes everything `fairkit thresholds` prints, from score tables. */
export function thresholdsReport(
  table: ScoreTable,
  options: {
    threshold?: number;
    tolerance?: number;
    objective?: ThresholdObjective;
    criteria?: readonly SuggestedCriterion[];
    minGroupSize?: number;
    includeSmallGroups?: boolean;
  },
): Omit<ThresholdsResult, "input" | "table"> {
  const objective = options.objective ?? "accuracy";
  const impossibility = impossibilityFromTable(table, {
    thresholds: options.threshold,
    tolerance: options.tolerance,
    objective,
    minGroupSize: options.minGroupSize,
    includeSmallGroups: options.includeSmallGroups,
  });
  const suggestions = (options.criteria ?? SUGGESTED_CRITERIA).map((criterion): ThresholdSuggestion => {
    const out: ThresholdSuggestion = { criterion };
    const constraint = OPTIMIZER_CONSTRAINT[criterion];
    if (constraint) {
      const opt = new ThresholdOptimizer({ constraint, objective }).fitTable(table);
      const t = opt.training;
      out.randomized = {
        groups: opt.groups.map((g) => ({ key: g.key, rule: g.rule })),
        accuracy: t.accuracy,
        balancedAccuracy: t.balancedAccuracy,
        difference: t.constraintDifference,
      };
    }
    const metric = EQUALIZED_METRIC[criterion];
    // Within the tolerance: at tolerance 0 a rate is equalised trivially (everyone or no one positive).
    if (metric)
      out.deterministic = equalizeThresholds(table, metric, {
        objective,
        tolerance: metric === "positive_predictive_value" ? 0 : (options.tolerance ?? DEFAULTS.maxDifference),
      });
    return out;
  });
  return { curves: curveSummary(table), impossibility, suggestions };
}

const f3 = (x: number) => formatNumber(x, 3);

const short = (x: number) => String(Number(x.toPrecision(6)));

/** A decision rule in words: `>= 5`, `>= 6: p 0.722; >= 7: p 1`, `coin p 0.3`, …. */
export function describeRule(rule: DecisionRule): string {
  const { cuts, probabilities: p } = rule;
  if (cuts.length === 0) return p[0] === 1 ? "everyone" : p[0] === 0 ? "no one" : `coin p ${short(p[0])}`;
  if (cuts.length === 1 && p[0] === 0 && p[1] === 1) return `>= ${short(cuts[0])}`;
  const parts = cuts.map((c, j) => `>= ${short(c)}: p ${short(p[j + 1])}`);
  return (p[0] !== 0 ? [`below: p ${short(p[0])}`, ...parts] : parts).join("; ");
}

/** The rates of each group at the threshold, in table order. */
const GROUP_RATES = [
  "base_rate",
  "selection_rate",
  "true_positive_rate",
  "false_positive_rate",
  "false_negative_rate",
  "positive_predictive_value",
  "accuracy",
] as const;
const GROUP_RATE_FIELDS: Record<(typeof GROUP_RATES)[number], keyof ImpossibilityReport["groups"][number]> = {
  base_rate: "baseRate",
  selection_rate: "selectionRate",
  true_positive_rate: "truePositiveRate",
  false_positive_rate: "falsePositiveRate",
  false_negative_rate: "falseNegativeRate",
  positive_predictive_value: "positivePredictiveValue",
  accuracy: "accuracy",
};

/** Renders the report as aligned text tables. */
export function renderThresholds(result: ThresholdsResult): string {
  const out: string[] = [];
  const imp = result.impossibility;
  out.push(
    `fairkit thresholds: ${result.input.source} (${formatCount(result.input.rows)} rows), score ${result.input.score}, label ${result.input.y_true}, groups ${result.input.sensitive.join(" × ")}`,
  );
  out.push("", "Per-group curves");
  out.push(
    renderText({
      headers: ["group", "rows", "positives", "distinct scores", "ROC AUC", "avg precision"],
      rows: result.curves.map((c) => [
        c.key,
        formatCount(c.rows),
        formatCount(c.positives),
        formatCount(c.distinctScores),
        f3(c.auc),
        f3(c.averagePrecision),
      ]),
    }),
  );
  out.push(
    "",
    `At threshold${imp.groups.every((g) => g.threshold === imp.groups[0].threshold) ? ` ${imp.groups[0].threshold}` : "s"} (score >= t is positive)`,
  );
  out.push(
    renderText({
      headers: ["group", ...GROUP_RATES.map(metricShort), `${metricShort("false_positive_rate")} by Chouldechova`],
      rows: imp.groups.map((g) => [
        `${g.key}${g.small ? " *" : ""}`,
        ...GROUP_RATES.map((r) => f3(g[GROUP_RATE_FIELDS[r]] as number)),
        f3(g.chouldechova.fromIdentity),
      ]),
    }),
  );
  if (imp.excluded.length > 0)
    out.push(
      "",
      `The criteria compare the groups with at least ${imp.minGroupSize} rows; left out as too small: ${imp.excluded.join(", ")} (--include-small-groups compares them too).`,
    );
  out.push("", `Criteria (difference = max − min across groups; holds when <= ${imp.tolerance})`);
  out.push(
    renderText({
      headers: ["criterion", "difference", "status"],
      rows: imp.criteria.map((c) => [c.name, f3(c.difference), c.status]),
    }),
  );
  out.push("", "Trade-offs: enforce one criterion, see what happens to the others");
  out.push(
    renderText({
      headers: ["enforced", "accuracy", "cost", ...CRITERION_NAMES],
      rows: imp.tradeoffs.map((t) => [
        t.enforced,
        f3(t.accuracy),
        f3(t.accuracyCost),
        ...CRITERION_NAMES.map((c) => f3(t.differences[c])),
      ]),
    }),
  );
  out.push("", "Suggested thresholds per criterion");
  const rows: string[][] = [];
  for (const s of result.suggestions) {
    if (s.randomized)
      for (const g of s.randomized.groups)
        rows.push([
          s.criterion,
          "randomised (exact)",
          g.key,
          describeRule(g.rule),
          f3(s.randomized.accuracy),
          f3(s.randomized.difference),
        ]);
    if (s.deterministic)
      for (const g of s.deterministic.groups)
        rows.push([
          s.criterion,
          `deterministic (${s.deterministic.metric})`,
          g.key,
          g.threshold === Number.POSITIVE_INFINITY ? "no one" : `>= ${short(g.threshold)}`,
          f3(s.deterministic.objectiveValue),
          f3(s.deterministic.gap),
        ]);
  }
  out.push(
    renderText({
      headers: ["criterion", "kind", "group", "positive when score", imp.objective, "gap"],
      rows,
      alignRight: [false, false, false, false, true, true],
    }),
  );
  out.push("", imp.explanation);
  return out.join("\n");
}

/** What `fairkit thresholds` writes. */
export const THRESHOLDS_FORMATS = ["table", "json"] as const;

/** The options of `fairkit thresholds`. */
export interface ThresholdsCommandOptions extends FileReadOptions {
  demo?: boolean;
  score?: string;
  yTrue?: string;
  sensitive?: string[];
  weight?: string;
  posLabel?: string;
  threshold?: number;
  maxDifference: number;
  objective: ThresholdObjective;
  criterion?: string[];
  minGroupSize: number;
  includeSmallGroups?: boolean;
  format?: (typeof THRESHOLDS_FORMATS)[number];
  output?: string;
}

/** Checks the column options shared by `thresholds` and `postprocess`. */
export function scoreColumnsFrom(
  file: string | undefined,
  options: FileReadOptions & {
    score?: string;
    yTrue?: string;
    sensitive?: string[];
    weight?: string;
    posLabel?: string;
  },
): ScoreColumns & { file: string } {
  if (file === undefined) throw new UsageError("missing FILE");
  if (!options.score) throw new UsageError(`missing ${ROLE_OPTIONS.score} COLUMN (the numeric score)`);
  if (!options.yTrue) throw new UsageError(`missing ${ROLE_OPTIONS.yTrue} COLUMN (the true outcome)`);
  if (!options.sensitive || options.sensitive.length === 0)
    throw new UsageError(`missing ${ROLE_OPTIONS.sensitive} COLUMN[,COLUMN…]`);
  return {
    file,
    score: options.score,
    yTrue: options.yTrue,
    sensitive: options.sensitive,
    weight: options.weight,
    posLabel: options.posLabel,
    ...sourceOptionsOf(options),
  };
}

/** Adds the file-reading options shared by `thresholds` and `postprocess`. */
export function scoreFileOptions(command: Command): Command {
  command
    .option("--score <col>", "numeric score column (higher = more likely positive)")
    .option("--y-true <col>", "column with the true outcome (0/1, true/false, or two values with --pos-label)")
    .option(
      "--sensitive <cols>",
      "sensitive column(s), comma-separated or repeated; several give their intersections",
      collectList,
    )
    .option("--weight <col>", "non-negative sample weight column")
    .option("--pos-label <value>", "the value of a text label column that means positive")
    .option("--table <name>", "with a database address as FILE: the table or view (see docs/scale.md)")
    .option("--query <sql>", "with a database address as FILE: the rows of this SELECT");
  return addFileReadOptions(command);
}

/** The score table of `--demo` or of FILE, and how the document describes it. */
export async function scoreTableOf(
  file: string | undefined,
  options: FileReadOptions & {
    demo?: boolean;
    score?: string;
    yTrue?: string;
    sensitive?: string[];
    weight?: string;
    posLabel?: string;
    threshold?: number;
    table?: string;
    query?: string;
  },
): Promise<{ table: ScoreTable; input: ThresholdsInput }> {
  if (demoOrFile(file, options.demo)) {
    refuseFileOptions([
      ["--score", options.score],
      ["--y-true", options.yTrue],
      ["--sensitive", options.sensitive],
      ["--weight", options.weight],
      ["--pos-label", options.posLabel],
      ["--where", options.where],
    ]);
    const { table, rows } = demoScoreTable();
    const input = {
      source: "demo",
      rows,
      score: DEMO_COLUMNS.score,
      y_true: DEMO_COLUMNS.yTrue,
      sensitive: [DEMO_COLUMNS.sensitive],
      weight: null,
      pos_label: null,
      where: null,
      threshold: options.threshold ?? null,
    };
    return { table, input };
  }
  const cols = scoreColumnsFrom(file, options);
  const database = isDatabaseAddress(cols.file);
  if (!database && (options.table !== undefined || options.query !== undefined))
    throw new UsageError("--table and --query go with a database address (postgres://…, duckdb:FILE, @name)");
  const read = database
    ? await readDatabaseScoreTable(cols.file, { ...cols, table: options.table, query: options.query })
    : { ...(await readScoreTableFromFile(cols.file, cols)), source: cols.file };
  const input = {
    source: read.source,
    rows: read.rows,
    score: cols.score,
    y_true: cols.yTrue,
    sensitive: cols.sensitive,
    weight: cols.weight ?? null,
    pos_label: cols.posLabel ?? null,
    where: cols.where ?? null,
    threshold: options.threshold ?? null,
  };
  return { table: read.table, input };
}

/** Runs `fairkit thresholds` (without process concerns). */
export async function runThresholds(
  file: string | undefined,
  options: ThresholdsCommandOptions,
): Promise<{ result: ThresholdsResult; text: string }> {
  const format = outputFormat(THRESHOLDS_FORMATS, options.format, options.output, "table");
  const criteria = (options.criterion ?? [...SUGGESTED_CRITERIA]).map((c) => {
    if (!(SUGGESTED_CRITERIA as readonly string[]).includes(c))
      throw new UsageError(`--criterion must be among ${SUGGESTED_CRITERIA.join(", ")}; got ${JSON.stringify(c)}`);
    return c as SuggestedCriterion;
  });
  const read = await scoreTableOf(file, options);
  let body: Omit<ThresholdsResult, "input" | "table">;
  try {
    body = thresholdsReport(read.table, {
      threshold: options.threshold,
      tolerance: options.maxDifference,
      objective: options.objective,
      criteria,
      minGroupSize: options.minGroupSize,
      includeSmallGroups: options.includeSmallGroups,
    });
  } catch (error) {
    if (error instanceof FairkitError && error.location.argument === "thresholds")
      throw new UsageError(
        `${error.message.replace("give thresholds (e.g. thresholds: 5", "give --threshold T (e.g. --threshold 5")}`,
      );
    throw error;
  }
  const result: ThresholdsResult = { input: read.input, table: read.table, ...body };
  const text = format === "json" ? documentText(thresholdsDocument(result)) : renderThresholds(result);
  return { result, text };
}

/** Registers `fairkit thresholds`. */
export function registerThresholds(program: Command): void {
  const command = program
    .command("thresholds")
    .summary("per-group curves, the impossibility table and suggested thresholds per criterion")
    .description(
      "For a file of scores, labels and groups: per-group ROC AUC and average precision; at --threshold, each group's base rate, selection rate, TPR, FPR, FNR and PPV, which criteria hold within --max-difference (demographic parity, equal opportunity, equalized odds, predictive parity, calibration within groups) with Chouldechova's identity checked per group; a trade-off table (enforce each criterion, see accuracy and the others); and suggested per-group thresholds per criterion, exact randomised ones (Hardt et al. 2016) and deterministic ones.\n\nExit codes: 0 ok, 2 usage or data error.",
    )
    .argument("[FILE]", "the file (.csv, .tsv, .parquet, .json, .ndjson; read in place by DuckDB)")
    .option("--demo", DEMO_HELP);
  scoreFileOptions(command)
    .option(
      "--threshold <t>",
      "the threshold to analyse (score >= t positive); default 0.5 for scores in [0, 1]",
      parseNumber("--threshold"),
    )
    .option(
      "--max-difference <d>",
      "a criterion holds when its difference (max − min across groups) is <= d",
      parseNumber("--max-difference"),
      DEFAULTS.maxDifference,
    )
    .option(
      "--objective <name>",
      "what suggested thresholds maximise: accuracy or balanced_accuracy",
      parseChoice("--objective", ["accuracy", "balanced_accuracy"] as const),
      "accuracy",
    )
    .option(
      "--criterion <names>",
      `criteria to suggest thresholds for (default all: ${SUGGESTED_CRITERIA.join(",")})`,
      collectList,
    )
    .option(
      "--min-group-size <n>",
      "groups with fewer rows are marked * and left out of the criteria and trade-offs (and named)",
      parseCount("--min-group-size"),
      DEFAULTS.minGroupSize,
    )
    .option("--include-small-groups", "compare small groups in the criteria too");
  addFormatOption(command, THRESHOLDS_FORMATS, "table")
    .option("-o, --output <file>", "write to this file (atomically) instead of stdout; its extension picks the format")
    .addHelpText(
      "after",
      `
Example (COMPAS, ProPublica's filter):
  fairkit thresholds compas-scores-two-years.csv --score decile_score --y-true two_year_recid --sensitive race --threshold 5 \\
    --where "race IN ('African-American','Caucasian') AND days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid != -1 AND c_charge_degree != 'O' AND score_text != 'N/A'"`,
    )
    .action((file: string | undefined, options: ThresholdsCommandOptions) =>
      runCommand("thresholds", async () => {
        const { text } = await runThresholds(file, options);
        await writeOutput(text, options.output, { inputs: [file] });
      }),
    );
}
