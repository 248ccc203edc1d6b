#!/usr/bin/env node
import { runCli } from './cli-runner';
import { processIo } from './cli-io';

// The CLI's only read of the environment; commands get it passed in.
void runCli(process.argv.slice(2), process.env, processIo()).then((code) => {
  process.exitCode = code;
});
