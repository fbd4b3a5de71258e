/**
 * `fairkit data compas|adult|law`: fetches a known data set from its public origin (or takes a local
 * copy with `--from`) into the data folder ($FAIRKIT_DATA_DIR, else ~/.cache/fairkit), verified by
 * SHA-256, and prints its path, or copies it to `-o FILE`.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { DATASETS, type DatasetName, datasetFile } from "../../io/datasets.js";
import { runCommand, UsageError } from "../exit.js";
import { writeAtomic, writeOutput } from "../output.js";

/** Registers `fairkit data` on the program. */
export function registerData(program: Command): void {
  program
    .command("data")
    .summary("fetch a known data set (compas, adult, law) into the data folder, verified by SHA-256")
    .description(
      `Fetch a known data set from its public origin into the data folder ($FAIRKIT_DATA_DIR, else ~/.cache/fairkit), check its SHA-256, and print its path (or copy it to -o FILE). The loaders of @fairkit/node and fairkit's own tests read the same folder.\n\n${Object.values(
        DATASETS,
      )
        .map((d) => `  ${d.name}: ${d.url}\n    ${d.citation}`)
        .join(
          "\n",
        )}\n\nThe download base URL can be overridden with $FAIRKIT_DATA_BASE_URL (a mirror serving the same file names).`,
    )
    .argument("<name>", "compas, adult or law")
    .option("--from <file>", "take this local copy instead of downloading: verified, then copied into the data folder")
    .option("-o, --output <file>", "copy the verified file here (atomically)")
    .action((name: string, options: { from?: string; output?: string }) =>
      runCommand("data", async () => {
        if (!Object.hasOwn(DATASETS, name))
          throw new UsageError(`unknown data set ${JSON.stringify(name)}; known: ${Object.keys(DATASETS).join(", ")}`);
        const path = await datasetFile(name as DatasetName, { from: options.from });
        if (options.output) {
          await writeAtomic(options.output, await readFile(path), { inputs: [path, options.from] });
          await writeOutput(options.output, undefined, { inputs: [] });
        } else await writeOutput(path, undefined, { inputs: [] });
      }),
    );
}
