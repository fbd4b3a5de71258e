// The README's TypeScript examples run against the source, and every `expr; // number` comment in
// them is checked: the numbers a new user reads are the numbers they get. Examples that load a
// data set through `@fairkit/node` read it from a data folder seeded with the test copy (no download).
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dataPath } from "./helpers/data.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1])
  .filter((code) => /from "(@fairkit\/node|fairkit)"/.test(code));
const href = (file: string) => JSON.stringify(pathToFileURL(join(root, file)).href);

const DATA_FILES = ["compas-scores-two-years.csv", "adult.data", "law_data.csv"] as const;
const missingData = DATA_FILES.filter((name) => !dataPath(name));

test("README has runnable examples", () => {
  assert.ok(blocks.length >= 4, `${blocks.length} examples`);
});

blocks.forEach((code, k) => {
  const needsData = code.includes('from "@fairkit/node"');
  const skip =
    needsData && missingData.length > 0
      ? `needs ${missingData.join(", ")} (npx fairkit data compas / adult / law, or set FAIRKIT_DATA_DIR)`
      : false;
  test(`README example ${k + 1} runs and its numbers hold`, { skip }, async () => {
    if (needsData) {
      const cache = mkdtempSync(join(tmpdir(), "fairkit-readme-cache-"));
      for (const name of DATA_FILES) copyFileSync(dataPath(name)!, join(cache, name));
      process.env.FAIRKIT_DATA_DIR = cache;
    }
    let checks = 0;
    const body = code
      .replace(/from "@fairkit\/node"/g, `from ${href("src/node/index.ts")}`)
      .replace(/from "fairkit"/g, `from ${href("src/index.ts")}`)
      .split("\n")
      .map((line) => {
        const m = /^(\s*)(.+?);\s*\/\/\s*(?:≈\s*)?(-?\d+(?:\.\d+)?|NaN)(?=[\s:]|$)/.exec(line);
        if (!m || /^\s*(const|let|import)\b/.test(line)) return line;
        checks++;
        if (m[3] === "NaN") return `${m[1]}__checkNaN(${m[2]}, ${JSON.stringify(line.trim())});`;
        const decimals = (m[3].split(".")[1] ?? "").length;
        return `${m[1]}__check(${m[2]}, ${m[3]}, ${0.5 * 10 ** -decimals + 1e-12}, ${JSON.stringify(line.trim())});`;
      })
      .join("\n");
    const file = join(mkdtempSync(join(tmpdir(), "fairkit-readme-")), "example.mts");
    writeFileSync(
      file,
      `const __check = (actual: unknown, expected: number, tol: number, line: string) => {
  if (typeof actual !== "number" || !(Math.abs(actual - expected) <= tol)) throw new Error(\`README line \${line}: got \${String(actual)}\`);
};
const __checkNaN = (actual: unknown, line: string) => {
  if (!(typeof actual === "number" && Number.isNaN(actual))) throw new Error(\`README line \${line}: got \${String(actual)}, not NaN\`);
};
${body}
export {};
`,
    );
    await import(pathToFileURL(file).href);
    assert.ok(checks > 0, "an example without a single checked number");
  });
});
