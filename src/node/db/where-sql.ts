/**
 * `--where` in another SQL dialect. The predicate is parsed and checked once, by DuckDB's own
 * parser and the allow-list of src/node/io/where.ts (columns, constants, operators, a fixed list
 * of plain functions), and then printed node by node from that syntax tree in the target
 * dialect. The database never sees the text the user typed, so there is no second parser to
 * disagree with the check (a string that one engine reads as a constant and another as code).
 *
 * The filter keeps DuckDB's meaning everywhere: `/` divides as doubles (`5 / 2` is 2.5, not
 * PostgreSQL's 2), `//` divides as integers, LIKE and ILIKE match as DuckDB matches them. A node
 * the dialect cannot write with the same meaning is refused, naming it.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { FairkitError } from "fairkit/internal";
import { checkWhere, type WhereNode } from "../io/where.js";
import type { CastType, Dialect } from "./dialects.js";

const COMPARISONS: Record<string, string> = {
  COMPARE_EQUAL: "=",
  COMPARE_NOTEQUAL: "<>",
  COMPARE_LESSTHAN: "<",
  COMPARE_GREATERTHAN: ">",
  COMPARE_LESSTHANOREQUALTO: "<=",
  COMPARE_GREATERTHANOREQUALTO: ">=",
};

const CAST_TYPES = new Set<string>([
  "INTEGER",
  "BIGINT",
  "DOUBLE",
  "VARCHAR",
  "DATE",
  "TIMESTAMP",
  "BOOLEAN",
  "DECIMAL",
]);

/** Integer constant types as DuckDB's parser gives them. */
const INTEGER_CONSTANTS = new Set(["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER"]);

/**
 * Checks a `--where` predicate against the columns (as `fairkit audit FILE` does) and writes it
 * in the dialect.
 *
 * @example
 * await whereSql(con, "age >= 18 AND lower(race) = 'x'", ["age", "race"], DIALECTS.postgres);
 * // '("age" >= 18 AND lower("race") = \'x\')'
 */
export async function whereSql(
  connection: DuckDBConnection,
  predicate: string,
  columns: readonly string[] | "any",
  dialect: Dialect,
): Promise<string> {
  if (predicate.trim() === "")
    throw new FairkitError("BAD_ARGUMENT", `--where ${JSON.stringify(predicate)}: the filter is empty`, {
      argument: "where",
    });
  const tree = await checkWhere(connection, predicate, columns);
  return printWhere(tree, predicate, columns, dialect);
}

/** Prints a checked syntax tree in the dialect (see {@link whereSql}). */
export function printWhere(
  tree: WhereNode,
  predicate: string,
  columns: readonly string[] | "any",
  dialect: Dialect,
): string {
  const known = new Map(columns === "any" ? [] : columns.map((c) => [c.toLowerCase(), c]));
  const refuse = (what: string): never => {
    throw new FairkitError(
      "BAD_ARGUMENT",
      `--where ${JSON.stringify(predicate)}: ${what} has no equivalent in ${dialect.label} that fairkit can write with the same meaning; rewrite the filter without it`,
      { argument: "where" },
    );
  };
  const print = (n: WhereNode): string => {
    const children = (n.children as WhereNode[] | undefined) ?? [];
    switch (n.class) {
      case "CONSTANT":
        return constant(n.value as Constant);
      case "COLUMN_REF": {
        const name = (n.column_names as string[])[0];
        return dialect.identifier(known.get(name.toLowerCase()) ?? name);
      }
      case "COMPARISON": {
        const left = print(n.left as WhereNode);
        const right = print(n.right as WhereNode);
        const type = String(n.type);
        if (type === "COMPARE_DISTINCT_FROM" || type === "COMPARE_NOT_DISTINCT_FROM") {
          if (!dialect.distinctFrom) refuse("IS DISTINCT FROM");
          return `(${left} IS ${type === "COMPARE_NOT_DISTINCT_FROM" ? "NOT " : ""}DISTINCT FROM ${right})`;
        }
        const op = COMPARISONS[type] ?? refuse(`the comparison ${type}`);
        return `(${left} ${op} ${right})`;
      }
      case "CONJUNCTION": {
        const op =
          n.type === "CONJUNCTION_AND" ? " AND " : n.type === "CONJUNCTION_OR" ? " OR " : refuse(String(n.type));
        return `(${children.map(print).join(op)})`;
      }
      case "OPERATOR": {
        const args = children.map(print);
        switch (n.type) {
          case "OPERATOR_NOT":
            return `(NOT ${args[0]})`;
          case "OPERATOR_IS_NULL":
            return `(${args[0]} IS NULL)`;
          case "OPERATOR_IS_NOT_NULL":
            return `(${args[0]} IS NOT NULL)`;
          case "COMPARE_IN":
            return `(${args[0]} IN (${args.slice(1).join(", ")}))`;
          case "COMPARE_NOT_IN":
            return `(${args[0]} NOT IN (${args.slice(1).join(", ")}))`;
          default:
            return refuse(`the operator ${String(n.type)}`);
        }
      }
      case "BETWEEN":
        return `(${print(n.input as WhereNode)} BETWEEN ${print(n.lower as WhereNode)} AND ${print(n.upper as WhereNode)})`;
      case "CASE": {
        const checks = (n.case_checks as { when_expr: WhereNode; then_expr: WhereNode }[])
          .map((c) => `WHEN ${print(c.when_expr)} THEN ${print(c.then_expr)}`)
          .join(" ");
        return `(CASE ${checks} ELSE ${print(n.else_expr as WhereNode)} END)`;
      }
      case "CAST": {
        const child = n.child as WhereNode;
        const target = n.cast_type as { id: string; type_info: { width?: number; scale?: number } | null };
        if (!CAST_TYPES.has(target.id)) refuse(`a cast to ${target.id}`);
        // TRUE and FALSE arrive as CAST('t' AS BOOLEAN).
        const value = child.class === "CONSTANT" ? (child.value as Constant) : undefined;
        if (target.id === "BOOLEAN" && value && value.type.id === "VARCHAR" && !value.is_null) {
          if (value.value === "t") return "TRUE";
          if (value.value === "f") return "FALSE";
        }
        const type = dialect.type(
          target.id as CastType,
          target.id === "DECIMAL" && target.type_info
            ? { width: Number(target.type_info.width), scale: Number(target.type_info.scale) }
            : undefined,
        );
        const inner = print(child);
        if (n.try_cast === true) return dialect.tryCast ? dialect.tryCast(inner, type) : refuse("TRY_CAST");
        return `CAST(${inner} AS ${type})`;
      }
      case "FUNCTION":
        return call(n, children.map(print));
      default:
        return refuse(String(n.class).toLowerCase());
    }
  };
  const call = (n: WhereNode, args: string[]): string => {
    const name = String(n.function_name).toLowerCase();
    switch (name) {
      case "+":
      case "*":
      case "%":
        return `(${args.join(` ${name} `)})`;
      case "-":
        return args.length === 1 ? `(- ${args[0]})` : `(${args[0]} - ${args[1]})`;
      case "/":
        // DuckDB divides as doubles; PostgreSQL and others would truncate integers.
        return `(${dialect.double(args[0])} / ${dialect.double(args[1])})`;
      case "//":
        return `CAST(floor(${dialect.double(args[0])} / ${dialect.double(args[1])}) AS ${dialect.type("BIGINT")})`;
      case "||":
        return `(${args.join(" || ")})`;
      case "~~":
        return `(${args[0]} LIKE ${args[1]})`;
      case "!~~":
        return `(${args[0]} NOT LIKE ${args[1]})`;
      case "~~*":
        return dialect.ilike ? `(${args[0]} ILIKE ${args[1]})` : `(lower(${args[0]}) LIKE lower(${args[1]}))`;
      case "!~~*":
        return dialect.ilike ? `(${args[0]} NOT ILIKE ${args[1]})` : `(lower(${args[0]}) NOT LIKE lower(${args[1]}))`;
      default: {
        const write = dialect.functions[name];
        if (!write) return refuse(`the function ${JSON.stringify(String(n.function_name))}`);
        return write(args);
      }
    }
  };
  interface Constant {
    type: { id: string; type_info: { width?: number; scale?: number } | null };
    is_null: boolean;
    value?: unknown;
  }
  const constant = (c: Constant): string => {
    if (c.is_null) return "NULL";
    const id = c.type.id;
    if (id === "VARCHAR") return dialect.string(String(c.value));
    if (id === "BOOLEAN") return c.value ? "TRUE" : "FALSE";
    if (INTEGER_CONSTANTS.has(id)) {
      const text = String(c.value);
      if (!/^-?\d+$/.test(text)) refuse(`the constant ${text}`);
      // Parenthesised, so that no printing can put two minus signs together (`--` opens a comment).
      return text.startsWith("-") ? `(${text})` : text;
    }
    if (id === "DECIMAL") {
      const digits = String(c.value);
      const scale = Number(c.type.type_info?.scale ?? 0);
      if (!/^-?\d+$/.test(digits)) refuse(`the constant ${digits}`);
      const negative = digits.startsWith("-");
      const body = (negative ? digits.slice(1) : digits).padStart(scale + 1, "0");
      const text = scale > 0 ? `${body.slice(0, body.length - scale)}.${body.slice(body.length - scale)}` : body;
      return negative ? `(-${text})` : text;
    }
    if (id === "DOUBLE" || id === "FLOAT") {
      const v = Number(c.value);
      if (!Number.isFinite(v)) refuse(`the constant ${String(c.value)}`);
      return v < 0 ? `(${v})` : String(v);
    }
    return refuse(`a constant of type ${id}`);
  };
  return print(tree);
}
