// The `fairkit` entry must run in a browser: nothing it reaches may import a Node built-in or a package.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const src = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*["']([^"']+)["']/g), ...text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
}

test("src/index.ts reaches only relative, browser-safe modules", () => {
  const seen = new Set<string>();
  const queue = [join(src, "index.ts")];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of importsOf(file)) {
      assert.ok(spec.startsWith("."), `${file.slice(src.length + 1)} imports ${JSON.stringify(spec)}: the browser-safe entry may not import packages or Node built-ins`);
      queue.push(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
    }
  }
  assert.ok(seen.size > 10);
});
