// The README's TypeScript examples run against the source, and every `expr; // number` comment in
// them is checked: the numbers a new user reads are the numbers they get.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => /from "fairkit"/.test(code));

test("README has runnable examples", () => {
  assert.ok(blocks.length >= 1);
});

blocks.forEach((code, k) => {
  test(`README example ${k + 1} runs and its numbers hold`, async () => {
    let checks = 0;
    const body = code
      .replace(/from "fairkit"/g, `from ${JSON.stringify(pathToFileURL(join(root, "src/index.ts")).href)}`)
      .split("\n")
      .map((line) => {
        const m = /^(\s*)(.+?);\s*\/\/\s*(?:≈\s*)?(-?\d+(?:\.\d+)?)(?=\s|$)/.exec(line);
        if (!m || /^\s*(const|let|import)\b/.test(line)) return line;
        checks++;
        const decimals = (m[3].split(".")[1] ?? "").length;
        return `${m[1]}__check(${m[2]}, ${m[3]}, ${0.5 * 10 ** -decimals + 1e-12}, ${JSON.stringify(line.trim())});`;
      })
      .join("\n");
    const file = join(mkdtempSync(join(tmpdir(), "fairkit-readme-")), "example.ts");
    writeFileSync(
      file,
      `const __check = (actual: unknown, expected: number, tol: number, line: string) => {
  if (typeof actual !== "number" || !(Math.abs(actual - expected) <= tol)) throw new Error(\`README line \${line}: got \${String(actual)}\`);
};
${body}
export {};
`,
    );
    await import(pathToFileURL(file).href);
    assert.ok(checks > 0, "an example without a single checked number");
  });
});
