// One queue: its counts, pause/resume, and its jobs in one state, a page at a time.
import { h, link, replace, route, actionButton } from '../dom.js';
import { api, paths, permissions } from '../api.js';
import { count, timeText, firstLine } from '../format.js';
import { poll } from '../poll.js';
import { act } from '../toast.js';

const PAGE_SIZE = 25;
const TABS = [
  ['pending', 'Pending', 'pending'], ['scheduled', 'Scheduled', 'scheduled'], ['running', 'Running', 'active'],
  ['retrying', 'Retrying', 'retrying'], ['dead', 'Dead', 'dead'], ['succeeded', 'Succeeded'], ['cancelled', 'Cancelled'],
];

export function mount(main, { queue }, query) {
  const state = TABS.some(([s]) => s === query.get('state')) ? query.get('state') : 'pending';
  const page = Math.max(0, Number.parseInt(query.get('page') ?? '0', 10) || 0);
  const badge = h('span');
  const pauseSlot = h('span');
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Job states' });
  const list = h('div');
  main.append(
    h('div', { class: 'crumbs' }, link([], 'Overview'), ' / queue'),
    h('div', { class: 'page-head' }, h('h1', null, queue), badge, h('span', { class: 'spacer' }), pauseSlot),
    h('section', { class: 'card' }, tabs, list));

  const poller = poll(async () => {
    const [stats, jobs] = await Promise.all([
      api(paths.queue(queue)),
      api(paths.jobs(queue, state, page * PAGE_SIZE, PAGE_SIZE)),
    ]);
    replace(badge, stats.paused ? h('span', { class: 'badge paused' }, 'Paused') : h('span', { class: 'badge live-ok', title: 'The queue hands out jobs to workers.' }, 'Processing'));
    replace(pauseSlot, actionButton(stats.paused ? 'Resume queue' : 'Pause queue', () => act(
      () => api(stats.paused ? paths.resume(queue) : paths.pause(queue), { method: 'POST' }).then(() => poller.refresh()),
      `${queue} ${stats.paused ? 'resumed' : 'paused'}.`), { ...permissions(), className: stats.paused ? 'primary' : '' }));
    replace(tabs, TABS.map(([s, label, field]) => h('a', {
      href: route(['queues', queue], { state: s }),
      'aria-current': s === state ? 'page' : null,
    }, label, field ? h('span', { class: 'count' }, count(stats[field])) : null)));
    renderJobs(list, queue, state, page, jobs);
  });
  return () => poller.stop();
}

function renderJobs(el, queue, state, page, result) {
  if (!result.jobs.length) {
    replace(el, h('p', { class: 'empty' }, page ? 'No jobs on this page.' : `No ${state} jobs.`));
    return;
  }
  const timeColumn = { pending: ['Enqueued', 'enqueuedAt'], scheduled: ['Due', 'dueAt'], retrying: ['Next attempt', 'dueAt'],
    running: ['Started', 'startedAt'] }[state] ?? ['Finished', 'finishedAt'];
  const showError = state === 'retrying' || state === 'dead';
  const first = result.offset + 1;
  const last = result.offset + result.jobs.length;
  replace(el,
    h('div', { class: 'table-wrap' }, h('table', { id: 'jobs-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, 'Job'), h('th', { scope: 'col' }, 'Id'), h('th', { scope: 'col' }, 'Priority'),
        h('th', { scope: 'col', class: 'num' }, 'Attempt'), h('th', { scope: 'col' }, timeColumn[0]),
        showError ? h('th', { scope: 'col' }, 'Last error') : null,
        state === 'running' ? h('th', { scope: 'col' }, 'Progress') : null)),
      h('tbody', null, result.jobs.map(job => {
        const t = timeText(job[timeColumn[1]]);
        return h('tr', { 'data-job': job.id },
          h('td', null, link(['queues', queue, 'jobs', job.id], job.name)),
          h('td', { class: 'mono muted' }, job.id),
          h('td', null, job.priority),
          h('td', { class: 'num' }, `${job.attempt}/${job.maxRetries + 1}`),
          h('td', null, h('time', { datetime: t.datetime ?? '', title: t.title ?? '' }, t.text)),
          showError ? h('td', { class: 'error-cell', title: firstLine(job.lastError) }, firstLine(job.lastError)) : null,
          state === 'running' ? h('td', null, job.progress == null ? '—' : `${Math.round(job.progress)} %`) : null);
      })))),
    h('div', { class: 'pager' },
      h('span', null, `${count(first)}–${count(last)} of ${count(result.total)}`),
      page > 0 ? h('a', { class: 'button', href: route(['queues', queue], { state, page: page - 1 }) }, '← Previous') : null,
      last < result.total ? h('a', { class: 'button', href: route(['queues', queue], { state, page: page + 1 }) }, 'Next →') : null));
}
