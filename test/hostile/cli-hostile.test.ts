/**
 * Hostile and awkward input, command by command, as a user would hit it: each case runs the real
 * CLI as a child process and asserts the exit code, a message naming the culprit (file, column,
 * row or option), that inputs are left byte for byte as they were and nothing half-written
 * appears, or — for awkward but valid input — numbers computed here independently.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFile, spawnSync } from "node:child_process";
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { after, describe, test } from "node:test";
import type { AuditResult } from "../../src/audit/audit-result.js";
import { repoRoot, runCli } from "../cli/run-cli.js";
import { dataPath } from "../helpers/data.js";
import { assertValid } from "../helpers/schemas.js";

const dir = mkdtempSync(join(tmpdir(), "fairkit-hostile-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let serial = 0;

/** Writes a file in a fresh folder of its own and returns its path. */
function file(name: string, content: string | Buffer): string {
  const folder = join(dir, `case-${serial++}`);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** 40 rows: y, p, g (a/b), s (a score), w (a weight). */
function rows(): string {
  let text = "y,p,g,s,w\n";
  for (let i = 0; i < 40; i++)
    text += `${i % 2},${(i >> 1) % 2},${i % 3 === 0 ? "a" : "b"},${(i % 10) / 10},${1 + (i % 3)}\n`;
  return text;
}

const AUDIT = ["--y-true", "y", "--y-pred", "p", "--sensitive", "g"];
const SCORES = ["--score", "s", "--y-true", "y", "--sensitive", "g"];

interface Case {
  name: string;
  /** The command line after `fairkit`, and the files that must come out untouched / never appear. */
  run: () => { args: string[]; untouched?: string[]; absent?: string[] };
  exit: number;
  stderr?: RegExp;
  /** Must not appear on stderr (a leaked file's content, a stack trace). */
  notStderr?: RegExp;
  /** Checks on the output of a run that succeeds. */
  check?: (stdout: string, stderr: string) => void;
}

const json = (stdout: string) => JSON.parse(stdout) as AuditResult;
const byKey = (r: AuditResult) => Object.fromEntries(r.groups.map((g) => [g.label, g]));

const cases: Case[] = [
  // ------------------------------------------------------------ input meaning
  {
    name: "audit: yes/no labels with --pos-label no: 'no' is positive (base rate counted here)",
    run: () => ({
      args: [
        "audit",
        file("yn.csv", "y,p,g\nyes,1,a\nno,1,a\nno,0,a\nyes,0,b\nno,0,b\nno,1,b\n"),
        "--y-true",
        "y",
        "--y-pred",
        "p",
        "--sensitive",
        "g",
        "--pos-label",
        "no",
        "--format",
        "json",
      ],
    }),
    exit: 0,
    check: (out) => {
      const r = json(out);
      assert.equal(r.input.pos_label, "no");
      assert.equal(r.overall.metrics.base_rate, 4 / 6);
      assert.equal(byKey(r).a.metrics.base_rate, 2 / 3);
    },
  },
  {
    name: "audit: yes/no labels without --pos-label: an error, not a guess",
    run: () => ({ args: ["audit", file("yn.csv", "y,p,g\nyes,1,a\nno,0,b\n"), ...AUDIT] }),
    exit: 2,
    stderr:
      /yn\.csv: column "y" \(--y-true\) must be binary \(0\/1 or true\/false, or two values with --pos-label\); found 2 distinct values \("no", "yes"\)/,
  },
  {
    name: "audit: t/f labels need --pos-label too",
    run: () => ({ args: ["audit", file("tf.csv", "y,p,g\nt,1,a\nf,0,b\n"), ...AUDIT] }),
    exit: 2,
    stderr: /tf\.csv: column "y" \(--y-true\) must be binary/,
  },
  {
    name: "audit: TRUE/False and 1.0/0.0 read as 0/1",
    run: () => ({
      args: [
        "audit",
        file("tf2.csv", "y,p,g\nTRUE,1.0,a\nFalse,0.0,a\nTRUE,0.0,b\nFalse,1.0,b\n"),
        ...AUDIT,
        "--format",
        "json",
        "--min-group-size",
        "1",
      ],
    }),
    exit: 0,
    check: (out) => {
      const r = byKey(json(out));
      assert.equal(r.a.metrics.true_positive_rate, 1);
      assert.equal(r.b.metrics.false_positive_rate, 1);
    },
  },
  {
    name: "audit: codes '01' and '1' stay two groups (text, not numbers)",
    run: () => ({
      args: ["audit", file("zip.csv", "y,p,g\n1,1,01\n0,1,01\n1,0,1\n0,0,1\n1,1,1\n"), ...AUDIT, "--format", "json"],
    }),
    exit: 0,
    check: (out) => {
      const r = json(out);
      assert.deepEqual(
        r.groups.map((g) => [g.label, g.n]),
        [
          ["01", 2],
          ["1", 3],
        ],
      );
    },
  },
  {
    name: "audit: a numeric sensitive column is still compared as a number by --where (age >= 30)",
    run: () => ({
      args: [
        "audit",
        file("age.csv", "y,p,age\n1,1,4\n0,1,30\n1,0,100\n0,0,9\n"),
        "--y-true",
        "y",
        "--y-pred",
        "p",
        "--sensitive",
        "age",
        "--where",
        "age >= 30",
        "--format",
        "json",
      ],
    }),
    exit: 0,
    check: (out) => {
      const r = json(out);
      assert.equal(r.input.rows, 2);
      assert.deepEqual(
        r.groups.map((g) => g.label),
        ["30", "100"],
      );
    },
  },
  {
    name: 'audit: group values with commas never merge: ("x, y", "z") and ("x", "y, z")',
    run: () => ({
      args: [
        "audit",
        file("commas.csv", 'y,p,a,b\n1,1,"x, y",z\n0,1,"x, y",z\n1,0,x,"y, z"\n0,0,x,"y, z"\n1,1,x,"y, z"\n'),
        "--y-true",
        "y",
        "--y-pred",
        "p",
        "--sensitive",
        "a,b",
        "--format",
        "json",
      ],
    }),
    exit: 0,
    check: (out) => {
      const r = json(out);
      assert.deepEqual(
        r.groups.map((g) => [g.label, g.n, g.metrics.selection_rate]),
        [
          ['x, "y, z"', 3, 1 / 3],
          ['"x, y", z', 2, 1],
        ],
      );
    },
  },
  {
    name: "audit: a label that is only spaces is missing, and named",
    run: () => ({ args: ["audit", file("blank.csv", "y,p,g\n1,1,a\n   ,0,b\n"), ...AUDIT] }),
    exit: 2,
    stderr: /blank\.csv: column "y" \(--y-true\) has 1 missing value, the first at data row 2 \(line 3\)/,
  },
  {
    name: "audit: --pos-label that never occurs",
    run: () => ({ args: ["audit", file("pl.csv", "y,p,g\nhigh,1,a\nlow,0,b\n"), ...AUDIT, "--pos-label", "High"] }),
    exit: 2,
    stderr: /pl\.csv: column "y" \(--y-true\) never holds --pos-label "High"; its values are "high", "low"/,
  },
  {
    name: "audit: --pos-label on a 0/1 label that never holds it is an error, not 0/1 as they read",
    run: () => ({ args: ["audit", file("pl01.csv", "y,p,g\n1,1,a\n0,0,b\n"), ...AUDIT, "--pos-label", "yes"] }),
    exit: 2,
    stderr: /column "y" \(--y-true\) never holds --pos-label "yes"/,
  },
  {
    name: "audit: yes/no decisions beside 0/1 labels need --pred-pos-label",
    run: () => ({ args: ["audit", file("pd.csv", "y,p,g\n1,yes,a\n0,no,b\n"), ...AUDIT] }),
    exit: 2,
    stderr: /column "p" \(--y-pred\) must be binary \(0\/1 or true\/false, or two values with --pred-pos-label\)/,
  },
  {
    name: "audit: --pred-pos-label reads the decision column on its own",
    run: () => ({
      args: [
        "audit",
        file("pd2.csv", "y,p,g\n1,yes,a\n0,yes,a\n1,no,b\n0,no,b\n"),
        ...AUDIT,
        "--pred-pos-label",
        "yes",
        "--format",
        "json",
        "--min-group-size",
        "1",
      ],
    }),
    exit: 0,
    check: (out) => {
      const r = byKey(json(out));
      assert.equal(r.a.metrics.selection_rate, 1);
      assert.equal(r.b.metrics.selection_rate, 0);
    },
  },
  {
    name: "audit: a text label with three values is refused even with --pos-label",
    run: () => ({
      args: ["audit", file("three.csv", "y,p,g\nyes,1,a\nno,0,b\nmaybe,1,a\n"), ...AUDIT, "--pos-label", "yes"],
    }),
    exit: 2,
    stderr: /found 3 distinct values \("maybe", "no", "yes"\)/,
  },
  {
    name: "audit: one-level sensitive column: a warning in the JSON and the table",
    run: () => ({ args: ["audit", file("one.csv", "y,p,g\n1,1,a\n0,0,a\n1,0,a\n"), ...AUDIT, "--format", "json"] }),
    exit: 0,
    check: (out) => {
      const r = json(out);
      assert.ok(
        r.warnings.some(
          (w) =>
            w.code === "SINGLE_GROUP" &&
            /every row is in one group \("a"\): there is nothing to compare/.test(w.message),
        ),
      );
    },
  },
  {
    name: "audit (table): the one-group warning is printed too",
    run: () => ({ args: ["audit", file("one.csv", "y,p,g\n1,1,a\n0,0,a\n1,0,a\n"), ...AUDIT] }),
    exit: 0,
    check: (out) => assert.match(out, /every row is in one group \("a"\): there is nothing to compare/),
  },
  {
    name: "audit: CRLF line endings and a byte order mark read like plain lines",
    run: () => ({
      args: [
        "audit",
        file("crlf.csv", Buffer.from("\ufeffy,p,g\r\n1,1,a\r\n0,1,a\r\n1,0,b\r\n0,0,b\r\n")),
        ...AUDIT,
        "--format",
        "json",
      ],
    }),
    exit: 0,
    check: (out) => {
      const r = byKey(json(out));
      assert.equal(r.a.metrics.selection_rate, 1);
      assert.equal(r.b.metrics.selection_rate, 0);
    },
  },
  {
    name: "audit: --reference names a group whose value needs quotes, by its JSON tuple",
    run: () => ({
      args: [
        "audit",
        file("ref.csv", `y,p,g\n${'1,1,"x, y"\n0,0,"x, y"\n'.repeat(20)}${"1,0,z\n0,0,z\n".repeat(20)}`),
        ...AUDIT,
        "--reference",
        '["x, y"]',
        "--format",
        "json",
      ],
    }),
    exit: 0,
    check: (out) => {
      const r = json(out);
      assert.equal(r.settings.disparity.method, "to_reference");
      assert.equal(r.criteria.demographic_parity_difference, 0.5);
    },
  },
  // ------------------------------------------------------------ weights
  {
    name: "audit: weights whose sums overflow (1e308) are an error, not a base rate of 0",
    run: () => ({
      args: [
        "audit",
        file("w.csv", "y,p,g,w\n1,0,a,1e308\n0,1,a,1e308\n1,1,b,1\n0,0,b,1\n"),
        ...AUDIT,
        "--weight",
        "w",
      ],
    }),
    exit: 2,
    stderr:
      /w\.csv: weight column "w" \(--weight\): the squared weight of group "a", cell FP, is Infinity: the weights are too large to add up in double precision/,
  },
  {
    name: "audit: a weight of 'inf' is named with its row",
    run: () => ({ args: ["audit", file("winf.csv", "y,p,g,w\n1,0,a,1\n0,1,a,inf\n"), ...AUDIT, "--weight", "w"] }),
    exit: 2,
    stderr: /winf\.csv: weight column "w" must be >= 0; found Infinity at data row 2 \(line 3\)/,
  },
  // ------------------------------------------------------------ outputs never overwrite inputs
  ...(["audit", "report", "thresholds"] as const).map(
    (command): Case => ({
      name: `${command}: -o naming the data file is a usage error and the file is untouched`,
      run: () => {
        // An extension that names no output format, so the format rule does not refuse it first.
        const path = file("data.dat", rows());
        const args =
          command === "audit"
            ? ["audit", path, ...AUDIT, "-o", path]
            : command === "report"
              ? ["report", path, ...AUDIT, "-o", path, "--format", "json"]
              : ["thresholds", path, ...SCORES, "-o", path];
        return { args, untouched: [path] };
      },
      exit: 2,
      stderr: new RegExp(
        `fairkit ${command}: -o .*data\\.dat is the input .*data\\.dat: writing there would destroy it`,
      ),
    }),
  ),
  {
    name: "audit: -o through a symbolic link to the input is refused",
    run: () => {
      const path = file("data.csv", rows());
      const link = join(path, "..", "out.json");
      symlinkSync(path, link);
      return { args: ["audit", path, ...AUDIT, "-o", link], untouched: [path] };
    },
    exit: 2,
    stderr: /-o .*out\.json is the input .*data\.csv/,
  },
  {
    name: "audit: -o through a hard link to the input is refused",
    run: () => {
      const path = file("data.csv", rows());
      const link = join(path, "..", "hard.csv");
      linkSync(path, link);
      return { args: ["audit", path, ...AUDIT, "-o", link], untouched: [path, link] };
    },
    exit: 2,
    stderr: /-o .*hard\.csv is the input .*data\.csv/,
  },
  {
    name: "audit: -o through a relative path with .. to the input is refused",
    run: () => {
      const path = file("data.csv", rows());
      return {
        args: ["audit", path, ...AUDIT, "-o", join(path, "..", "..", path.split("/").at(-2)!, "data.csv")],
        untouched: [path],
      };
    },
    exit: 2,
    stderr: /is the input/,
  },
  {
    name: "report: -o naming the card file is refused and the card is untouched",
    run: () => {
      const path = file("data.csv", rows());
      const card = join(path, "..", "card.yaml");
      writeFileSync(card, "model_details:\n  name: m\n");
      return {
        args: ["report", path, ...AUDIT, "--card", card, "-o", card, "--format", "json"],
        untouched: [path, card],
      };
    },
    exit: 2,
    stderr: /-o .*card\.yaml is the input .*card\.yaml/,
  },
  {
    name: "postprocess: -o naming the training file is refused",
    run: () => {
      const path = file("data.dat", rows());
      return { args: ["postprocess", path, ...SCORES, "-o", path], untouched: [path] };
    },
    exit: 2,
    stderr: /fairkit postprocess: -o .*data\.dat is the input/,
  },
  {
    name: "apply: -o naming the policy is refused and the policy is untouched",
    run: () => {
      const { data, policy } = fitted();
      // Saved under an extension that names no output format, so the format rule does not refuse it first.
      const saved = `${policy}.dat`;
      writeFileSync(saved, readFileSync(policy));
      return { args: ["apply", saved, data, "-o", saved], untouched: [saved, data] };
    },
    exit: 2,
    stderr: /fairkit apply: -o .*policy\.json\.dat is the input .*policy\.json\.dat/,
  },
  {
    name: "apply: -o naming the data file is refused",
    run: () => {
      const { data, policy } = fitted();
      return { args: ["apply", policy, data, "-o", data], untouched: [policy, data] };
    },
    exit: 2,
    stderr: /-o .*data\.csv is the input/,
  },
  {
    name: "mitigate: --save DIR that would overwrite the input (DIR/baseline.json) writes nothing",
    run: () => {
      const folder = join(dir, `case-${serial++}`);
      mkdirSync(folder);
      const path = join(folder, "baseline.json");
      writeFileSync(
        path,
        JSON.stringify(Array.from({ length: 60 }, (_, i) => ({ y: i % 2, x: i % 7, g: i % 3 === 0 ? "a" : "b" }))),
      );
      return {
        args: [
          "mitigate",
          path,
          "--y-true",
          "y",
          "--sensitive",
          "g",
          "--methods",
          "reweighing",
          "--bootstrap",
          "0",
          "--save",
          folder,
        ],
        untouched: [path],
        absent: [join(folder, "comparison.json"), join(folder, "reweighing.json")],
      };
    },
    exit: 2,
    stderr: /fairkit mitigate: --save .*baseline\.json is the input .*baseline\.json/,
  },
  ...(dataPath("compas-scores-two-years.csv")
    ? [
        {
          name: "data: -o naming the --from file is refused",
          run: () => {
            const path = file("compas.csv", readFileSync(dataPath("compas-scores-two-years.csv")!));
            return { args: ["data", "compas", "--from", path, "-o", path], untouched: [path] };
          },
          exit: 2,
          stderr: /fairkit data: -o .*compas\.csv is the input .*compas\.csv/,
        } satisfies Case,
      ]
    : []),
  // ------------------------------------------------------------ compressed input
  {
    name: "audit: a truncated .csv.gz is an error, not half the rows",
    run: () => {
      const gz = gzipSync(Buffer.from(big()));
      return { args: ["audit", file("cut.csv.gz", gz.subarray(0, Math.floor(gz.length / 2))), ...AUDIT] };
    },
    exit: 2,
    stderr: /cut\.csv\.gz: the compressed file is truncated or corrupt \(gzip data ends early\)/,
  },
  {
    name: "audit: a .csv.gz whose checksum is wrong is an error",
    run: () => {
      const gz = Buffer.from(gzipSync(Buffer.from(big())));
      gz[gz.length - 6] ^= 1;
      return { args: ["audit", file("crc.csv.gz", gz), ...AUDIT] };
    },
    exit: 2,
    stderr: /crc\.csv\.gz: the compressed file is truncated or corrupt \(gzip: incorrect data check\)/,
  },
  {
    name: "audit: a complete .csv.gz gives the numbers of the plain file",
    run: () => ({ args: ["audit", file("ok.csv.gz", gzipSync(Buffer.from(rows()))), ...AUDIT, "--format", "json"] }),
    exit: 0,
    check: (out) => {
      const r = json(out);
      assert.equal(r.input.rows, 40);
      // Group a: rows i with i % 3 == 0 → 14 rows; p = (i >> 1) % 2.
      let selected = 0;
      for (let i = 0; i < 40; i += 3) selected += (i >> 1) % 2;
      assert.equal(byKey(r).a.metrics.selection_rate, selected / 14);
    },
  },
  {
    name: "audit: not gzip at all behind a .gz name is an error",
    run: () => ({ args: ["audit", file("fake.csv.gz", rows()), ...AUDIT] }),
    exit: 2,
    stderr: /fake\.csv\.gz: /,
  },
  // ------------------------------------------------------------ --where is confined
  ...[
    ["(SELECT count(*) FROM read_csv('/etc/passwd')) > 0", /a subquery is not allowed/],
    ["CAST((SELECT * FROM read_text('/etc/passwd')) AS INT) > 0", /a subquery is not allowed/],
    ["g IN (SELECT column0 FROM read_csv('/etc/hostname'))", /a subquery is not allowed/],
    ["read_csv('/etc/passwd') IS NOT NULL", /the function "read_csv" is not allowed/],
    ["length(read_text('/etc/passwd')) > 0", /the function "read_text" is not allowed/],
    ["current_setting('threads') > 0", /the function "current_setting" is not allowed/],
    ["getenv('HOME') = 'x'", /the function "getenv" is not allowed/],
    ["len(glob('/etc/*')) > 0", /the function "(len|glob)" is not allowed/],
    ["glob('/etc/*') IS NULL", /the function "glob" is not allowed/],
    ["1=1) UNION ALL SELECT * FROM read_csv('/etc/passwd') WHERE (1=1", /anything beyond one condition/],
    ["1=1; SELECT 1", /syntax error at or near ";"/],
    ["sum(s) > 1", /the function "sum" is not allowed/],
    ["row_number() OVER () > 1", /a window function is not allowed|the function "row_number" is not allowed/],
    ["foo > 1", /names "foo", which is not a column of the file; the columns are "y", "p", "g", "s", "w"/],
    ["__fairkit_text_0 = 'a'", /names "__fairkit_text_0", which is not a column of the file/],
    ["t.g = 'a'", /the qualified name t\.g is not allowed/],
    ["g = 'a' AND", /the condition is incomplete/],
    ["s > 'abc'", /--where "s > 'abc'": Conversion Error: Could not convert string 'abc' to DOUBLE/],
    ["", /the filter is empty/],
    ["$1 = 1", /a parameter is not allowed/],
  ].map(
    ([where, message]): Case => ({
      name: `audit --where ${JSON.stringify(where)} is refused, naming --where`,
      run: () => ({ args: ["audit", file("data.csv", rows()), ...AUDIT, "--where", where as string] }),
      exit: 2,
      stderr: message as RegExp,
      notStderr: /root:|daemon:/,
    }),
  ),
  {
    name: "audit: --where with a trailing comment and plain functions works",
    run: () => ({
      args: [
        "audit",
        file("data.csv", rows()),
        ...AUDIT,
        "--where",
        "lower(g) = 'a' AND s >= 0.5 -- the high scorers",
        "--format",
        "json",
      ],
    }),
    exit: 0,
    check: (out) => {
      let n = 0;
      for (let i = 0; i < 40; i++) if (i % 3 === 0 && (i % 10) / 10 >= 0.5) n++;
      assert.equal(json(out).input.rows, n);
    },
  },
  ...(["thresholds", "postprocess", "report", "mitigate"] as const).map(
    (command): Case => ({
      name: `${command}: --where is confined too`,
      run: () => {
        const path = file("data.csv", rows());
        const roles =
          command === "mitigate"
            ? ["--y-true", "y", "--sensitive", "g"]
            : command === "report"
              ? [...AUDIT, "--format", "json"]
              : SCORES;
        return { args: [command, path, ...roles, "--where", "(SELECT count(*) FROM read_csv('/etc/passwd')) > 0"] };
      },
      exit: 2,
      stderr: /--where .*: a subquery is not allowed/,
      notStderr: /root:/,
    }),
  ),
  {
    name: "audit: a column name that looks like SQL is only a (missing) column",
    run: () => ({
      args: [
        "audit",
        file("data.csv", rows()),
        "--y-true",
        "y\" FROM read_csv('/etc/passwd') --",
        "--y-pred",
        "p",
        "--sensitive",
        "g",
      ],
    }),
    exit: 2,
    stderr: /no column "y\\" FROM read_csv\('\/etc\/passwd'\) --" \(given to --y-true\)/,
    notStderr: /root:/,
  },
  // ------------------------------------------------------------ file shape
  {
    name: "audit: a ragged row in a small file names the line",
    run: () => ({ args: ["audit", file("ragged.csv", "y,p,g\n1,0,a\n0,1\n1,1,a\n"), ...AUDIT] }),
    exit: 2,
    stderr: /ragged\.csv: line 3 has 2 fields but the file has 3 columns/,
  },
  {
    name: "audit: an unterminated quote names the line it opens on",
    run: () => ({ args: ["audit", file("quote.csv", 'y,p,g\n1,0,a\n0,1,"b\n1,1,a\n'), ...AUDIT] }),
    exit: 2,
    stderr: /quote\.csv: line 3 opens a quoted field that is never closed/,
  },
  {
    name: "audit: more --columns than fields names --columns",
    run: () => ({
      args: ["audit", file("cols.csv", "1,0,a\n0,1,b\n"), "--no-header", "--columns", "y,p,g,extra", ...AUDIT],
    }),
    exit: 2,
    stderr: /cols\.csv: --columns names 4 columns but the file's lines have 3 fields/,
  },
  {
    name: "audit: a folder given as FILE",
    run: () => ({ args: ["audit", dir, ...AUDIT] }),
    exit: 2,
    stderr: /: not a file/,
  },
  {
    name: "audit: scores that read 'inf' are named with their row",
    run: () => ({
      args: [
        "audit",
        file("sinf.csv", "y,s,g\n1,0.5,a\n0,inf,b\n"),
        "--y-true",
        "y",
        "--score",
        "s",
        "--threshold",
        "0.5",
        "--sensitive",
        "g",
      ],
    }),
    exit: 2,
    stderr: /sinf\.csv: column "s" \(--score\) must be a finite number; found Infinity at data row 2 \(line 3\)/,
  },
  {
    name: "audit: an unknown --positive-decision",
    run: () => ({ args: ["audit", file("data.csv", rows()), ...AUDIT, "--positive-decision", "good"] }),
    exit: 2,
    stderr: /--positive-decision must be one of favourable, unfavourable; got "good"/,
  },
  {
    name: "audit: --positive-decision unfavourable is recorded",
    run: () => ({
      args: ["audit", file("data.csv", rows()), ...AUDIT, "--positive-decision", "unfavourable", "--format", "json"],
    }),
    exit: 0,
    check: (out) => assert.equal(json(out).settings.positive_decision, "unfavourable"),
  },
  // ------------------------------------------------------------ thresholds and postprocess
  {
    name: "thresholds: small groups are marked and left out of the criteria, and named (the audit's rule)",
    run: () => ({
      args: [
        "thresholds",
        file("small.csv", `${rows()}1,1,c,0.9,1\n0,1,c,0.8,1\n`),
        ...SCORES,
        "--threshold",
        "0.5",
        "--min-group-size",
        "10",
        "--format",
        "json",
      ],
    }),
    exit: 0,
    check: (out) => {
      const r = assertValid(JSON.parse(out), "thresholds");
      assert.deepEqual(r.impossibility.excluded, [["c"]]);
      assert.equal(r.impossibility.groups.find((g: { label: string }) => g.label === "c").small, true);
    },
  },
  {
    name: 'postprocess + apply: groups ("x, y", "z") and ("x", "y, z") each keep their own rule',
    run: () => {
      let text = "s,y,a,b\n";
      // Group 1 is positive above 0.7, group 2 above 0.3: distinct optimal thresholds.
      for (let i = 0; i < 200; i++) {
        const s = (i % 20) / 20;
        text += `${s},${s >= 0.7 ? 1 : 0},"x, y",z\n${s},${s >= 0.3 ? 1 : 0},x,"y, z"\n`;
      }
      const data = file("train.csv", text);
      const policy = join(data, "..", "policy.json");
      return {
        args: [
          "postprocess",
          data,
          "--score",
          "s",
          "--y-true",
          "y",
          "--sensitive",
          "a,b",
          "--constraint",
          "true_positive_rate_parity",
          "-o",
          policy,
        ],
      };
    },
    exit: 0,
    check: (_out, err) => {
      assert.match(err, /"x, y", z: >= 0\.7/);
      assert.match(err, /x, "y, z": >= 0\.3/);
    },
  },
  // ------------------------------------------------------------ apply with hand-edited policies
  ...(
    [
      [
        "a group without a rule",
        (p: Record<string, unknown>) => delete (p.groups as Record<string, unknown>[])[0].rule,
        /policy\.json: groups\[0\]: the field "rule" is missing/,
      ],
      [
        "a probability above 1",
        (p: Record<string, unknown>) =>
          ((p.groups as { rule: { probabilities: number[] } }[])[0].rule.probabilities[0] = 2),
        /policy\.json: groups\[0\]\.rule\.probabilities\[0\]: must be <= 1; got 2/,
      ],
      [
        "cuts that go down",
        (p: Record<string, unknown>) =>
          ((p.groups as { rule: unknown }[])[0].rule = { cuts: [0.6, 0.4], probabilities: [0, 0.5, 1] }),
        /policy\.json: groups\[0\]\.rule: cuts\[1\] = 0\.4 is not above cuts\[0\] = 0\.6; cuts must be strictly ascending/,
      ],
      [
        "two groups with one key",
        (p: Record<string, unknown>) =>
          ((p.groups as { group: unknown }[])[1].group = (p.groups as { group: unknown }[])[0].group),
        /policy\.json: groups\[0\] and groups\[1\] are the same group "a"/,
      ],
      [
        "a group with two values for one column",
        (p: Record<string, unknown>) => ((p.groups as { group: unknown }[])[0].group = ["a", "b"]),
        /policy\.json: groups\[0\]\.group has 2 values but the policy has 1 column \(g\)/,
      ],
      ["an unknown field", (p: Record<string, unknown>) => (p.extra = 1), /policy\.json: unknown field "extra"/],
      [
        "the wrong kind",
        (p: Record<string, unknown>) => (p.kind = "something"),
        /policy\.json: kind: must be "fairkit\.threshold_policy"; got "something"/,
      ],
      [
        "a constraint that does not exist",
        (p: Record<string, unknown>) => (p.constraint = "fairness"),
        /policy\.json: constraint: must be one of/,
      ],
    ] as const
  ).map(
    ([what, edit, message]): Case => ({
      name: `apply: a hand-edited policy with ${what} is refused, naming the field`,
      run: () => {
        const { data, policy } = fitted();
        const doc = JSON.parse(readFileSync(policy, "utf8"));
        edit(doc);
        writeFileSync(policy, JSON.stringify(doc));
        const out = join(policy, "..", "decisions.csv");
        return { args: ["apply", policy, data, "-o", out], absent: [out] };
      },
      exit: 2,
      stderr: message,
      notStderr: /Cannot read properties|TypeError|at .*\.ts:\d+/,
    }),
  ),
  {
    name: "apply: a policy that is not JSON",
    run: () => {
      const { data, policy } = fitted();
      writeFileSync(policy, "{ not json");
      return { args: ["apply", policy, data] };
    },
    exit: 2,
    stderr: /policy\.json: not JSON/,
  },
  {
    name: "apply: a group the policy never saw names the group and the row",
    run: () => {
      const { policy } = fitted();
      const data = join(policy, "..", "new.csv");
      writeFileSync(data, "s,y,g\n0.5,1,a\n0.4,0,z\n");
      return { args: ["apply", policy, data] };
    },
    exit: 2,
    stderr:
      /new\.csv: group "z" at data row 2 \(line 3\) was not seen when the policy was fitted; fitted groups: "a", "b"/,
  },
  {
    name: "apply: a missing score names the row",
    run: () => {
      const { policy } = fitted();
      const data = join(policy, "..", "new.csv");
      writeFileSync(data, "s,y,g\n0.5,1,a\n,0,b\n");
      return { args: ["apply", policy, data] };
    },
    exit: 2,
    stderr:
      /new\.csv: --score "s" must be a finite number on every row; found a missing value at data row 2 \(line 3\)/,
  },
  {
    name: "apply: --keep carries an id column, rows numbered as errors number them",
    run: () => {
      const { policy } = fitted();
      const data = join(policy, "..", "new.csv");
      writeFileSync(data, "id,s,y,g\nx7,0.9,1,a\nx8,0.1,0,b\nx9,0.5,1,b\n");
      return { args: ["apply", policy, data, "--keep", "id", "--where", "id != 'x8'"] };
    },
    exit: 0,
    check: (out, err) => {
      const lines = out.trim().split("\n");
      assert.equal(lines[0], "row,id,group,s,probability,decision");
      assert.deepEqual(
        lines.slice(1).map((l) => l.split(",").slice(0, 3)),
        [
          ["1", "x7", "a"],
          ["3", "x9", "b"],
        ],
      );
      assert.match(err, /fairkit apply: 2 rows/);
    },
  },
  {
    name: "apply: a policy fitted under --where warns when applied without it",
    run: () => {
      const { data, policy } = fitted("s >= 0");
      return { args: ["apply", policy, data] };
    },
    exit: 0,
    check: (_out, err) =>
      assert.match(err, /warning: the policy was fitted on the rows where "s >= 0"; this run has no --where/),
  },
  {
    name: "apply: a fairkit 0.1 policy is still read",
    run: () => {
      const { data, policy } = fitted();
      const doc = JSON.parse(readFileSync(policy, "utf8"));
      const old = {
        kind: "fairkit.threshold_optimizer",
        version: 1,
        constraint: doc.constraint,
        objective: doc.objective,
        tolerance: doc.tolerance,
        flip: doc.flip,
        columns: doc.columns,
        groups: doc.groups.map((g: { group: unknown[]; rule: unknown }) => ({
          key: String(g.group[0]),
          values: { g: g.group[0] },
          rule: g.rule,
          fpr: 0,
          tpr: 0,
        })),
        training: { objective: 0.5, accuracy: 0.5, balancedAccuracy: 0.5, constraintDifference: 0 },
        input: doc.input,
      };
      writeFileSync(policy, JSON.stringify(old));
      return { args: ["apply", policy, data] };
    },
    exit: 0,
    check: (out) => assert.equal(out.trim().split("\n").length, 41),
  },
  // ------------------------------------------------------------ mitigate
  {
    name: "mitigate: a --pos-label that matches nothing is an error, not accuracy 1.000",
    run: () => ({
      args: [
        "mitigate",
        file("m.csv", mitigateRows()),
        "--y-true",
        "y",
        "--pos-label",
        "yes",
        "--sensitive",
        "g",
        "--methods",
        "reweighing",
        "--bootstrap",
        "0",
      ],
    }),
    exit: 2,
    stderr:
      /m\.csv: label "y": no row has a positive label \(posLabel "yes" matches no value; the values are "0", "1"\): a model needs both classes/,
  },
  {
    name: "mitigate: a label with one class is an error",
    run: () => ({
      args: [
        "mitigate",
        file("m.csv", mitigateRows().replace(/\n0,/g, "\n1,")),
        "--y-true",
        "y",
        "--sensitive",
        "g",
        "--methods",
        "reweighing",
        "--bootstrap",
        "0",
      ],
    }),
    exit: 2,
    stderr: /label "y": every row has the label 1: a model needs both classes to learn from/,
  },
  {
    name: "mitigate: a sensitive column with one level warns loudly",
    run: () => ({
      args: [
        "mitigate",
        file("m.csv", mitigateRows().replace(/,b\n/g, ",a\n")),
        "--y-true",
        "y",
        "--sensitive",
        "g",
        "--methods",
        "reweighing",
        "--bootstrap",
        "0",
        "--format",
        "json",
      ],
    }),
    exit: 0,
    check: (out, err) => {
      assert.match(err, /warning: every row is in one group \("a"\)/);
      assert.ok(
        assertValid(JSON.parse(out), "mitigation-comparison").warnings.some((w: string) =>
          /every row is in one group/.test(w),
        ),
      );
    },
  },
  {
    name: "mitigate: yes/no labels without --pos-label",
    run: () => ({
      args: [
        "mitigate",
        file("m.csv", mitigateRows().replace(/\n1,/g, "\nyes,").replace(/\n0,/g, "\nno,")),
        "--y-true",
        "y",
        "--sensitive",
        "g",
        "--methods",
        "reweighing",
        "--bootstrap",
        "0",
      ],
    }),
    exit: 2,
    stderr:
      /label "y" must be 0\/1 or true\/false without posLabel; found "(yes|no)" at data row 1; pass --pos-label VALUE/,
  },
  // ------------------------------------------------------------ report
  {
    name: "report: a card file with a misspelt field names it",
    run: () => {
      const path = file("data.csv", rows());
      const card = join(path, "..", "card.yaml");
      writeFileSync(card, "model_detials:\n  name: m\n");
      const out = join(path, "..", "r.json");
      return { args: ["report", path, ...AUDIT, "--card", card, "-o", out], absent: [out] };
    },
    exit: 2,
    stderr: /card\.yaml: unknown field "model_detials"; known fields: model_details/,
  },
  {
    name: "report: a card file with a nested error names its path",
    run: () => {
      const path = file("data.csv", rows());
      const card = join(path, "..", "card.yaml");
      writeFileSync(card, "reference_shares:\n  g:\n    a: 1.5\n");
      return { args: ["report", path, ...AUDIT, "--card", card, "--format", "json"] };
    },
    exit: 2,
    stderr: /card\.yaml: reference_shares\.g\.a: must be <= 1; got 1\.5/,
  },
  {
    name: "report --level 0.9 says 90% wherever it shows an interval",
    run: () => ({ args: ["report", file("data.csv", rows()), ...AUDIT, "--level", "0.9", "--format", "markdown"] }),
    exit: 0,
    check: (out) => {
      assert.doesNotMatch(out, /95%/);
      assert.match(out, /90% interval/);
    },
  },
  // ------------------------------------------------------------ data
  {
    name: "data: an unknown data set",
    run: () => ({ args: ["data", "iris"] }),
    exit: 2,
    stderr: /unknown data set "iris"; known: compas, adult/,
  },
  {
    name: "data: a --from file that is not the data set fails its SHA-256 check",
    run: () => ({ args: ["data", "compas", "--from", file("compas.csv", "not the data\n")], absent: [] }),
    exit: 2,
    stderr: /SHA-256/,
  },
];

/** 20,000 rows of a larger CSV (for compressed-file cases: large enough to cut in the middle of the data). */
function big(): string {
  let text = "y,p,g\n";
  for (let i = 0; i < 20000; i++) text += `${(i * 7) % 2},${(i * 13) % 2},g${i % 5}\n`;
  return text;
}

/** Rows for `fairkit mitigate`: a label, a feature and a group. */
function mitigateRows(): string {
  let text = "y,x,g\n";
  for (let i = 0; i < 120; i++) text += `${i % 2},${(i * 7) % 11},${i % 3 === 0 ? "a" : "b"}\n`;
  return text;
}

/** A fitted policy (groups a and b) and its training data, in a folder of their own. */
function fitted(where?: string): { data: string; policy: string } {
  const data = file("data.csv", rows());
  const policy = join(data, "..", "policy.json");
  const r = spawnCli(["postprocess", data, ...SCORES, "-o", policy, ...(where ? ["--where", where] : [])]);
  assert.equal(r.status, 0, r.stderr);
  return { data, policy };
}

function spawnCli(args: string[]): { status: number; stderr: string } {
  const out = spawnSync(process.execPath, ["--import", "tsx", join(repoRoot, "src/node/cli/main.ts"), ...args], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  return { status: out.status ?? 1, stderr: out.stderr };
}

describe("hostile and awkward input, every command", { concurrency: 4 }, () => {
  for (const c of cases) {
    test(c.name, async () => {
      const { args, untouched = [], absent = [] } = c.run();
      const before = untouched.map(sha);
      const run = await runCli(args);
      assert.equal(run.code, c.exit, `exit code ${run.code}; stderr: ${run.stderr}`);
      if (c.stderr) assert.match(run.stderr, c.stderr);
      if (c.notStderr) assert.doesNotMatch(run.stderr, c.notStderr);
      if (c.exit === 2) {
        assert.equal(run.stdout, "", "nothing on stdout after an error");
        assert.match(run.stderr, /^fairkit \w+: /, "one line naming the command");
        assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
      }
      assert.deepEqual(untouched.map(sha), before, "inputs untouched");
      for (const path of absent) assert.equal(existsSync(path), false, `${path} must not be written`);
      c.check?.(run.stdout, run.stderr);
    });
  }
});

describe("a reader that closes the pipe early ends the command quietly", () => {
  for (const [name, command] of [
    [
      "apply … | head -1",
      (d: { data: string; policy: string }) =>
        `${process.execPath} --import tsx src/node/cli/main.ts apply ${d.policy} ${d.data} | head -1`,
    ],
    [
      "audit --format csv … | head -c 20",
      (d: { data: string; policy: string }) =>
        `${process.execPath} --import tsx src/node/cli/main.ts audit ${d.data} --y-true y --y-pred p --sensitive g --format csv | head -c 20`,
    ],
  ] as const) {
    test(name, async () => {
      const d = fitted();
      // Many rows, so the writer is still writing when head has gone.
      writeFileSync(d.data, `y,p,g,s,w\n${"1,0,a,0.5,1\n0,1,b,0.2,1\n".repeat(60000)}`);
      const result = await new Promise<{ code: number; stderr: string; stdout: string }>((done) =>
        execFile(
          "bash",
          ["-c", `set -o pipefail; ${command(d)}; echo "status $?" >&2`],
          { cwd: repoRoot, maxBuffer: 1 << 26 },
          (_e, stdout, stderr) => done({ code: 0, stdout, stderr }),
        ),
      );
      assert.doesNotMatch(result.stderr, /EPIPE|Error|at .*:\d+:\d+/);
      assert.match(result.stderr, /status 0/);
    });
  }
});
