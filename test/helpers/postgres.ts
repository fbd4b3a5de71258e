/**
 * Real PostgreSQL servers for the tests: each {@link startPostgres} runs `initdb` in a temporary
 * folder and starts a server on its own loopback port (127.0.0.1 only, trust authentication for
 * the one user `fairkit`), and `stop()` shuts it down and deletes the folder. The server
 * binaries come from Debian's `postgresql` package (`.ci/run` installs it); where none is found,
 * tests skip with a message saying so. PostgreSQL refuses to run as root, so as root the server
 * runs as the `postgres` user the package creates.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The folder holding initdb, pg_ctl and postgres, or undefined. */
export function postgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(root, versions[0], "bin");
  }
  const which = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  if (which.status === 0 && which.stdout.trim() !== "") return join(which.stdout.trim(), "..");
  return undefined;
}

/** For node:test's `skip`: false when a server can be started here, else why not. */
export function skipWithoutPostgres(): string | false {
  if (!postgresBin()) return "PostgreSQL server binaries not found (apt-get install postgresql; .ci/run installs them)";
  if (!existsSync("/usr/bin/psql") && spawnSync("sh", ["-c", "command -v psql"]).status !== 0)
    return "psql not found (apt-get install postgresql-client)";
  if (process.getuid?.() === 0 && spawnSync("id", ["postgres"]).status !== 0)
    return "running as root, and there is no postgres user to run the server as (apt-get install postgresql creates it)";
  return false;
}

/** A running server. */
export interface TestPostgres {
  port: number;
  /** `postgres://fairkit@127.0.0.1:PORT/DB` */
  url(database?: string): string;
  /** Runs SQL through psql (ON_ERROR_STOP), returning its output; `input` is psql's stdin. */
  psql(sql: string, database?: string, input?: string | Buffer): string;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Starts a fresh server with a database `audit` (and any extra databases named). */
export async function startPostgres(databases: readonly string[] = ["audit"]): Promise<TestPostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error("PostgreSQL server binaries not found");
  const dir = mkdtempSync(join(tmpdir(), "fairkit-pg-"));
  const data = join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    chmodSync(dir, 0o755);
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (program: string, args: string[]) => {
    const command = asRoot ? "runuser" : join(bin, program);
    const argv = asRoot ? ["-u", "postgres", "--", join(bin, program), ...args] : args;
    const result = spawnSync(command, argv, { encoding: "utf8", cwd: dir });
    if (result.status !== 0)
      throw new Error(`${program} failed (${result.status}): ${result.stderr || result.stdout}`.slice(0, 2000));
    return result.stdout;
  };
  run("initdb", ["-D", data, "-U", "fairkit", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=20 -c shared_buffers=128MB`;
  run("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "server.log"), "-w", "-t", "60", "start"]);
  const url = (database = "audit") => `postgres://fairkit@127.0.0.1:${port}/${database}`;
  const psql = (sql: string, database = "audit", input?: string | Buffer) => {
    const result = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-d", url(database), "-c", sql], {
      encoding: "utf8",
      maxBuffer: 1 << 26,
      input,
    });
    if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
    return result.stdout;
  };
  for (const db of databases) psql(`CREATE DATABASE ${db}`, "postgres");
  let stopped = false;
  return {
    port,
    url,
    psql,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Loads a CSV file into a new table with these column definitions (`name type`, in file order)
 * through psql's \\copy. Blank lines (Adult ends with one) are left out, as fairkit's reader
 * leaves them out.
 */
export function loadCsv(
  pg: TestPostgres,
  table: string,
  path: string,
  columns: readonly string[],
  options: { header?: boolean; database?: string } = {},
): void {
  pg.psql(`CREATE TABLE ${table} (${columns.join(", ")})`, options.database);
  const text = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .join("\n");
  pg.psql(
    `\\copy ${table} FROM STDIN WITH (FORMAT csv${options.header === false ? "" : ", HEADER true"})`,
    options.database,
    `${text}\n`,
  );
}
