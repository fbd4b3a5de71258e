/** The package version, written into every report and JSON output. Keep in step with package.json (a test checks). */
export const VERSION = "0.4.0";
