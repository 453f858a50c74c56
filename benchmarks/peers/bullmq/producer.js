// BullMQ producer: node producer.js --port P --mode serial|concurrent|bulk|latency|steady|delayed --jobs N [--concurrency 64]
//   [--rate 1000] [--seconds 30] [--queue NAME] [--attempts N --backoff MS (fixed retry delay, bulk mode)]
// Prints one JSON line: seconds, startedAt (process.hrtime ns), cpuSeconds, peakRssBytes (steady: also produced, and
// SET bench:produced for the worker).
'use strict';
const { Queue } = require('bullmq');
const IORedis = require('ioredis');
const { parseArgs, connection, usage } = require('./common');

async function main() {
  const args = parseArgs(process.argv);
  const jobs = Number(args.jobs);
  const mode = args.mode;
  const queue = new Queue(args.queue ?? (mode === 'latency' ? 'latency' : 'bench'), { connection: connection(args.port) });
  await queue.waitUntilReady();
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let produced;
  if (mode === 'serial') {
    for (let i = 0; i < jobs; i++) await queue.add('noop', { i });
  } else if (mode === 'concurrent') {
    let next = 0;
    const lanes = [];
    for (let c = 0; c < Number(args.concurrency || 64); c++) {
      lanes.push((async () => { for (let i = next++; i < jobs; i = next++) await queue.add('noop', { i }); })());
    }
    await Promise.all(lanes);
  } else if (mode === 'bulk') {
    const opts = args.attempts === undefined ? undefined : { attempts: Number(args.attempts), backoff: { type: 'fixed', delay: Number(args.backoff) } };
    for (let sent = 0; sent < jobs; sent += 100) {
      const batch = [];
      for (let i = sent; i < Math.min(jobs, sent + 100); i++) batch.push({ name: 'noop', data: { i }, opts });
      await queue.addBulk(batch);
    }
  } else if (mode === 'latency') {
    // Open loop: job i is due at i/rate s; t is process.hrtime (CLOCK_MONOTONIC) just before the add call.
    const rate = Number(args.rate);
    const pending = [];
    for (let i = 0; i < jobs; i++) {
      const due = started + BigInt(Math.round(i * 1e9 / rate));
      let now = process.hrtime.bigint();
      while (now < due) {
        await new Promise((resolve) => setTimeout(resolve, Number(due - now) >= 1e6 ? 1 : 0));
        now = process.hrtime.bigint();
      }
      pending.push(queue.add('stamp', { i, t: process.hrtime.bigint().toString() }));
    }
    await Promise.all(pending);
  } else if (mode === 'delayed') {
    // All due at one instant 2 s after the first add; `due` is that instant as process.hrtime (CLOCK_MONOTONIC) ns, and
    // each batch's delay (BullMQ takes ms relative to now) is computed from it, so wall-clock steps do not skew lateness.
    const due = started + 2000000000n;
    for (let sent = 0; sent < jobs; sent += 100) {
      const delay = Math.max(0, Math.round(Number(due - process.hrtime.bigint()) / 1e6));
      const batch = [];
      for (let i = sent; i < Math.min(jobs, sent + 100); i++) batch.push({ name: 'due', data: { i, due: due.toString() }, opts: { delay } });
      await queue.addBulk(batch);
    }
  } else if (mode === 'steady') {
    // Batches of 100 as fast as possible for --seconds, or paced at --rate (batch k waits until its first job is due).
    const end = started + BigInt(Math.round(Number(args.seconds) * 1e9));
    const rate = args.rate === undefined ? null : Number(args.rate);
    const size = rate === null ? 100 : Math.min(100, Math.max(1, Math.floor(rate / 100)));
    let sent = 0;
    for (;;) {
      if (rate !== null) {
        const due = started + BigInt(Math.round(sent * 1e9 / rate));
        let now = process.hrtime.bigint();
        while (now < due && now < end) {
          await new Promise((resolve) => setTimeout(resolve, Number(due - now) >= 1e6 ? 1 : 0));
          now = process.hrtime.bigint();
        }
      }
      if (process.hrtime.bigint() >= end) break;
      const batch = [];
      for (let i = sent; i < sent + size; i++) batch.push({ name: 'noop', data: { i } });
      await queue.addBulk(batch);
      sent += size;
    }
    produced = sent;
    const redis = new IORedis(connection(args.port));
    await redis.set('bench:produced', String(sent));
    redis.disconnect();
  } else {
    throw new Error(`unknown mode '${mode}'`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ seconds, startedAt: started.toString(), produced, ...usage(cpu) }));
  await queue.close();
}

main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
