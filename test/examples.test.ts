/**
 * Every command of the README and docs/ runs as written: each `npx fairkit …` line of their `sh`
 * blocks (continuation lines joined) runs through bash in a fresh copy of examples/, one block
 * after another in the same folder (a block's `postprocess` makes the policy its `apply` reads),
 * with fairkit's data folder seeded from the test copies of COMPAS, Adult and the law-school data (so `fairkit data`
 * needs no network). A command exits 0, or 1 when it has a `--fail-on` gate, and writes the file
 * its `-o` names. Blocks that name a data set the machine does not have are skipped, saying so.
 * The example files themselves are what examples/make-examples.ts writes.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { exampleFiles } from "../examples/make-examples.js";
import { repoRoot } from "./cli/run-cli.js";
import { dataPath } from "./helpers/data.js";

const DATA = {
  "compas-scores-two-years.csv": dataPath("compas-scores-two-years.csv"),
  "adult.data": dataPath("adult.data"),
  "law_data.csv": dataPath("law_data.csv"),
} as const;
/** The `fairkit data NAME` of each file. */
const DATASET: Record<keyof typeof DATA, string> = {
  "compas-scores-two-years.csv": "compas",
  "adult.data": "adult",
  "law_data.csv": "law",
};
const work = mkdtempSync(join(tmpdir(), "fairkit-examples-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** The `sh` blocks of a Markdown file, as [line, commands] with continuation lines joined. */
function shBlocks(file: string): { line: number; commands: string[] }[] {
  const lines = readFileSync(join(repoRoot, file), "utf8").split("\n");
  const out: { line: number; commands: string[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== "```sh") continue;
    const start = i + 1;
    const body: string[] = [];
    for (i++; lines[i] !== "```"; i++) body.push(lines[i]);
    const commands = body
      .join("\n")
      .replace(/\\\n\s*/g, "")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"));
    out.push({ line: start, commands });
  }
  return out;
}

const FILES = [
  "README.md",
  ...readdirSync(join(repoRoot, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const blocks = FILES.flatMap((file) => shBlocks(file).map((b) => ({ file, ...b })));

function run(
  command: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  // As written, with `npx fairkit` being this checkout's command.
  const script = command.replace(
    /^npx fairkit /,
    `${JSON.stringify(process.execPath)} ${JSON.stringify(join(repoRoot, "bin/fairkit.js"))} `,
  );
  return new Promise((done) => {
    execFile(
      "bash",
      ["-c", script],
      { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        done({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("the example files", () => {
  test("are what examples/make-examples.ts writes", () => {
    for (const [name, text] of Object.entries(exampleFiles()))
      assert.equal(
        readFileSync(join(repoRoot, "examples", name), "utf8"),
        text,
        `examples/${name} is stale: npx tsx examples/make-examples.ts`,
      );
  });

  test("the docs show commands as npx fairkit, and there are some to run", () => {
    const fairkitLines = blocks.flatMap((b) =>
      b.commands.filter((c) => /^(npx )?fairkit\b/.test(c)).map((c) => `${b.file}:${b.line}: ${c.slice(0, 60)}`),
    );
    assert.ok(fairkitLines.length >= 15, `${fairkitLines.length} commands`);
    for (const line of fairkitLines) assert.match(line, /: npx fairkit /, `write it as npx fairkit: ${line}`);
  });
});

describe("every npx fairkit command in the README and docs runs as written", () => {
  const cwd = join(work, "examples");
  cpSync(join(repoRoot, "examples"), cwd, { recursive: true });
  // fairkit's data folder, seeded from the test copies: `npx fairkit data NAME -o FILE` copies from it.
  const dataDir = join(work, "data");
  mkdirSync(dataDir);
  for (const [name, path] of Object.entries(DATA)) if (path) cpSync(path, join(dataDir, name));
  const env = { FAIRKIT_DATA_DIR: dataDir, SOURCE_DATE_EPOCH: "0" };
  for (const block of blocks) {
    const commands = block.commands.filter((c) => c.startsWith("npx fairkit "));
    if (commands.length === 0) continue;
    const missing = Object.entries(DATA).filter(
      ([name, path]) =>
        !path && commands.some((c) => c.includes(name) || c.includes(`data ${DATASET[name as keyof typeof DATA]}`)),
    );
    const skip =
      missing.length > 0
        ? `needs ${missing.map(([n]) => n).join(", ")}: npx fairkit data compas / adult / law (or set FAIRKIT_DATA_DIR)`
        : false;
    test(`${block.file}:${block.line}`, { skip }, async () => {
      for (const command of commands) {
        const result = await run(command, cwd, env);
        const expected = /--fail-on\b/.test(command) ? [0, 1] : [0];
        assert.ok(expected.includes(result.code), `${command}\nexit ${result.code}\n${result.stderr}`);
        const output = /(?:^|\s)-o\s+("[^"]+"|\S+)/.exec(command)?.[1];
        if (output) assert.ok(existsSync(join(cwd, output.replace(/"/g, ""))), `${command}: wrote no ${output}`);
        else if (!/--save\b/.test(command)) assert.ok(result.stdout.length > 0, `${command}: printed nothing`);
      }
    });
  }
});
