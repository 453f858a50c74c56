// Recurring schedules: each one's cron and time zone, next and last occurrence with the last one's outcome (linked to
// its job), and pause, resume and delete.
import { h, link, replace, actionButton } from '../dom.js';
import { api, paths, permissions } from '../api.js';
import { timeText } from '../format.js';
import { poll } from '../poll.js';
import { act } from '../toast.js';

export function mount(main) {
  const body = h('div');
  main.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Schedules')),
    h('section', { class: 'card' }, body));
  const poller = poll(async () => {
    const schedules = await api(paths.schedules());
    render(body, schedules, () => poller.refresh());
  }, 3000);
  return () => poller.stop();
}

function time(iso) {
  const t = timeText(iso);
  return h('time', { datetime: t.datetime ?? '', title: t.title ?? '' }, t.text);
}

function outcomeName(state) {
  return state === 'active' ? 'running' : state;
}

function render(el, schedules, refresh) {
  if (!schedules.length) {
    replace(el, h('p', { class: 'empty' },
      'No recurring schedule. Declare one with [Job(Cron = ...)] or [Recurring(...)], or create one with ScheduleRecurringAsync.'));
    return;
  }
  const perm = permissions();
  replace(el, h('div', { class: 'table-wrap' }, h('table', { id: 'schedules-table' },
    h('thead', null, h('tr', null,
      ['Schedule', 'Job', 'Queue', 'Cron', 'Next run', 'Last run', 'Last outcome', 'Policies', 'Actions']
        .map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', null, schedules.map(s => row(s, perm, refresh))))));
}

function row(s, perm, refresh) {
  const post = (path, done) => () => act(() => api(path, { method: 'POST' }).then(refresh), done);
  const toggle = s.paused
    ? actionButton('Resume', post(paths.scheduleAction(s.name, 'resume'), `Schedule ${s.name} resumed.`),
      { ...perm, className: 'primary small', label: `Resume ${s.name}` })
    : actionButton('Pause', post(paths.scheduleAction(s.name, 'pause'), `Schedule ${s.name} paused.`),
      { ...perm, className: 'small', label: `Pause ${s.name}` });
  const remove = actionButton('Delete', async () => {
    const note = s.origin === 'declared' ? ' It is declared by an app, which registers it again when it restarts.' : '';
    if (!confirm(`Delete schedule ${s.name}? No further occurrence is enqueued.${note}`)) return;
    await act(() => api(paths.schedule(s.name), { method: 'DELETE' }).then(refresh), `Schedule ${s.name} deleted.`);
  }, { ...perm, className: 'danger small', label: `Delete ${s.name}` });
  const outcome = s.lastOutcome ? outcomeName(s.lastOutcome) : null;
  return h('tr', { 'data-schedule': s.name },
    h('th', { scope: 'row' }, s.name, ' ',
      s.paused ? h('span', { class: 'badge paused' }, 'Paused') : null,
      h('span', { class: 'muted origin', title: s.declaredBy ? `Declared by ${s.declaredBy}` : 'Created at run time' }, s.origin)),
    h('td', null, s.jobName),
    h('td', null, link(['queues', s.queue], s.queue)),
    h('td', null, h('code', null, s.cron), ' ', h('span', { class: 'muted' }, s.timeZone)),
    h('td', { class: 'next-run' }, s.paused ? h('span', { class: 'muted' }, 'paused') : time(s.nextDueAt)),
    h('td', { class: 'last-run' }, time(s.lastDueAt)),
    h('td', { class: 'last-outcome' },
      s.lastJobId
        ? link(['queues', s.queue, 'jobs', s.lastJobId], outcome ?? 'expired', { class: `badge ${outcome ?? ''}`, title: `Job ${s.lastJobId}` })
        : h('span', { class: 'muted' }, '—')),
    h('td', { class: 'muted' }, `misfire ${s.misfire}, overlap ${s.overlap}`, s.skipped ? `, ${s.skipped} skipped` : null),
    h('td', null, h('div', { class: 'actions' }, toggle, remove)));
}
