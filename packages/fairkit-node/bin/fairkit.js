#!/usr/bin/env node
// The installed `fairkit` command: the compiled CLI of @fairkit/node.
import "../dist/cli/main.js";
