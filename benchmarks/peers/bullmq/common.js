// Shared by producer.js and worker.js: command line, connection settings, and the measurements they print.
'use strict';

function parseArgs(argv) {
  const args = {};
  for (let i = 2; i < argv.length; i += 2) {
    args[argv[i].replace(/^--/, '')] = argv[i + 1];
  }
  return args;
}

// Auto-pipelining off, as the benchmark issue asks; BullMQ needs maxRetriesPerRequest null for workers.
function connection(port) {
  return { host: '127.0.0.1', port: Number(port), maxRetriesPerRequest: null, enableAutoPipelining: false };
}

function usage(startCpu) {
  const cpu = process.cpuUsage(startCpu);
  return { cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

module.exports = { parseArgs, connection, usage };
