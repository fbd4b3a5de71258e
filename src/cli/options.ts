/**
 * Option parsing helpers for commander, shared by the commands. Each throws commander's
 * InvalidArgumentError naming the option, so a typo gets a message that says which flag was
 * wrong and exit code 2 (main.ts makes commander's own usage errors exit 2 for every command).
 */
import { InvalidArgumentError } from "commander";

class UsageError extends InvalidArgumentError {}

/** `a,b , c` → `["a", "b", "c"]`; empty items dropped. */
export function parseList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** For repeatable list options: `--sensitive race --sensitive sex,age` → `["race", "sex", "age"]`. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...parseList(value)];
}

/** For repeatable options kept as given: `--fail-on a --fail-on b` → `["a", "b"]`. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A finite number, or a UsageError naming the option. */
export function parseNumber(option: string): (value: string) => number {
  return (value) => {
    const x = Number(value);
    if (value.trim() === "" || !Number.isFinite(x)) throw new UsageError(`${option} must be a number; got ${JSON.stringify(value)}`);
    return x;
  };
}

/** A non-negative integer, or a UsageError naming the option. */
export function parseCount(option: string): (value: string) => number {
  return (value) => {
    const x = Number(value);
    if (!(Number.isInteger(x) && x >= 0)) throw new UsageError(`${option} must be a whole number >= 0; got ${JSON.stringify(value)}`);
    return x;
  };
}

/** One of `choices`, or a UsageError listing them. */
export function parseChoice<T extends string>(option: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) throw new UsageError(`${option} must be one of ${choices.join(", ")}; got ${JSON.stringify(value)}`);
    return value as T;
  };
}
