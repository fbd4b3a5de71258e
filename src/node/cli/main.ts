#!/usr/bin/env node
/**
 * The `fairkit` command's entry. `fairkit --version` answers before anything else loads; every
 * other command line loads the program (commander and the commands' options), and each command
 * loads what it needs when it runs (DuckDB only when a file is read).
 */
import { VERSION } from "../version.js";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { runProgram } = await import("./program.js");
  await runProgram(process.argv);
}
