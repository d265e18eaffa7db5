import { setFlagsFromString } from 'node:v8';

/** For a command that answers and exits (ask, chat, usual): V8 compiles WebAssembly (the guard's
 *  SQL parser, the embedded PostgreSQL) with its baseline compiler only. Optimising it costs more
 *  time and memory than one answer gets back; `serve` and `mcp` keep the optimised code. Must run
 *  before the command's modules load. */
export function answerAndExit(): void {
  setFlagsFromString('--liftoff-only');
}
