/**
 * Progress for long reads, on stderr: a bar when stderr is a terminal, nothing otherwise unless
 * asked (`--progress`), in which case plain lines are printed (for CI logs).
 */
import cliProgress from "cli-progress";

/** What a long-running step reports to. */
export interface Progress {
  /** Sets the fraction done (0..1) and an optional label for the current step. */
  update(fraction: number, label?: string): void;
  stop(): void;
}

/** A progress sink that shows nothing. */
export const silentProgress: Progress = { update() {}, stop() {} };

/**
 * A progress bar on stderr when it is a TTY, plain lines when `force` (and not a TTY), else silent.
 *
 * @example
 * const progress = createProgress({ force: opts.progress });
 * progress.update(0.5, "reading"); progress.stop();
 */
export function createProgress(options: { force?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY && !options.force) return silentProgress;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: stream.isTTY ? "{label} [{bar}] {percentage}%" : "{label} {percentage}%",
      noTTYOutput: !stream.isTTY,
      notTTYSchedule: 2000,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(fraction, label = "") {
      const value = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
      if (!started) {
        bar.start(100, value, { label });
        started = true;
      } else bar.update(value, { label });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
