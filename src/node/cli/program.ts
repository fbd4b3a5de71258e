/**
 * The `fairkit` program. Each subcommand lives in its own file under `commands/` and registers
 * itself on the program; this file only assembles them and maps failures to exit codes:
 * 0 success, 1 a `--fail-on` gate failed, 2 usage or data error. Loaded by main.ts.
 */
import { Command } from "commander";
import { VERSION } from "../version.js";
import { registerAudit } from "./commands/audit.js";
import { registerCounts } from "./commands/counts.js";
import { registerMonitor } from "./commands/monitor.js";
import { registerData } from "./commands/data.js";
import { registerReport } from "./commands/report.js";
import { registerThresholds } from "./commands/thresholds.js";
import { registerPostprocess } from "./commands/postprocess.js";
import { registerApply } from "./commands/apply.js";
import { registerMitigate } from "./commands/mitigate.js";
import { registerFlip } from "./commands/flip.js";
import { registerCounterfactual } from "./commands/counterfactual.js";
import { registerIndividual } from "./commands/individual.js";

const program = new Command("fairkit")
  .description("Measure and reduce unfairness in automated decisions.")
  .version(VERSION, "-V, --version")
  .showSuggestionAfterError();

// Subcommands: one line each, in the order `fairkit --help` lists them.
const registrations: ((program: Command) => void)[] = [
  registerAudit,
  registerCounts,
  registerMonitor,
  registerData,
  registerReport,
  registerThresholds,
  registerPostprocess,
  registerApply,
  registerMitigate,
  registerIndividual,
  registerFlip,
  registerCounterfactual,
];

// Before the subcommands exist, so that each inherits it: commander's own usage errors (unknown
// option, missing argument, bad option value) exit 2 like every other usage error, not 1.
program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 2);
});

for (const register of registrations) register(program);

// Usage errors in one line, as every other error (`fairkit audit: …`), then where the help is;
// commander's own wording ("error: option '--x <v>' argument 'y' is invalid. …") is trimmed to
// the message that names the option.
for (const command of [program, ...program.commands]) {
  const name = command === program ? "fairkit" : `fairkit ${command.name()}`;
  command.configureOutput({
    outputError: (text, write) => {
      const message = text
        .trim()
        .replace(/^error: /, "")
        .replace(/^option '[^']*' argument '[^']*' is invalid\. /, "");
      write(`${name}: ${message}\n(${name} --help lists the options)\n`);
    },
  });
}

// A closed pipe on stdout (`fairkit apply … | head -1`) ends the command quietly, not with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
  throw error;
});

/** Parses the command line and runs the command (exit codes through `process.exitCode`). */
export async function runProgram(argv: readonly string[]): Promise<void> {
  await program.parseAsync([...argv]);
}
