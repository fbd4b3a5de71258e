/** Runs the `fairkit` CLI as a user would: a child process, capturing stdout, stderr and the exit code. */
import { execFile } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `fairkit ...args` from source (through tsx), in the repository folder. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(repoRoot, "src/node/cli/main.ts"), ...args],
      {
        cwd: options.cwd ?? repoRoot,
        // The repository's tsconfig (its paths map the package names fairkit and fairkit/internal to src/), from any folder.
        env: { ...process.env, NO_COLOR: "1", TSX_TSCONFIG_PATH: join(repoRoot, "tsconfig.json"), ...options.env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}
