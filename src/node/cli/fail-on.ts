/**
 * `--fail-on` gates for CI: `"demographic_parity_ratio<0.8"` fails the run (exit code 1) when the
 * named number is below 0.8. A gate on a value that is undefined (NaN, e.g. one group has no
 * positives) fails too: a gate that cannot be checked must not pass silently.
 */
import { UsageError } from "./exit.js";

/** A comparison operator of a gate. */
export type GateOperator = "<" | "<=" | ">" | ">=" | "==" | "!=";

/** One parsed `--fail-on` expression: the run fails when `value op threshold` holds. */
export interface Gate {
  expression: string;
  name: string;
  operator: GateOperator;
  threshold: number;
}

/** The result of checking one gate. */
export interface GateResult extends Gate {
  value: number | null;
  /** True when the gate tripped (the condition holds, or the value is undefined). */
  failed: boolean;
}

const PATTERN = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(<=|>=|==|!=|<|>)\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*$/i;

/**
 * Parses `name<op>number`, e.g. `demographic_parity_ratio<0.8` or `equalized_odds_difference > 0.1`.
 *
 * @example
 * parseGate("demographic_parity_ratio<0.8"); // { name: "demographic_parity_ratio", operator: "<", threshold: 0.8, … }
 */
export function parseGate(expression: string): Gate {
  const m = PATTERN.exec(expression);
  if (!m) {
    throw new UsageError(
      `--fail-on ${JSON.stringify(expression)} is not of the form NAME<OP>NUMBER (e.g. "demographic_parity_ratio<0.8"; operators < <= > >= == !=)`,
    );
  }
  return { expression: expression.trim(), name: m[1], operator: m[2] as GateOperator, threshold: Number(m[3]) };
}

function holds(value: number, op: GateOperator, t: number): boolean {
  switch (op) {
    case "<":
      return value < t;
    case "<=":
      return value <= t;
    case ">":
      return value > t;
    case ">=":
      return value >= t;
    case "==":
      return value === t;
    case "!=":
      return value !== t;
  }
}

/**
 * Checks gates against named numbers (e.g. an audit's criteria). An unknown name is a usage error
 * listing the known names.
 */
export function checkGates(gates: readonly Gate[], values: Readonly<Record<string, number | null>>): GateResult[] {
  return gates.map((gate) => {
    if (!(gate.name in values)) {
      throw new UsageError(
        `--fail-on ${JSON.stringify(gate.expression)}: unknown name ${JSON.stringify(gate.name)}; known: ${Object.keys(values).join(", ")}`,
      );
    }
    const value = values[gate.name];
    const failed = value === null || Number.isNaN(value) || holds(value, gate.operator, gate.threshold);
    return { ...gate, value: value === null || Number.isNaN(value) ? null : value, failed };
  });
}

/** One line per failed gate, e.g. `demographic_parity_ratio = 0.61 < 0.8`. */
export function describeFailures(results: readonly GateResult[]): string {
  return results
    .filter((r) => r.failed)
    .map((r) =>
      r.value === null
        ? `${r.name} is undefined (gate ${r.expression})`
        : `${r.name} = ${r.value.toPrecision(4)} ${r.operator} ${r.threshold}`,
    )
    .join("; ");
}
