/**
 * Reads a dropped file off the page's main thread: CSV/TSV streamed through papaparse, Parquet
 * through hyparquet. Posts progress while it reads and the columns as typed arrays at the end.
 */
import { parquetMetadata, parquetRead, parquetSchema } from "hyparquet";
import Papa from "papaparse";
import { ColumnBuilder, type LoadedTable, type WorkerMessage, transferables, uniqueNames } from "./table-data.js";

const post = (msg: WorkerMessage, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(msg, transfer);

function done(table: LoadedTable, started: number): void {
  post({ type: "done", table, ms: performance.now() - started }, transferables(table));
}

function readCsv(file: File, started: number): void {
  let builders: ColumnBuilder[] | null = null;
  let rows = 0;
  let lastPost = 0;
  let failed = false;
  Papa.parse<string[]>(file, {
    header: false,
    skipEmptyLines: true,
    chunkSize: 1 << 22,
    chunk: (results, parser) => {
      let start = 0;
      const data = results.data;
      if (!builders) {
        if (data.length === 0) return;
        const header = data[0].map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, "") : h));
        builders = uniqueNames(header).map((name) => new ColumnBuilder(name));
        start = 1;
      }
      const width = builders.length;
      for (let r = start; r < data.length; r++) {
        const row = data[r];
        if (row.length !== width) {
          failed = true;
          parser.abort();
          post({
            type: "error",
            message: `${file.name}: data row ${rows + 1} has ${row.length} fields, the header has ${width}`,
          });
          return;
        }
        for (let c = 0; c < width; c++) builders[c].push(row[c]);
        rows++;
      }
      const now = performance.now();
      if (now - lastPost > 50) {
        lastPost = now;
        post({ type: "progress", loaded: results.meta.cursor, total: file.size, rows });
      }
    },
    complete: () => {
      if (failed) return;
      if (!builders) {
        post({ type: "error", message: `${file.name} is empty` });
        return;
      }
      if (rows === 0) {
        post({ type: "error", message: `${file.name} has a header but no rows` });
        return;
      }
      post({ type: "progress", loaded: file.size, total: file.size, rows });
      done({ name: file.name, rows, columns: builders.map((b) => b.finish()) }, started);
    },
    error: (err) => {
      failed = true;
      post({ type: "error", message: `${file.name}: ${err.message}` });
    },
  });
}

async function readParquet(file: File, started: number): Promise<void> {
  const buffer = await file.arrayBuffer();
  const metadata = parquetMetadata(buffer);
  const total = Number(metadata.num_rows);
  const names = parquetSchema(metadata).children.map((c) => c.element.name);
  const builders = names.map((name) => new ColumnBuilder(name));
  const byName = new Map(names.map((n, i) => [n, builders[i]]));
  // Chunks arrive per column and row group; gather each column's chunks in row order.
  const chunks = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
  let seen = 0;
  await parquetRead({
    file: buffer,
    metadata,
    onChunk: (chunk) => {
      const list = chunks.get(chunk.columnName) ?? [];
      list.push({ rowStart: chunk.rowStart, data: chunk.columnData as ArrayLike<unknown> });
      chunks.set(chunk.columnName, list);
      seen += chunk.rowEnd - chunk.rowStart;
      post({
        type: "progress",
        loaded: Math.min(seen / names.length, total),
        total,
        rows: Math.floor(seen / names.length),
      });
    },
  });
  for (const [name, list] of chunks) {
    const b = byName.get(name);
    if (!b) continue;
    list.sort((x, y) => x.rowStart - y.rowStart);
    for (const part of list) for (let i = 0; i < part.data.length; i++) b.push(part.data[i]);
  }
  const columns = builders.filter((b) => b.length === total).map((b) => b.finish());
  done({ name: file.name, rows: total, columns }, started);
}

self.onmessage = (event: MessageEvent<{ file: File }>) => {
  const { file } = event.data;
  const started = performance.now();
  const isParquet = /\.parquet$/i.test(file.name);
  try {
    if (isParquet)
      readParquet(file, started).catch((e) =>
        post({ type: "error", message: `${file.name}: ${(e as Error).message}` }),
      );
    else readCsv(file, started);
  } catch (e) {
    post({ type: "error", message: `${file.name}: ${(e as Error).message}` });
  }
};
