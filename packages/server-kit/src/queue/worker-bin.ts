#!/usr/bin/env node
/**
 * The `populace-worker` executable.
 */
import { workerMain } from './worker-main.js';

process.exitCode = await workerMain(process.argv.slice(2));
// open handles (the kernel worker pool, a lingering socket) must not keep a stopped worker alive
process.exit();
