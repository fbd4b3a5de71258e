/**
 * The built-in demo as the commands read it (`--demo` on audit, report, thresholds and
 * postprocess): `demoData()` of the core (made once per process) — two groups A and B of 2,000 people with calibrated
 * scores — under the column names a file of it would have (`y`, `score`, `group`), so every
 * command describes it as it describes a file.
 */
import { createHash } from "node:crypto";
import {
  type AuditInput,
  type AuditResult,
  type AuditTolerances,
  buildAuditResult,
  type DecisionMeaning,
  DEFAULT_AUDIT_METRICS,
  demoData,
  type DemoData,
  type IntervalMethod,
  MetricFrame,
  scoreTable,
  type ScoreTable,
} from "fairkit/internal";
import { UsageError } from "./exit.js";

/** The demo's column names. */
export const DEMO_COLUMNS = Object.freeze({ yTrue: "y", score: "score", sensitive: "group" });

/** Help text of `--demo`. */
export const DEMO_HELP =
  "use the built-in demo data instead of a file (groups A and B of 2,000 people; columns y, score, group)";

/** The demo's threshold when none is given. */
export const DEMO_THRESHOLD = 0.5;

let cached: DemoData | undefined;

/** The demo data, made once per process (it is deterministic). */
function demo(): DemoData {
  cached ??= demoData();
  return cached;
}

/** Checks that exactly one of FILE and `--demo` is given; returns whether it is the demo. */
export function demoOrFile(file: string | undefined, demo: boolean | undefined): file is undefined {
  if (demo) {
    if (file !== undefined) throw new UsageError("give a FILE or --demo, not both");
    return true;
  }
  if (file === undefined) throw new UsageError("missing FILE (or --demo for the built-in demo data)");
  return false;
}

/** Refuses column and filter options with `--demo` (the demo's columns are fixed): `[flag, value]` pairs, undefined when not given. */
export function refuseFileOptions(pairs: readonly (readonly [string, unknown])[]): void {
  for (const [flag, given] of pairs) {
    if (given !== undefined)
      throw new UsageError(
        `${flag} is for a FILE; the demo's columns are fixed (${DEMO_COLUMNS.yTrue}, ${DEMO_COLUMNS.score}, ${DEMO_COLUMNS.sensitive})`,
      );
  }
}

/** The demo's rows, with the decision score >= threshold. */
export function demoRows(threshold = DEMO_THRESHOLD): DemoData & { yPred: Uint8Array; threshold: number } {
  const data = demo();
  const yPred = new Uint8Array(data.score.length);
  for (let i = 0; i < yPred.length; i++) yPred[i] = data.score[i] >= threshold ? 1 : 0;
  return { ...data, yPred, threshold };
}

/** The demo described as the audit describes its input. */
export function demoInput(threshold = DEMO_THRESHOLD): AuditInput {
  return {
    source: "demo",
    format: null,
    rows: demo().yTrue.length,
    where: null,
    y_true: DEMO_COLUMNS.yTrue,
    y_pred: null,
    score: DEMO_COLUMNS.score,
    threshold,
    sensitive: [DEMO_COLUMNS.sensitive],
    weight: null,
    pos_label: null,
    pred_pos_label: null,
    nulls: { [DEMO_COLUMNS.sensitive]: 0, [DEMO_COLUMNS.yTrue]: 0, [DEMO_COLUMNS.score]: 0 },
  };
}

/** The audit settings a command passes for the demo. */
export interface DemoAuditOptions {
  threshold?: number;
  metrics?: readonly string[];
  intervals: IntervalMethod;
  level: number;
  bootstrap?: { n: number; seed: number };
  minGroupSize: number;
  reference?: string;
  tolerances: AuditTolerances;
  includeSmallGroups?: boolean;
  positiveDecision: DecisionMeaning;
}

/** The audit of the demo, as `fairkit audit --demo` prints it. */
export function demoAudit(options: DemoAuditOptions): AuditResult {
  const demo = demoRows(options.threshold);
  const frame = new MetricFrame({
    yTrue: demo.yTrue,
    yPred: demo.yPred,
    sensitiveFeatures: { [DEMO_COLUMNS.sensitive]: demo.group },
    metrics: options.metrics ?? DEFAULT_AUDIT_METRICS,
    intervals: options.intervals,
    level: options.level,
    minGroupSize: options.minGroupSize,
    bootstrap: options.intervals === "bootstrap" ? options.bootstrap : undefined,
  });
  return buildAuditResult(frame, {
    input: demoInput(demo.threshold),
    intervals: options.intervals,
    level: options.level,
    minGroupSize: options.minGroupSize,
    reference: options.reference,
    tolerances: options.tolerances,
    includeSmallGroups: options.includeSmallGroups,
    positiveDecision: options.positiveDecision,
  });
}

/** The demo's score table (for thresholds and postprocess) and its row count. */
export function demoScoreTable(): { table: ScoreTable; rows: number } {
  const data = demo();
  return {
    table: scoreTable({
      scores: data.score,
      yTrue: data.yTrue,
      sensitiveFeatures: { [DEMO_COLUMNS.sensitive]: data.group },
    }),
    rows: data.score.length,
  };
}

/** SHA-256 of the demo's rows (as `y,score,group` CSV text), for a report's provenance. */
export function demoSha256(): string {
  const data = demo();
  const hash = createHash("sha256").update("y,score,group\n");
  for (let i = 0; i < data.score.length; i++)
    hash.update(`${data.yTrue[i]},${data.score[i]},${data.group.levels[data.group.codes[i]]}\n`);
  return hash.digest("hex");
}
