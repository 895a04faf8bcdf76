#!/usr/bin/env node
import { runCli } from './run-cli.js';

const code = await runCli(process.argv);
// Exit explicitly: a command may leave keep-alive sockets behind that would hold the process open.
process.exit(code);
