/** Writes every published JSON Schema to schemas/NAME.schema.json (run by `npm run schemas`). */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SCHEMAS } from "../src/schemas/index.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "schemas");
mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(SCHEMAS))
  writeFileSync(join(dir, `${name}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`);
console.log(`wrote ${Object.keys(SCHEMAS).length} schemas to ${dir}`);
