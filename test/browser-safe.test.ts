// The `fairkit` entry must run in a browser: nothing it reaches may import a Node built-in or a package.
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const src = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*["']([^"']+)["']/g),
    ...text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => m[1]);
}

test("src/index.ts and src/internal.ts (the fairkit package) reach only relative, browser-safe modules, none of src/node", () => {
  const seen = new Set<string>();
  const queue = [join(src, "index.ts"), join(src, "internal.ts")];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of importsOf(file)) {
      assert.ok(
        spec.startsWith("."),
        `${file.slice(src.length + 1)} imports ${JSON.stringify(spec)}: the browser-safe entry may not import packages or Node built-ins`,
      );
      const target = resolve(dirname(file), spec.replace(/\.js$/, ".ts"));
      assert.ok(
        !target.startsWith(join(src, "node")),
        `${file.slice(src.length + 1)} imports ${spec}: the core may not depend on @fairkit/node`,
      );
      queue.push(target);
    }
  }
  assert.ok(seen.size > 10);
});

test("src/node (the @fairkit/node package) reaches the core only through the package names fairkit and fairkit/internal", () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".ts")) files.push(path);
    }
  };
  walk(join(src, "node"));
  for (const file of files) {
    for (const spec of importsOf(file)) {
      if (!spec.startsWith(".")) continue;
      const target = resolve(dirname(file), spec);
      assert.ok(
        target.startsWith(join(src, "node")),
        `${file.slice(src.length + 1)} imports ${spec} by path: import the core from "fairkit" or "fairkit/internal", so the published packages share one copy of it`,
      );
    }
  }
  assert.ok(files.length > 20);
});
