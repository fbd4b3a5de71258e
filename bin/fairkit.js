#!/usr/bin/env node
// In this repository `npx fairkit` runs the command line from source through tsx: nothing to
// build first. The published command is @fairkit/node's bin (packages/fairkit-node/bin), which
// runs the compiled CLI.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("../src/node/cli/main.ts");
