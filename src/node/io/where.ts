/**
 * `--where`: a row filter written in SQL, confined to the input's own columns. The predicate is
 * parsed by DuckDB's own parser (`json_serialize_sql`, so there is no second grammar to disagree
 * with) in exactly the slot it is later run in, and its syntax tree is checked node by node:
 * column references must name the input's columns, and only constants, operators, comparisons,
 * CASE, casts and plain scalar functions from a fixed list may appear. Subqueries, table
 * functions (`read_csv`, `glob`, …), settings (`current_setting`), aggregates, windows and
 * parameters are refused, so no other file, extension or setting is reachable through it. As a
 * second wall the connection itself is confined to the input file (see `openSource`).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { FairkitError } from "fairkit/internal";
import { ioMessages } from "./messages.js";
import { sqlString } from "./sql.js";

/** Scalar functions and operators a `--where` predicate may call (lower-case names). */
export const WHERE_FUNCTIONS: ReadonlySet<string> = new Set([
  // arithmetic and string operators as DuckDB names them
  "+",
  "-",
  "*",
  "/",
  "//",
  "%",
  "**",
  "^",
  "||",
  "~~",
  "!~~",
  "~~*",
  "!~~*",
  "~~~",
  "!~~~",
  // text
  "lower",
  "upper",
  "lcase",
  "ucase",
  "trim",
  "ltrim",
  "rtrim",
  "length",
  "strlen",
  "substr",
  "substring",
  "left",
  "right",
  "strpos",
  "instr",
  "position",
  "replace",
  "concat",
  "contains",
  "starts_with",
  "ends_with",
  "prefix",
  "suffix",
  "like_escape",
  "ilike_escape",
  "regexp_matches",
  "regexp_full_match",
  // numbers
  "abs",
  "round",
  "floor",
  "ceil",
  "ceiling",
  "sign",
  "sqrt",
  "ln",
  "log",
  "log10",
  "log2",
  "exp",
  "pow",
  "power",
  "greatest",
  "least",
  "isnan",
  "isinf",
  "isfinite",
  // missing values
  "coalesce",
  "ifnull",
  "nullif",
  // dates and times
  "year",
  "month",
  "day",
  "dayofweek",
  "dayofyear",
  "week",
  "quarter",
  "hour",
  "minute",
  "second",
  "date_part",
  "datepart",
  "date_trunc",
  "datetrunc",
  "date_diff",
  "datediff",
  "epoch",
  "strftime",
  "strptime",
  "make_date",
]);

/** Expression classes whose children are checked in turn. Anything else is refused. */
const ALLOWED_CLASSES = new Set([
  "CONSTANT",
  "COLUMN_REF",
  "COMPARISON",
  "CONJUNCTION",
  "OPERATOR",
  "BETWEEN",
  "CASE",
  "CAST",
  "FUNCTION",
  "COLLATE",
]);

const CLASS_WORDS: Record<string, string> = {
  SUBQUERY: "a subquery",
  WINDOW: "a window function",
  STAR: "*",
  PARAMETER: "a parameter",
  LAMBDA: "a lambda",
  POSITIONAL_REFERENCE: "a positional reference",
  DEFAULT: "DEFAULT",
  COLUMN_REF: "a qualified column name",
};

/** Columns fairkit adds to a source for its own use; a predicate may not name them. */
export const INTERNAL_PREFIX = "__fairkit_";

/** The SQL slot a predicate is parsed and run in: `WHERE (` … `)`. */
export function whereSlot(predicate: string): string {
  return `WHERE (${predicate}\n)`;
}

/** A node of DuckDB's serialised syntax tree (`json_serialize_sql`). */
export interface WhereNode {
  class?: string;
  [key: string]: unknown;
}
type Node = WhereNode;

/**
 * Checks a `--where` predicate against the input's columns. Returns its checked syntax tree (which
 * src/node/db/where-sql.ts prints in another SQL dialect); throws a `BAD_ARGUMENT` FairkitError
 * that names `--where` and says what is wrong.
 *
 * @example
 * await checkWhere(con, "age >= 18 AND race IN ('a', 'b')", ["age", "race", "score"]);
 */
export async function checkWhere(
  connection: DuckDBConnection,
  predicate: string,
  columns: readonly string[] | "any",
): Promise<WhereNode> {
  const probe = `SELECT * FROM t ${whereSlot(predicate)}`;
  const reader = await connection.runAndReadAll(`SELECT json_serialize_sql(${sqlString(probe)})`);
  const parsed = JSON.parse(String(reader.getRows()[0][0])) as {
    error: boolean;
    error_message?: string;
    position?: string;
    statements?: { node: Node }[];
  };
  const fail = (message: string): never => {
    throw new FairkitError("BAD_ARGUMENT", message, { argument: "where" });
  };
  if (parsed.error) {
    const offset = Number(parsed.position) - "SELECT * FROM t WHERE (".length;
    // An error at or past the end is at the slot's closing parenthesis: the condition stops short.
    if (Number.isFinite(offset) && offset >= predicate.trimEnd().length)
      fail(
        ioMessages.whereSyntax(predicate, "the condition is incomplete (it ends where more is expected)", undefined),
      );
    fail(
      ioMessages.whereSyntax(
        predicate,
        parsed.error_message ?? "syntax error",
        Number.isFinite(offset) && offset >= 0 ? offset : undefined,
      ),
    );
  }
  const statements = parsed.statements ?? [];
  const node = statements[0]?.node;
  const from = node?.from_table as Node | undefined;
  const single =
    statements.length === 1 &&
    node?.type === "SELECT_NODE" &&
    Array.isArray(node.select_list) &&
    node.select_list.length === 1 &&
    (node.select_list[0] as Node).class === "STAR" &&
    from?.type === "BASE_TABLE" &&
    from.table_name === "t" &&
    (node.modifiers as unknown[]).length === 0 &&
    ((node.cte_map as { map: unknown[] }).map ?? []).length === 0 &&
    (node.group_expressions as unknown[]).length === 0 &&
    node.having === null &&
    node.qualify === null &&
    node.sample === null;
  if (!single)
    fail(
      ioMessages.whereNotAllowed(predicate, "anything beyond one condition (a second statement, UNION, ORDER BY, …)"),
    );
  // "any": the columns are not known here (`--print-sql` for a warehouse fairkit does not connect to).
  const known =
    columns === "any"
      ? undefined
      : new Map(columns.filter((c) => !c.startsWith(INTERNAL_PREFIX)).map((c) => [c.toLowerCase(), c]));
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const n = value as Node;
    if (typeof n.class === "string") {
      if (!ALLOWED_CLASSES.has(n.class))
        fail(ioMessages.whereNotAllowed(predicate, CLASS_WORDS[n.class] ?? n.class.toLowerCase()));
      if (n.class === "COLUMN_REF") {
        const names = n.column_names as string[];
        if (names.length !== 1) fail(ioMessages.whereNotAllowed(predicate, `the qualified name ${names.join(".")}`));
        if (names[0].startsWith(INTERNAL_PREFIX) || (known && !known.has(names[0].toLowerCase())))
          fail(ioMessages.whereColumn(predicate, names[0], [...(known?.values() ?? [])]));
      }
      if (n.class === "FUNCTION") {
        const name = String(n.function_name).toLowerCase();
        const plain =
          n.schema === "" &&
          (n.catalog ?? "") === "" &&
          n.filter === null &&
          n.distinct === false &&
          n.export_state === false &&
          ((n.order_bys as { orders?: unknown[] })?.orders ?? []).length === 0;
        if (!WHERE_FUNCTIONS.has(name) || !plain)
          fail(ioMessages.whereNotAllowed(predicate, `the function ${JSON.stringify(String(n.function_name))}`));
      }
    }
    for (const [key, child] of Object.entries(n)) {
      if (key === "value" && n.class === "CONSTANT") continue;
      visit(child);
    }
  };
  visit(node.where_clause);
  return node.where_clause as WhereNode;
}
