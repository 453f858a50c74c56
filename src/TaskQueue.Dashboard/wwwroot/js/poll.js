// Live updates by polling: one request at a time, every interval, and none while the tab is hidden.

const listeners = new Set();
/** Tells the header's live indicator what polling is doing: 'live', 'paused' or 'error'. */
export function onPollState(listener) { listeners.add(listener); }
function report(state) { listeners.forEach(l => l(state)); }

export function poll(tick, intervalMs = 2000) {
  let timer = 0;
  let stopped = false;
  let running = false;

  async function run() {
    clearTimeout(timer);
    if (stopped || running) return;
    if (document.hidden) { report('paused'); return; }
    running = true;
    try {
      await tick();
      report('live');
    } catch (error) {
      report('error');
      console.warn('TaskQueue dashboard: refresh failed', error);
    } finally {
      running = false;
    }
    if (!stopped && !document.hidden) timer = setTimeout(run, intervalMs);
  }

  const onVisibility = () => (document.hidden ? (clearTimeout(timer), report('paused')) : run());
  document.addEventListener('visibilitychange', onVisibility);
  run();
  return {
    refresh: run,
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
