/** `fairkit --help` and `fairkit audit --help` are complete and say what docs/cli.md says. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { runCli } from "./run-cli.js";

const doc = readFileSync(new URL("../../docs/cli.md", import.meta.url), "utf8");

/** The long option names of a commander help text, e.g. ["--demo", "--y-true", …]. */
function flags(help: string): string[] {
  const section = help.slice(help.indexOf("Options:"));
  return [...section.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]);
}

test("fairkit --help lists every command", async () => {
  const run = await runCli(["--help"]);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^ {2}audit \[options\] \[FILE\]\s+per-group metrics and fairness criteria/m);
  assert.match(run.stdout, /^ {2}data \[options\] <name>\s+fetch a known data set/m);
  for (const command of ["report", "thresholds", "postprocess", "apply", "mitigate", "counts", "merge", "monitor"])
    assert.match(run.stdout, new RegExp(`^ {2}${command} `, "m"), command);
});

test("commander's own usage errors exit 2 on every command, like every other usage error", async () => {
  for (const command of [
    "audit",
    "data",
    "report",
    "thresholds",
    "postprocess",
    "apply",
    "mitigate",
    "counts",
    "merge",
    "monitor",
  ]) {
    const run = await runCli([command, "--no-such-option"]);
    assert.equal(run.code, 2, `${command}: ${run.stderr}`);
    assert.match(run.stderr, /unknown option '--no-such-option'/);
  }
});

test("every option of fairkit audit --help is documented in docs/cli.md, and every documented one exists", async () => {
  const run = await runCli(["audit", "--help"]);
  assert.equal(run.code, 0);
  const helpFlags = flags(run.stdout);
  assert.ok(helpFlags.length >= 25, helpFlags.join(" "));
  for (const flag of helpFlags)
    assert.match(doc, new RegExp(`\\| \`(-\\w, )?${flag}[ \`]`), `${flag} is not in the docs/cli.md option table`);
  const auditSection = doc.slice(doc.indexOf("## `fairkit audit"), doc.indexOf("### What is checked"));
  const documented = [...auditSection.matchAll(/^\| `(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]);
  assert.deepEqual(documented, helpFlags);
  assert.match(run.stdout, /Exit codes: 0 ok, 1 a --fail-on gate failed/);
  for (const [option, value] of [
    ["--ci", '"wilson"'],
    ["--level", "0.95"],
    ["--min-group-size", "30"],
    ["--max-difference", "0.1"],
    ["--min-ratio", "0.8"],
    ["--format", "from the -o extension, else table"],
  ]) {
    assert.match(
      run.stdout,
      new RegExp(`${option} <\\w+>[^]*?\\(default:\\s+${value.replace(/ /g, "\\s+")}\\)`),
      option,
    );
  }
});

test("fairkit data --help names both data sets and their origins", async () => {
  const run = await runCli(["data", "--help"]);
  assert.equal(run.code, 0);
  assert.match(
    run.stdout,
    /compas:\s+https:\/\/raw\.githubusercontent\.com\/propublica\/compas-analysis\/master\/compas-scores-two-years\.csv/,
  );
  assert.match(
    run.stdout,
    /adult:\s+https:\/\/archive\.ics\.uci\.edu\/ml\/machine-learning-databases\/adult\/adult\.data/,
  );
  for (const flag of flags(run.stdout)) assert.ok(doc.includes(flag), flag);
});
