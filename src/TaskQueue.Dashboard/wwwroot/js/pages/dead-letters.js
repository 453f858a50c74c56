// Dead letters of a queue: filter by job name and error text, requeue or delete one, the selected, or every match.
import { h, link, replace, route, actionButton } from '../dom.js';
import { api, paths, permissions } from '../api.js';
import { count, timeText, firstLine } from '../format.js';
import { poll } from '../poll.js';
import { act } from '../toast.js';

// The API lists dead letters a page at a time; the filter applies to the newest this many (bulk actions use the
// server-side filter and reach every match).
const LOADED = 200;

export function mount(main, { queue }, query) {
  const state = { queue, jobName: query.get('job') ?? '', errorText: query.get('error') ?? '', selected: new Set(), jobs: [], total: 0 };
  const queueSelect = h('select', { id: 'dl-queue' });
  const nameSelect = h('select', { id: 'dl-job' }, h('option', { value: '' }, 'Any job'));
  const errorInput = h('input', { id: 'dl-error', type: 'search', placeholder: 'e.g. TimeoutException', value: state.errorText });
  const toolbar = h('div', { class: 'actions' });
  const table = h('div');
  main.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Dead letters')),
    h('section', { class: 'card' },
      h('div', { class: 'filters' },
        h('div', { class: 'field' }, h('label', { for: 'dl-queue' }, 'Queue'), queueSelect),
        h('div', { class: 'field' }, h('label', { for: 'dl-job' }, 'Job name'), nameSelect),
        h('div', { class: 'field' }, h('label', { for: 'dl-error' }, 'Error contains ', h('span', { class: 'hint' }, '(case-sensitive)')), errorInput)),
      toolbar,
      table));

  queueSelect.addEventListener('change', () => { location.hash = route(['dead-letters', queueSelect.value]); });
  nameSelect.addEventListener('change', () => { state.jobName = nameSelect.value; state.selected.clear(); draw(); });
  errorInput.addEventListener('input', () => { state.errorText = errorInput.value; state.selected.clear(); draw(); });

  const matches = () => state.jobs.filter(j => (!state.jobName || j.name === state.jobName)
    && (!state.errorText || (j.lastError ?? '').includes(state.errorText)));
  const filter = () => (state.jobName || state.errorText)
    ? { ...(state.jobName ? { jobName: state.jobName } : {}), ...(state.errorText ? { errorContains: state.errorText } : {}) }
    : { all: true };

  // After an action the list is redrawn even though focus is on one of its buttons.
  const refresh = () => { state.force = true; return poller.refresh(); };
  const bulk = (action, body, done) => act(
    () => api(paths.deadLettersBulk(state.queue, action), { method: 'POST', body }),
    (r) => `${count(r.count)} dead letter${r.count === 1 ? '' : 's'} ${done}.`).then(() => { state.selected.clear(); return refresh(); });

  function draw() {
    const perm = permissions();
    const shown = matches();
    const filtered = !!(state.jobName || state.errorText);
    const ids = [...state.selected];
    replace(toolbar,
      actionButton(`Requeue selected (${ids.length})`, () => bulk('requeue', { ids }, 'requeued'), { ...perm, canAct: perm.canAct && ids.length > 0, className: 'primary' }),
      actionButton(`Delete selected (${ids.length})`, () => confirm(`Delete ${ids.length} dead letters?`) && bulk('delete', { ids }, 'deleted'), { ...perm, canAct: perm.canAct && ids.length > 0, className: 'danger' }),
      h('span', { class: 'spacer' }),
      actionButton(filtered ? 'Requeue all matching' : 'Requeue all', () => bulk('requeue', filter(), 'requeued'), { ...perm, canAct: perm.canAct && state.total > 0 }),
      actionButton(filtered ? 'Delete all matching' : 'Delete all', () => confirm(filtered ? 'Delete every matching dead letter of this queue?' : 'Delete every dead letter of this queue?') && bulk('delete', filter(), 'deleted'),
        { ...perm, canAct: perm.canAct && state.total > 0, className: 'danger' }));
    if (!state.queue) {
      replace(table, h('p', { class: 'empty' }, 'No queue has dead letters.'));
      return;
    }
    if (!shown.length) {
      replace(table, h('p', { class: 'empty' }, state.total ? 'No dead letter matches the filter.' : 'No dead letters.'));
      return;
    }
    const all = h('input', { type: 'checkbox', 'aria-label': 'Select every shown dead letter', checked: shown.every(j => state.selected.has(j.id)) });
    all.addEventListener('change', () => { shown.forEach(j => (all.checked ? state.selected.add(j.id) : state.selected.delete(j.id))); draw(); });
    replace(table,
      h('div', { class: 'table-wrap' }, h('table', { id: 'dead-letters-table' },
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, all), h('th', { scope: 'col' }, 'Job'), h('th', { scope: 'col' }, 'Error'),
          h('th', { scope: 'col' }, 'Died'), h('th', { scope: 'col', class: 'num' }, 'Attempts'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
        h('tbody', null, shown.map(j => {
          const box = h('input', { type: 'checkbox', 'aria-label': `Select ${j.name} ${j.id}`, checked: state.selected.has(j.id) });
          box.addEventListener('change', () => { box.checked ? state.selected.add(j.id) : state.selected.delete(j.id); draw(); });
          const t = timeText(j.finishedAt);
          return h('tr', { 'data-job': j.id },
            h('td', null, box),
            h('td', null, link(['queues', state.queue, 'jobs', j.id], j.name), h('div', { class: 'mono muted' }, j.id)),
            h('td', { class: 'error-cell', title: firstLine(j.lastError) }, firstLine(j.lastError)),
            h('td', null, h('time', { datetime: t.datetime ?? '', title: t.title ?? '' }, t.text)),
            h('td', { class: 'num' }, String(j.attempt)),
            h('td', null, h('div', { class: 'actions' },
              actionButton('Requeue', () => act(() => api(paths.deadLetterRequeue(state.queue, j.id), { method: 'POST' }), 'Dead letter requeued.').then(refresh),
                { ...perm, className: 'small', label: `Requeue ${j.name} ${j.id}` }),
              actionButton('Delete', () => act(() => api(paths.deadLetter(state.queue, j.id), { method: 'DELETE' }), 'Dead letter deleted.').then(refresh),
                { ...perm, className: 'small danger', label: `Delete ${j.name} ${j.id}` }))));
        })))),
      h('div', { class: 'pager' }, state.total > state.jobs.length
        ? `Showing the newest ${count(state.jobs.length)} of ${count(state.total)}; “all” actions reach every match.`
        : `${count(shown.length)} of ${count(state.total)}`));
  }

  const poller = poll(async () => {
    const stats = await api(paths.stats());
    const withDead = stats.queues.filter(q => q.dead > 0 || q.name === state.queue);
    if (!state.queue && withDead.length) state.queue = withDead[0].name;
    replace(queueSelect, (withDead.length ? withDead : [{ name: state.queue ?? '', dead: 0 }]).map(q =>
      h('option', { value: q.name, selected: q.name === state.queue }, `${q.name} (${count(q.dead)})`)));
    if (state.queue) {
      const page = await api(paths.deadLetters(state.queue, 0, LOADED));
      state.jobs = page.jobs;
      state.total = page.total;
      const names = [...new Set(page.jobs.map(j => j.name))].sort();
      if (state.jobName && !names.includes(state.jobName)) names.push(state.jobName);
      replace(nameSelect, h('option', { value: '' }, 'Any job'), names.map(n => h('option', { value: n, selected: n === state.jobName }, n)));
      const known = new Set(page.jobs.map(j => j.id));
      state.selected.forEach(id => known.has(id) || state.selected.delete(id));
    }
    // Redrawing would steal focus from a checkbox or button the operator is using: draw only when focus is elsewhere.
    if (state.force || (!table.contains(document.activeElement) && !toolbar.contains(document.activeElement))) draw();
    state.force = false;
  }, 3000);
  return () => poller.stop();
}
