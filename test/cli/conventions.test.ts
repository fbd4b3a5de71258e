/**
 * The conventions every command follows: `--format` or else the `-o` extension decides the format,
 * and a contradiction is a usage error that writes nothing; `--demo` wherever a FILE is optional
 * (and only there); `report --fail-on` gates like `audit --fail-on`; one name and one default for
 * the same option; help texts that say what an option does.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { outputFormat } from "../../src/node/cli/options.js";
import { assertValid } from "../helpers/schemas.js";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "fairkit-conventions-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const COMMANDS = ["audit", "report", "thresholds", "postprocess", "apply", "mitigate", "data"] as const;

describe("the format follows -o unless --format says otherwise", () => {
  test("outputFormat: given, implied, fallback, contradiction, unsupported", () => {
    const formats = ["table", "json", "markdown", "csv"] as const;
    assert.equal(outputFormat(formats, undefined, undefined, "table"), "table");
    assert.equal(outputFormat(formats, undefined, "out.JSON", "table"), "json");
    assert.equal(outputFormat(formats, undefined, "out.txt", "table"), "table");
    assert.equal(outputFormat(formats, undefined, "out.data", "table"), "table");
    assert.equal(outputFormat(formats, "csv", "out.data", "table"), "csv");
    assert.equal(outputFormat(formats, "json", "out.json", "table"), "json");
    assert.throws(
      () => outputFormat(formats, "json", "audit.csv", "table"),
      /--format json contradicts -o audit\.csv \(a \.csv file holds csv\)/,
    );
    assert.throws(
      () => outputFormat(formats, undefined, "audit.html", "table"),
      /-o audit\.html: this command writes table, json, markdown, csv, not html/,
    );
  });

  test("audit -o audit.json writes the JSON document (it used to write a text table)", async () => {
    const out = join(dir, "audit.json");
    const run = await runCli(["audit", "--demo", "-o", out]);
    assert.equal(run.code, 0, run.stderr);
    assertValid(JSON.parse(readFileSync(out, "utf8")), "audit");
    const md = join(dir, "audit.md");
    assert.equal((await runCli(["audit", "--demo", "-o", md])).code, 0);
    assert.match(readFileSync(md, "utf8"), /^\| group \| n \|/m);
  });

  for (const [command, args, out, format] of [
    ["audit", ["--demo"], "a.csv", "json"],
    ["report", ["--demo"], "r.html", "markdown"],
    ["thresholds", ["--demo"], "t.json", "table"],
    ["postprocess", ["--demo"], "p.csv", undefined],
  ] as const) {
    test(`${command} ${format ? `--format ${format} ` : ""}-o ${out}: a usage error, nothing written`, async () => {
      const path = join(dir, out);
      const run = await runCli([command, ...args, ...(format ? ["--format", format] : []), "-o", path]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, format ? /--format \w+ contradicts -o / : /this command writes json, not csv/);
      assert.equal(run.stderr.trim().split("\n").length, 2, "one line, and where the help is");
      assert.equal(existsSync(path), false);
    });
  }

  test("report: -o r.md writes Markdown, --format json writes the report document to stdout", async () => {
    const md = join(dir, "r.md");
    const run = await runCli(["report", "--demo", "-o", md]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(readFileSync(md, "utf8"), /^# Fairness audit of the fairkit demo/m);
    const json = await runCli(["report", "--demo", "--format", "json"]);
    assert.equal(json.code, 0, json.stderr);
    const doc = assertValid(JSON.parse(json.stdout), "report");
    assert.equal(doc.audit.input.source, "demo");
    assert.equal(doc.provenance.data[0].name, "demo");
    assert.match(doc.provenance.data[0].sha256, /^[0-9a-f]{64}$/);
  });

  test("mitigate -o comparison.md writes Markdown; --save DIR keeps the models", async () => {
    const rows = [
      "x,g,y",
      ...Array.from(
        { length: 120 },
        (_, i) => `${(i * 7) % 11},${i % 3 === 0 ? "a" : "b"},${(i * 7) % 11 > 5 ? 1 : 0}`,
      ),
    ];
    const file = join(dir, "m.csv");
    writeFileSync(file, `${rows.join("\n")}\n`);
    const out = join(dir, "comparison.md");
    const save = join(dir, "models");
    const run = await runCli([
      "mitigate",
      file,
      "--y-true",
      "y",
      "--sensitive",
      "g",
      "--methods",
      "reweighing",
      "--bootstrap",
      "0",
      "-o",
      out,
      "--save",
      save,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(readFileSync(out, "utf8"), /^\| method \| changes \| accuracy \|/m);
    assertValid(JSON.parse(readFileSync(join(save, "reweighing.json"), "utf8")), "mitigation-model");
  });

  test("postprocess --demo, then apply -o decisions.ndjson: one JSON object per row with the group tuple", async () => {
    const policy = join(dir, "policy.json");
    const fit = await runCli(["postprocess", "--demo", "--constraint", "equal_opportunity", "-o", policy]);
    assert.equal(fit.code, 0, fit.stderr);
    const doc = assertValid(JSON.parse(readFileSync(policy, "utf8")), "threshold-policy");
    assert.equal(doc.constraint, "true_positive_rate_parity");
    assert.deepEqual(doc.input, { source: "demo", rows: 4000, score: "score", sensitive: ["group"], where: null });
    const file = join(dir, "new.csv");
    writeFileSync(file, "id,score,group\nx1,0.9,A\nx2,0.2,B\nx3,0.55,B\n");
    const out = join(dir, "decisions.ndjson");
    const apply = await runCli(["apply", policy, file, "--keep", "id", "-o", out]);
    assert.equal(apply.code, 0, apply.stderr);
    const lines = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.row, l.id, l.group, l.label, l.score]),
      [
        [1, "x1", ["A"], "A", 0.9],
        [2, "x2", ["B"], "B", 0.2],
        [3, "x3", ["B"], "B", 0.55],
      ],
    );
    for (const l of lines)
      assert.ok(l.probability >= 0 && l.probability <= 1 && (l.decision === 0 || l.decision === 1));
    // The same decisions as the CSV (same seed).
    const csv = await runCli(["apply", policy, file, "--keep", "id"]);
    assert.deepEqual(
      csv.stdout
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(",").at(-1)),
      lines.map((l) => String(l.decision)),
    );
  });
});

describe("--demo wherever FILE is optional, and only there", () => {
  test("usage shows [FILE] exactly for the commands that have --demo; <FILE> where a file is required", async () => {
    for (const command of COMMANDS) {
      const run = await runCli([command, "--help"]);
      assert.equal(run.code, 0);
      const usage = run.stdout.split("\n")[0];
      const demo = /^ {2}--demo\b/m.test(run.stdout);
      assert.equal(/\[FILE\]/.test(usage), demo, `${command}: ${usage}`);
      if (!demo && command !== "data") assert.match(usage, /<FILE>/, command);
    }
  });

  test("thresholds --demo --format json: a valid document on the demo", async () => {
    const run = await runCli(["thresholds", "--demo", "--format", "json"]);
    assert.equal(run.code, 0, run.stderr);
    const doc = assertValid(JSON.parse(run.stdout), "thresholds");
    assert.deepEqual(
      doc.curves.map((c: { group: unknown[] }) => c.group),
      [["A"], ["B"]],
    );
    assert.equal(doc.input.source, "demo");
  });

  test("--demo with a FILE, or with a column option, is a usage error", async () => {
    const both = await runCli(["thresholds", "x.csv", "--demo"]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /give a FILE or --demo, not both/);
    const column = await runCli(["report", "--demo", "--y-true", "label", "--format", "json"]);
    assert.equal(column.code, 2);
    assert.match(column.stderr, /--y-true is for a FILE; the demo's columns are fixed \(y, score, group\)/);
    const neither = await runCli(["postprocess"]);
    assert.equal(neither.code, 2);
    assert.match(neither.stderr, /missing FILE \(or --demo for the built-in demo data\)/);
  });
});

describe("report --fail-on gates like audit --fail-on", () => {
  test("a tripped gate exits 1 and still writes the report; the same gate on audit agrees", async () => {
    const out = join(dir, "gated.json");
    const report = await runCli(["report", "--demo", "-o", out, "--fail-on", "demographic_parity_ratio<0.8"]);
    assert.equal(report.code, 1, report.stderr);
    assert.match(report.stderr, /--fail-on: demographic_parity_ratio = 0\.50\d+ < 0\.8/);
    assertValid(JSON.parse(readFileSync(out, "utf8")), "report");
    const audit = await runCli(["audit", "--demo", "--fail-on", "demographic_parity_ratio<0.8"]);
    assert.equal(audit.code, 1);
    const passing = await runCli([
      "report",
      "--demo",
      "-o",
      join(dir, "ok.json"),
      "--fail-on",
      "demographic_parity_ratio<0.1",
    ]);
    assert.equal(passing.code, 0, passing.stderr);
    const bad = await runCli(["report", "--demo", "-o", join(dir, "bad.json"), "--fail-on", "nonsense"]);
    assert.equal(bad.code, 2);
    assert.equal(existsSync(join(dir, "bad.json")), false);
  });
});

describe("one name and one meaning per option", () => {
  test("every command that writes has --format and -o; columns are --y-true everywhere; the max difference defaults to 0.1", async () => {
    const helps = Object.fromEntries(
      await Promise.all(COMMANDS.map(async (c) => [c, (await runCli([c, "--help"])).stdout] as const)),
    );
    for (const command of ["audit", "report", "thresholds", "postprocess", "apply", "mitigate"]) {
      assert.match(helps[command], /^ {2}--format <format>/m, command);
      assert.match(helps[command], /^ {2}-o, --output <file>/m, command);
      assert.doesNotMatch(helps[command], /--label\b|--tolerance\b/, command);
    }
    for (const command of ["audit", "report", "thresholds", "mitigate", "postprocess"])
      assert.match(helps[command], /--y-true <col>/, command);
    const flat = (command: string) => helps[command].replace(/\s+/g, " ");
    for (const command of ["audit", "report", "thresholds"])
      assert.match(flat(command), /--max-difference <d> [^-]*\(default: 0\.1\)/, command);
    assert.match(flat("postprocess"), /--max-difference <d> [\s\S]*?0 asks for exact equality \(default: 0\)/);
    // The alias is named next to the constraint it means.
    assert.match(flat("postprocess"), /true_positive_rate_parity \(or equal_opportunity, tpr_parity\)/);
  });
});
