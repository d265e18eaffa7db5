// Preloaded with `node --require` by bench/cli-start.ts: at exit, the process's own peak resident
// memory (getrusage's maxrss, kilobytes) goes to the file the bench named, so no external
// `time` tool is needed.
const file = process.env.QUARRY_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
