// Processed/failed per second, from the differences between successive stats polls. Kept for the tab's lifetime
// so the chart survives navigating away and back.
const WINDOW_MS = 5 * 60 * 1000;
const samples = [];
let previous = null;

export function record(totals, at = Date.now()) {
  if (previous) {
    const seconds = (at - previous.at) / 1000;
    if (seconds > 0.2) {
      // Counters restart at UTC midnight: a negative difference counts as zero.
      samples.push({
        t: at,
        processed: Math.max(0, totals.processedToday - previous.processed) / seconds,
        failed: Math.max(0, totals.failedToday - previous.failed) / seconds,
      });
    }
  }
  previous = { at, processed: totals.processedToday, failed: totals.failedToday };
  while (samples.length && at - samples[0].t > WINDOW_MS) samples.shift();
  return samples;
}

export const windowSeconds = WINDOW_MS / 1000;
