#!/usr/bin/env node
"use strict";
// V8's compile cache (Node >= 22.1): later runs reuse the bytecode of partnerlink's modules instead of compiling
// them again. It lives in the OS temp folder (or NODE_COMPILE_CACHE) and is checked against each file's source.
const { enableCompileCache } = require("node:module");
if (typeof enableCompileCache === "function") enableCompileCache();
require("../dist/cli/main")
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
