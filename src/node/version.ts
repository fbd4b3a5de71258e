/**
 * The version of @fairkit/node, which is always released together with fairkit at the same
 * version (a test checks this equals the core's VERSION and both package manifests). Kept here,
 * apart from the core, so that `fairkit --version` loads nothing else.
 */
export const VERSION = "0.4.0";
