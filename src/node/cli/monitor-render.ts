/**
 * `fairkit monitor`'s text and Markdown output, from the monitor document alone (every number is
 * the document's): one row per window (rows, labelled rows, the criteria), a sparkline per
 * criterion, per-group score drift and share over the windows, and the alerts.
 */
import type { MonitorResult, MonitorWindow } from "fairkit/internal";
import { formatCount, formatNumber, renderMarkdown, renderText, type TextTable } from "./table.js";

const BARS = "▁▂▃▄▅▆▇█";

/** A sparkline of the values (scaled to their own range; `·` where undefined). */
export function sparkline(values: readonly (number | null)[]): string {
  const defined = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (defined.length === 0) return values.map(() => "·").join("");
  const lo = Math.min(...defined);
  const hi = Math.max(...defined);
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return "·";
      const k = hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1));
      return BARS[k];
    })
    .join("");
}

const CRITERIA_SHOWN = [
  "demographic_parity_ratio",
  "demographic_parity_difference",
  "equal_opportunity_difference",
  "equalized_odds_difference",
  "predictive_parity_difference",
] as const;

/** Column titles of the windows table (the criteria table below names them in full). */
const SHORT: Readonly<Record<(typeof CRITERIA_SHOWN)[number], string>> = {
  demographic_parity_ratio: "DP ratio",
  demographic_parity_difference: "DP diff",
  equal_opportunity_difference: "EOpp diff",
  equalized_odds_difference: "EOdds diff",
  predictive_parity_difference: "PP diff",
};

function day(w: Pick<MonitorWindow, "start">): string {
  return w.start.endsWith("T00:00:00.000Z") ? w.start.slice(0, 10) : w.start.replace(":00.000Z", "Z");
}

function interval(i: [number | null, number | null] | null): string {
  return i ? `[${formatNumber(i[0])}, ${formatNumber(i[1])}]` : "";
}

/** Renders the monitor document as aligned text or Markdown. */
export function renderMonitor(result: MonitorResult, format: "table" | "markdown"): string {
  const render = (t: TextTable) => (format === "markdown" ? renderMarkdown(t) : renderText(t));
  const out: string[] = [];
  const ref = result.settings.reference;
  const refText =
    ref.kind === "first"
      ? "the first window"
      : `the windows starting in ${ref.start.slice(0, 10)}..${ref.end.slice(0, 10)}`;
  const heading = (text: string) => out.push(format === "markdown" ? `\n### ${text}\n` : `\n${text}`);
  out.push(
    `${format === "markdown" ? "## " : ""}fairkit monitor: ${result.input.source}, ${result.windows.length} windows of ${result.settings.window} by ${result.input.time}; reference: ${refText} (${formatCount(result.reference.rows)} rows, ${formatCount(result.reference.labelled_rows)} labelled)`,
  );
  heading("Windows (demographic parity on every row, the other criteria on the labelled rows):");
  out.push(
    render({
      headers: ["window", "rows", "labelled", ...CRITERIA_SHOWN.map((c) => SHORT[c])],
      rows: result.windows.map((w) => [
        `${day(w)}${w.in_reference ? " (ref)" : ""}`,
        formatCount(w.rows),
        formatCount(w.labelled_rows),
        ...CRITERIA_SHOWN.map((c) => formatNumber(w.criteria[c].value)),
      ]),
    }),
  );
  heading("Criteria over the windows (each line scaled to its own range; · where undefined):");
  out.push(
    render({
      headers: ["criterion", "over windows", "reference", "last", "last interval"],
      rows: CRITERIA_SHOWN.map((c) => {
        const last = result.windows[result.windows.length - 1].criteria[c];
        return [
          c,
          sparkline(result.windows.map((w) => w.criteria[c].value)),
          formatNumber(result.reference.criteria[c].value),
          formatNumber(last.value),
          interval(last.interval),
        ];
      }),
      alignRight: [false, false, true, true, false],
    }),
  );
  const labels = result.reference.groups.map((g) => g.label);
  for (const w of result.windows) for (const g of w.groups) if (!labels.includes(g.label)) labels.push(g.label);
  const series = (f: (g: MonitorWindow["groups"][number]) => number | null) =>
    labels.map((label) =>
      result.windows.map((w) => {
        const g = w.groups.find((x) => x.label === label);
        return g ? f(g) : null;
      }),
    );
  heading("Groups over the windows: share of the rows, selection rate, score drift (PSI against the reference):");
  const shares = series((g) => g.share);
  const selection = series((g) => g.metrics.selection_rate ?? null);
  const psi = series((g) => g.drift?.psi ?? null);
  const lastOf = (values: (number | null)[]) => values[values.length - 1];
  out.push(
    render({
      headers: ["group", "share", "ref", "last", "selection", "last", "PSI", "last"],
      rows: labels.map((label, i) => [
        label,
        sparkline(shares[i]),
        formatNumber(result.reference.groups.find((g) => g.label === label)?.share ?? null),
        formatNumber(lastOf(shares[i])),
        sparkline(selection[i]),
        formatNumber(lastOf(selection[i])),
        result.settings.bins === null ? "" : sparkline(psi[i]),
        result.settings.bins === null ? "—" : formatNumber(lastOf(psi[i])),
      ]),
      alignRight: [false, false, true, true, false, true, false, true],
    }),
  );
  heading(
    result.settings.rules.length === 0
      ? "Alerts: no rules given (--rules FILE)."
      : `Alerts (${result.alerts.length} from ${result.settings.rules.length} rule${result.settings.rules.length === 1 ? "" : "s"}):`,
  );
  if (result.settings.rules.length > 0) {
    if (result.alerts.length === 0) out.push("none");
    else
      out.push(
        render({
          headers: ["window", "rule", "group", "value", "interval", "tolerance", "k of m"],
          rows: result.alerts.map((a) => [
            `${day({ start: a.window })}${a.new ? " (new)" : ""}`,
            a.rule,
            a.label ?? "",
            formatNumber(a.value),
            interval(a.interval),
            String(a.tolerance),
            `${a.breaches} of ${a.of}`,
          ]),
          alignRight: [false, false, false, true, false, true, true],
        }),
      );
  }
  return `${out.join("\n")}\n`;
}
