/**
 * `fairkit counts` and `fairkit merge`: counts as artefacts. `counts` writes the confusion counts
 * of a file, a database table or a query as a `fairkit.counts` document (per group, per cell: the
 * weight, squared weight and rows); `merge` adds several such documents (shards, days,
 * partitions) cell by cell. `fairkit audit --from-counts` audits either, with the numbers the
 * audit of the rows themselves gives.
 */
import type { Command } from "commander";
import { documentText, VERSION } from "fairkit/internal";
import { countsDocument, mergeCountsDocuments, readCountsDocument } from "../../db/counts-files.js";
import { countsOf } from "../../db/counts-of.js";
import { isDatabaseAddress } from "../../db/connect.js";
import { runCommand } from "../exit.js";
import {
  addFileReadOptions,
  binaryRolesOf,
  parseList,
  parseNumber,
  sourceOptionsOf,
  type FileReadOptions,
} from "../options.js";
import { writeOutput } from "../output.js";
import { createProgress } from "../progress.js";

interface CountsCommandOptions extends FileReadOptions {
  yTrue?: string;
  yPred?: string;
  score?: string;
  threshold?: number;
  sensitive?: string[];
  weight?: string;
  posLabel?: string;
  predPosLabel?: string;
  table?: string;
  query?: string;
  output?: string;
  progress?: boolean;
}

/** Registers `fairkit counts` and `fairkit merge` on the program. */
export function registerCounts(program: Command): void {
  const counts = program
    .command("counts")
    .summary("write the confusion counts of a file or database as a mergeable fairkit.counts document")
    .description(
      "Count a file's rows (or a database table's or query's, in the database: only counts leave it) per group and per confusion cell, and write them as a fairkit.counts JSON document. Counts of disjoint rows merge exactly (fairkit merge), and fairkit audit --from-counts audits them with the numbers an audit of the rows gives.\n\nExit codes: 0 ok, 2 usage or data error (nothing is written to -o).",
    )
    .argument(
      "<source>",
      "a predictions file, or a database address (postgres://…, duckdb:FILE, @name) with --table or --query",
    )
    .option("--y-true <column>", "the true outcome (binary; required)")
    .option("--y-pred <column>", "the decision (binary)")
    .option("--score <column>", "a score; the decision is score >= --threshold")
    .option("--threshold <t>", "with --score", parseNumber("--threshold"))
    .option("--sensitive <columns>", "comma-separated sensitive columns (required)", parseList)
    .option("--weight <column>", "row weights")
    .option("--pos-label <value>", "the label value that means positive (labels that are not 0/1)")
    .option("--pred-pos-label <value>", "the decision value that means positive (default: --pos-label)")
    .option("--table <name>", "with a database: the table or view")
    .option("--query <sql>", "with a database: the rows of this SELECT");
  addFileReadOptions(counts)
    .option("-o, --output <file>", "write the document here (atomically) instead of stdout")
    .option("--progress", "show progress on stderr even when it is not a terminal")
    .action((source: string, options: CountsCommandOptions) =>
      runCommand("counts", async () => {
        const roles = binaryRolesOf(options);
        const progress = createProgress({ force: options.progress });
        let origin: Awaited<ReturnType<typeof countsOf>>;
        try {
          origin = await countsOf(source, {
            ...roles,
            table: options.table,
            query: options.query,
            ...sourceOptionsOf(options),
            progress,
          });
        } finally {
          progress.stop();
        }
        const doc = countsDocument(
          origin.counts,
          {
            sources: [origin.source],
            where: options.where ?? null,
            y_true: roles.yTrue,
            y_pred: options.yPred ?? null,
            score: options.score ?? null,
            threshold: options.score !== undefined ? (options.threshold ?? null) : null,
            weight: options.weight ?? null,
            pos_label: options.posLabel ?? null,
          },
          VERSION,
        );
        await writeOutput(documentText(doc), options.output, {
          inputs: isDatabaseAddress(source) ? [] : [source],
        });
      }),
    );

  program
    .command("merge")
    .summary("add fairkit.counts documents (shards, days, partitions) into one, exactly")
    .description(
      "Merge fairkit.counts documents of disjoint rows into one: every cell of every group adds up (groups matched by their values), so the audit of the merged counts equals the audit of the union of the rows. The documents must group by the same sensitive columns and measure the same label, decision, weight and filter.\n\nExit codes: 0 ok, 2 usage or data error (nothing is written to -o).",
    )
    .argument("<files...>", "fairkit.counts documents")
    .option("-o, --output <file>", "write the merged document here (atomically) instead of stdout")
    .action((files: string[], options: { output?: string }) =>
      runCommand("merge", async () => {
        const docs = [];
        for (const path of files) docs.push({ path, ...(await readCountsDocument(path)) });
        await writeOutput(documentText(mergeCountsDocuments(docs, VERSION)), options.output, { inputs: files });
      }),
    );
}
