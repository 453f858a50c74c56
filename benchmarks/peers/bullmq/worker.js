// BullMQ worker: node worker.js --port P --queue bench|latency --jobs N --concurrency C
// Prints "ready" when it listens, then one JSON line once N distinct jobs ran: seconds (from worker start to the
// last job), missing, duplicates, cpuSeconds, peakRssBytes and, for stamped jobs, latencyMs [p50, p90, p99, p99.9, max].
'use strict';
const { Worker } = require('bullmq');
const { parseArgs, connection, usage } = require('./common');

async function main() {
  const args = parseArgs(process.argv);
  const jobs = Number(args.jobs);
  const counts = new Uint32Array(jobs);
  const latencies = [];
  let processed = 0;
  let finish;
  const done = new Promise((resolve) => { finish = resolve; });
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const worker = new Worker(args.queue, async (job) => {
    if (job.data.t !== undefined) latencies.push(Number(process.hrtime.bigint() - BigInt(job.data.t)) / 1e6);
    counts[job.data.i]++;
    if (++processed === jobs) finish(process.hrtime.bigint());
  }, { connection: connection(args.port), concurrency: Number(args.concurrency) });
  await worker.waitUntilReady();
  console.log('ready');
  const ended = await Promise.race([done, new Promise((resolve) => setTimeout(() => resolve(null), 300000))]);
  const seconds = Number((ended ?? process.hrtime.bigint()) - started) / 1e9;
  // Give a late duplicate the chance to show before counting.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await worker.close();
  let missing = 0;
  let duplicates = 0;
  for (const c of counts) { if (c === 0) missing++; else if (c > 1) duplicates += c - 1; }
  let latencyMs;
  if (latencies.length > 0) {
    latencies.sort((a, b) => a - b);
    const at = (p) => latencies[Math.min(latencies.length - 1, Math.ceil(p / 100 * latencies.length) - 1)];
    latencyMs = [at(50), at(90), at(99), at(99.9), latencies[latencies.length - 1]];
  }
  console.log(JSON.stringify({ seconds, missing, duplicates, latencyMs, ...usage(cpu) }));
}

main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
