// Live workers: where they run, what they serve, how busy they are, and when they last reported.
import { h, replace } from '../dom.js';
import { api, paths } from '../api.js';
import { ago, when } from '../format.js';
import { poll } from '../poll.js';

export function mount(main) {
  const body = h('div');
  main.append(h('div', { class: 'page-head' }, h('h1', null, 'Workers')), h('section', { class: 'card' }, body));
  const poller = poll(async () => {
    const workers = await api(paths.workers());
    if (!workers.length) {
      replace(body, h('p', { class: 'empty' }, 'No worker is running. Workers report every few seconds while they run.'));
      return;
    }
    replace(body, h('div', { class: 'table-wrap' }, h('table', { id: 'workers-table' },
      h('thead', null, h('tr', null,
        ['Host', 'Process', 'Queues', 'Busy', 'Started', 'Last seen', 'Id'].map(c => h('th', { scope: 'col', class: c === 'Busy' ? 'num' : null }, c)))),
      h('tbody', null, workers.map(w => h('tr', null,
        h('td', null, w.host),
        h('td', { class: 'mono' }, String(w.processId)),
        h('td', null, w.queues.join(', ')),
        h('td', { class: 'num' }, `${w.runningJobs} / ${w.concurrency}`),
        h('td', null, h('time', { datetime: w.startedAt, title: when(w.startedAt) }, ago(w.startedAt))),
        h('td', null, h('time', { datetime: w.lastSeen ?? '', title: when(w.lastSeen) }, ago(w.lastSeen))),
        h('td', { class: 'mono muted' }, w.id)))))));
  }, 3000);
  return () => poller.stop();
}
