// Overview: totals by state, live throughput, every queue with its counts, and the live workers.
import { h, link, replace, actionButton } from '../dom.js';
import { api, paths, permissions } from '../api.js';
import { count, ago, when } from '../format.js';
import { poll } from '../poll.js';
import { throughputChart } from '../chart.js';
import { record, windowSeconds } from '../throughput.js';
import { act } from '../toast.js';

const STATES = [
  ['pending', 'Pending'], ['scheduled', 'Scheduled'], ['active', 'Running'], ['retrying', 'Retrying'], ['dead', 'Dead'],
];

export function mount(main) {
  const metrics = h('section', { class: 'metrics', 'aria-label': 'Totals' });
  const chart = throughputChart(windowSeconds);
  const queues = h('div');
  const workers = h('div');
  main.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Overview')),
    metrics,
    h('div', { class: 'grid two' },
      h('section', { class: 'card', 'aria-labelledby': 'throughput-title' },
        h('div', { class: 'card-head' }, h('h2', { id: 'throughput-title' }, 'Throughput'), chart.span),
        chart.element),
      h('section', { class: 'card', 'aria-labelledby': 'workers-title' },
        h('div', { class: 'card-head' }, h('h2', { id: 'workers-title' }, 'Workers'), h('span', { class: 'spacer' }), link(['workers'], 'All workers')),
        workers)),
    h('section', { class: 'card', 'aria-labelledby': 'queues-title' },
      h('div', { class: 'card-head' }, h('h2', { id: 'queues-title' }, 'Queues')),
      queues));

  const poller = poll(async () => {
    const [stats, live] = await Promise.all([api(paths.stats()), api(paths.workers())]);
    chart.update(record(stats.totals));
    renderMetrics(metrics, stats.totals);
    renderQueues(queues, stats.queues, () => poller.refresh());
    renderWorkers(workers, live);
  });
  return () => { poller.stop(); chart.dispose(); };
}

function metric(label, value, kind, id) {
  return h('div', { class: `metric ${kind ?? ''}`, 'data-metric': id },
    h('div', { class: 'label' }, label), h('div', { class: 'value' }, count(value)));
}

function renderMetrics(el, t) {
  replace(el,
    metric('Pending', t.pending, null, 'pending'),
    metric('Scheduled', t.scheduled, null, 'scheduled'),
    metric('Running', t.active, null, 'active'),
    metric('Retrying', t.retrying, null, 'retrying'),
    metric('Dead', t.dead, t.dead ? 'bad' : null, 'dead'),
    metric('Processed today', t.processedToday, 'ok', 'processed'),
    metric('Failed today', t.failedToday, t.failedToday ? 'bad' : null, 'failed'));
}

function renderQueues(el, queues, refresh) {
  if (!queues.length) {
    replace(el, h('p', { class: 'empty' }, 'No queue has received a job yet.'));
    return;
  }
  const perm = permissions();
  const cell = (n) => h('td', { class: n ? 'num' : 'num zero' }, count(n));
  replace(el, h('div', { class: 'table-wrap' }, h('table', { id: 'queues-table' },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Queue'),
      STATES.map(([, label]) => h('th', { scope: 'col', class: 'num' }, label)),
      h('th', { scope: 'col', class: 'num' }, 'Processed today'),
      h('th', { scope: 'col', class: 'num' }, 'Failed today'),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
    h('tbody', null, queues.map(q => h('tr', { 'data-queue': q.name },
      h('th', { scope: 'row' }, link(['queues', q.name], q.name), ' ', q.paused ? h('span', { class: 'badge paused' }, 'Paused') : null),
      STATES.map(([state]) => state === 'dead' && q.dead
        ? h('td', { class: 'num' }, link(['dead-letters', q.name], count(q.dead)))
        : cell(q[state])),
      cell(q.processedToday),
      cell(q.failedToday),
      h('td', null, actionButton(q.paused ? 'Resume' : 'Pause', () => act(
        () => api(q.paused ? paths.resume(q.name) : paths.pause(q.name), { method: 'POST' }).then(refresh),
        `${q.name} ${q.paused ? 'resumed' : 'paused'}.`), { ...perm, className: 'small', label: `${q.paused ? 'Resume' : 'Pause'} ${q.name}` }))))))));
}

function renderWorkers(el, workers) {
  if (!workers.length) {
    replace(el, h('p', { class: 'empty' }, 'No worker is running.'));
    return;
  }
  replace(el, h('ul', { class: 'worker-list' }, workers.slice(0, 6).map(w => h('li', null,
    h('div', null, h('strong', null, w.host), h('span', { class: 'muted' }, ` · pid ${w.processId}`)),
    h('div', { class: 'muted' }, `${w.runningJobs}/${w.concurrency} busy · ${w.queues.join(', ')} · seen `,
      h('time', { datetime: w.lastSeen ?? '', title: when(w.lastSeen) }, ago(w.lastSeen)))))));
}
