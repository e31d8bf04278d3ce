#!/usr/bin/env node
/**
 * The `populace-graphql` executable.
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
// open handles (the kernel worker pool, a lingering socket) must not keep a stopped server alive
process.exit();
