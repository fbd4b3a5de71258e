/**
 * `fairkit monitor FILE --time COLUMN`: fairness over time. The file's rows are counted per time
 * window in one DuckDB GROUP BY (src/node/io/read-windows.ts); the windows are compared with a
 * reference window or period by the engine (src/monitor/); alert rules from a YAML or JSON file
 * fire when an interval clears its tolerance for k of the last m windows. Exit codes: 0 ok, 1 an
 * alert fired with --fail-on-alert (the output is still written), 2 usage or data error.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import {
  type AlertRule,
  buildMonitorResult,
  DEFAULT_AUDIT_METRICS,
  DEFAULTS,
  documentText,
  FairkitError,
  type MonitorResult,
  parseReference,
  parseRules,
  parseWindow,
} from "fairkit/internal";
import { parse as parseYaml } from "yaml";
import { textColumnsOf } from "../../io/columns.js";
import { withDuckDB } from "../../io/duckdb.js";
import { ioMessages } from "../../io/messages.js";
import { readWindows } from "../../io/read-windows.js";
import { openSource } from "../../io/source.js";
import { GateFailedError, runCommand, UsageError } from "../exit.js";
import { renderMonitor } from "../monitor-render.js";
import {
  addFileReadOptions,
  addFormatOption,
  binaryRolesOf,
  collectList,
  type FileReadOptions,
  outputFormat,
  parseCount,
  parseList,
  parseNumber,
  sourceOptionsOf,
} from "../options.js";
import { writeOutput } from "../output.js";
import { createProgress } from "../progress.js";

/** The formats `fairkit monitor` writes. */
export const MONITOR_FORMATS = ["table", "json", "markdown"] as const;

/** The options of `fairkit monitor`, as commander parses them. */
export interface MonitorCommandOptions extends FileReadOptions {
  time?: string;
  window: string;
  reference: string;
  yTrue?: string;
  yPred?: string;
  score?: string;
  threshold?: number;
  sensitive?: string[];
  weight?: string;
  posLabel?: string;
  predPosLabel?: string;
  metrics?: string[];
  level: number;
  minGroupSize: number;
  maxDifference: number;
  minRatio: number;
  rules?: string;
  failOnAlert?: boolean;
  format?: (typeof MONITOR_FORMATS)[number];
  output?: string;
  progress?: boolean;
}

/** Reads an alert rules file: YAML, or JSON by its `.json` extension; every problem names the file (and the rule). */
export async function readRulesFile(path: string): Promise<AlertRule[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FairkitError("BAD_FILE", code === "EISDIR" ? ioMessages.notAFile(path) : ioMessages.noSuchFile(path), {
      file: path,
      argument: "--rules",
    });
  }
  let doc: unknown;
  try {
    doc = path.toLowerCase().endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    throw new FairkitError(
      "BAD_FILE",
      `${path}: not valid ${path.toLowerCase().endsWith(".json") ? "JSON" : "YAML"}: ${reason}`,
      { file: path, argument: "--rules" },
    );
  }
  return parseRules(doc, path);
}

/** Runs the monitor the options describe (the command's action, without process concerns). */
export async function runMonitor(
  file: string,
  options: MonitorCommandOptions,
): Promise<{ result: MonitorResult; text: string }> {
  const format = outputFormat(MONITOR_FORMATS, options.format, options.output, "table");
  if (!options.time) throw new UsageError("missing --time COLUMN (the decision's date or timestamp)");
  const roles = binaryRolesOf(options);
  const wrap = <T>(f: () => T, option: string): T => {
    try {
      return f();
    } catch (error) {
      if (error instanceof FairkitError) throw new UsageError(`${option}: ${error.message}`);
      throw error;
    }
  };
  const window = wrap(() => parseWindow(options.window), "--window");
  const reference = wrap(() => parseReference(options.reference), "--reference");
  const rules = options.rules === undefined ? [] : await readRulesFile(options.rules);
  const progress = createProgress({ force: options.progress });
  let read: Awaited<ReturnType<typeof readWindows>>;
  let sourceFormat: string;
  try {
    ({ read, sourceFormat } = await withDuckDB(async (connection) => {
      const source = await openSource(connection, file, {
        ...sourceOptionsOf(options),
        textColumns: textColumnsOf(roles),
      });
      const read = await readWindows(connection, source, roles, { time: options.time!, window, reference, progress });
      return { read, sourceFormat: source.format as string };
    }));
  } finally {
    progress.stop();
  }
  const result = buildMonitorResult(read.windows, {
    input: {
      source: file,
      format: sourceFormat,
      rows: read.rows,
      where: options.where ?? null,
      time: options.time,
      y_true: roles.yTrue,
      y_pred: roles.yPred ?? null,
      score: roles.score ?? null,
      threshold: roles.score !== undefined ? (roles.threshold ?? null) : null,
      sensitive: [...roles.sensitive],
      weight: roles.weight ?? null,
      pos_label: roles.posLabel ?? null,
    },
    window,
    reference,
    metrics: options.metrics ?? DEFAULT_AUDIT_METRICS,
    level: options.level,
    minGroupSize: options.minGroupSize,
    tolerances: { difference: options.maxDifference, ratio: options.minRatio },
    bins:
      read.edges === null
        ? null
        : { rule: `reference ${DEFAULTS.driftBins}-quantiles, repeated values dropped`, edges: read.edges },
    rules,
  });
  return { result, text: format === "json" ? documentText(result) : renderMonitor(result, format) };
}

/** Registers `fairkit monitor` on the program. */
export function registerMonitor(program: Command): void {
  const command = program
    .command("monitor")
    .summary("fairness over time: per-window criteria, drift and alerts for a file with a timestamp column")
    .description(
      "Count a file's rows (read in place by DuckDB, any size) per time window and group, and compare each window with a reference window or period: per group its share of the rows, selection rate and score drift (PSI, Jensen–Shannon, Kolmogorov–Smirnov) for every window, and the base rate, error rates and criteria where the window has labels (recent windows may not, yet); then the alerts of the rules file. See docs/monitoring.md.\n\nExit codes: 0 ok, 1 an alert fired with --fail-on-alert (the output is still written), 2 usage or data error (nothing is written to -o).",
    )
    .argument("<FILE>", "the decisions file (.csv, .tsv, .parquet, .json, .ndjson, optionally .gz)")
    .option("--time <column>", "the decision's date or timestamp (DATE, TIMESTAMP or ISO 8601 text; required)")
    .option("--window <width>", "hour, day, week (from Monday) or <N>d, aligned in UTC", "day")
    .option(
      "--reference <period>",
      "first (the first window) or START..END (ISO dates: the windows starting in it)",
      "first",
    )
    .option("--y-true <col>", "the true outcome (empty where it has not arrived yet)")
    .option("--y-pred <col>", "the decision (binary)")
    .option("--score <col>", "a score: the decision is score >= --threshold, and its distribution is watched for drift")
    .option("--threshold <t>", "with --score", parseNumber("--threshold"))
    .option("--sensitive <cols>", "sensitive column(s), comma-separated or repeated", collectList)
    .option("--weight <col>", "non-negative sample weight column")
    .option("--pos-label <value>", "the --y-true value that means positive, when it is not 0/1 or true/false")
    .option("--pred-pos-label <value>", "the --y-pred value that means positive (default: --pos-label)")
    .option("--metrics <names>", `comma-separated metrics (default: ${DEFAULT_AUDIT_METRICS.join(",")})`, parseList)
    .option("--level <p>", "confidence level of the intervals", parseNumber("--level"), DEFAULTS.level)
    .option(
      "--min-group-size <n>",
      "flag groups with fewer rows as too small; the criteria leave them out",
      parseCount("--min-group-size"),
      DEFAULTS.minGroupSize,
    )
    .option(
      "--max-difference <d>",
      "a criterion difference passes when <= d",
      parseNumber("--max-difference"),
      DEFAULTS.maxDifference,
    )
    .option("--min-ratio <r>", "a criterion ratio passes when >= r", parseNumber("--min-ratio"), DEFAULTS.minRatio)
    .option("--rules <file>", "alert rules (YAML or JSON; see docs/monitoring.md)")
    .option("--fail-on-alert", "exit 1 when any rule fires in any window (the output is still written)");
  addFormatOption(command, MONITOR_FORMATS, "table").option(
    "-o, --output <file>",
    "write to this file (atomically) instead of stdout; its extension picks the format",
  );
  addFileReadOptions(command)
    .option("--progress", "show progress on stderr even when it is not a terminal")
    .addHelpText(
      "after",
      `
Examples:
  fairkit monitor decisions.csv --time decided_at --window week --y-true outcome --score score --threshold 0.5 \\
    --sensitive race --rules rules.yaml --fail-on-alert
  fairkit monitor decisions.parquet --time ts --window 7d --reference 2026-01-01..2026-02-01 --y-true y --y-pred approved \\
    --sensitive sex --format json -o monitor.json`,
    )
    .action((file: string, options: MonitorCommandOptions) =>
      runCommand("monitor", async () => {
        const { result, text } = await runMonitor(file, options);
        await writeOutput(text, options.output, { inputs: [file, ...(options.rules ? [options.rules] : [])] });
        if (options.failOnAlert && result.alerts.length > 0) {
          const rules = [...new Set(result.alerts.map((a) => a.rule))];
          throw new GateFailedError(
            `--fail-on-alert: ${result.alerts.length} alert${result.alerts.length === 1 ? "" : "s"} from ${rules.join(", ")} (the last in the window starting ${result.alerts[result.alerts.length - 1].window})`,
          );
        }
      }),
    );
}
