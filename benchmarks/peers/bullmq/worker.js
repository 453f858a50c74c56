// BullMQ worker: node worker.js --port P --queue bench|latency|delayed|failing --jobs N --concurrency C [--window S] [--fail-every K]
// --fail-every K: job i with i % K == 0 throws on its first attempt; every attempt is counted, and exact delivery then
// means each job succeeded once, the failing ones ran twice and all others once. Delayed jobs (data.due, hrtime ns)
// record lateness = handler start - due in latencyMs (early starts counted in early); lastRanAt is the last job's hrtime.
// With --window (steady state): N is only room; the worker counts jobs completed in the S seconds from the first job,
// prints "window-end", then drains until the producer's count (Redis key bench:produced) ran, and adds completed,
// produced, depthAtEnd (waiting jobs at the window's end) and windowCpuSeconds to its result.
// Prints "ready" when it listens, then one JSON line once N distinct jobs ran: seconds (from worker start to the
// last job), missing, duplicates, cpuSeconds, peakRssBytes and, for stamped jobs, latencyMs [p50, p90, p99, p99.9, max].
'use strict';
const { Worker, Queue } = require('bullmq');
const IORedis = require('ioredis');
const { parseArgs, connection, usage } = require('./common');

async function main() {
  const args = parseArgs(process.argv);
  const jobs = Number(args.jobs);
  const counts = new Uint32Array(jobs);
  const latencies = [];
  const failEvery = args['fail-every'] === undefined ? 0 : Number(args['fail-every']);
  const attempts = failEvery > 0 ? new Uint32Array(jobs) : null;
  let early = 0;
  let lastRanAt = 0n;
  let processed = 0;
  const windowMs = args.window === undefined ? 0 : Number(args.window) * 1000;
  let expected = windowMs > 0 ? Infinity : jobs;
  let windowStart;
  let windowEnd;
  const windowEnded = new Promise((resolve) => { windowEnd = resolve; });
  let finish;
  const done = new Promise((resolve) => { finish = resolve; });
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const worker = new Worker(args.queue, async (job) => {
    const now = process.hrtime.bigint();
    if (job.data.t !== undefined) latencies.push(Number(now - BigInt(job.data.t)) / 1e6);
    if (job.data.due !== undefined) {
      const late = Number(now - BigInt(job.data.due)) / 1e6;
      if (late < 0) early++; else latencies.push(late);
    }
    if (attempts !== null) {
      attempts[job.data.i]++;
      if (job.data.i % failEvery === 0 && job.attemptsMade === 0) throw new Error(`job ${job.data.i}: planned failure of attempt 1`);
    }
    lastRanAt = now;
    counts[job.data.i]++;
    if (++processed === expected) finish(process.hrtime.bigint());
    if (windowMs > 0 && windowStart === undefined) {
      windowStart = process.hrtime.bigint();
      setTimeout(() => windowEnd(), windowMs);
    }
  }, { connection: connection(args.port), concurrency: Number(args.concurrency) });
  await worker.waitUntilReady();
  console.log('ready');
  let steady = {};
  if (windowMs > 0) {
    await windowEnded;
    const completed = processed;
    const seconds = Number(process.hrtime.bigint() - windowStart) / 1e9;
    const windowUsage = usage(cpu);
    const queue = new Queue(args.queue, { connection: connection(args.port) });
    const depthAtEnd = (await queue.getJobCounts('wait')).wait;
    console.log('window-end');
    const client = new IORedis(connection(args.port));
    let produced = null;
    const deadline = Date.now() + 300000;
    while (produced === null && Date.now() < deadline) {
      produced = await client.get('bench:produced');
      if (produced === null) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    client.disconnect();
    await queue.close();
    expected = Number(produced);
    if (processed >= expected) finish(process.hrtime.bigint());
    steady = { completed, produced: expected, depthAtEnd, windowSeconds: seconds, windowCpuSeconds: windowUsage.cpuSeconds };
  }
  const ended = await Promise.race([done, new Promise((resolve) => setTimeout(() => resolve(null), 300000))]);
  const seconds = Number((ended ?? process.hrtime.bigint()) - started) / 1e9;
  // Give a late duplicate the chance to show before counting.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await worker.close();
  let missing = 0;
  let duplicates = 0;
  for (let i = 0; i < Math.min(expected, jobs); i++) { const c = counts[i]; if (c === 0) missing++; else if (c > 1) duplicates += c - 1; }
  let attemptsMade;
  if (attempts !== null) {
    attemptsMade = 0;
    for (let i = 0; i < jobs; i++) {
      attemptsMade += attempts[i];
      const want = i % failEvery === 0 ? 2 : 1;
      if (attempts[i] > want) duplicates += attempts[i] - want;
      else if (attempts[i] < want && counts[i] > 0) missing++;
    }
  }
  let latencyMs;
  if (latencies.length > 0) {
    latencies.sort((a, b) => a - b);
    const at = (p) => latencies[Math.min(latencies.length - 1, Math.ceil(p / 100 * latencies.length) - 1)];
    latencyMs = [at(50), at(90), at(99), at(99.9), latencies[latencies.length - 1]];
  }
  console.log(JSON.stringify({ seconds, missing, duplicates, latencyMs, leastLateMs: latencies.length > 0 ? latencies[0] : undefined, early, attemptsMade, lastRanAt: lastRanAt.toString(), ...usage(cpu), ...steady }));
}

main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
