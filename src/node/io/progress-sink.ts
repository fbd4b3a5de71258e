/**
 * The progress interface the readers report to. The CLI implements it with a bar on stderr
 * (src/cli/progress.ts); library users can pass any object with these two methods.
 */
export interface Progress {
  /** Sets the fraction done (0..1) and an optional label for the current step. */
  update(fraction: number, label?: string): void;
  stop(): void;
}
