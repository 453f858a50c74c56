// Create a job by hand: pick one of the jobs this app declares, fill in a form built from its arguments' JSON Schema.
import { h, link, replace, route, actionButton } from '../dom.js';
import { api, paths, permissions } from '../api.js';
import { schemaForm } from '../schema-form.js';
import { act } from '../toast.js';

export function mount(main, { name }) {
  const list = h('div', { class: 'job-types' });
  const formSlot = h('div');
  main.append(h('div', { class: 'page-head' }, h('h1', null, 'Enqueue a job')), list, formSlot);
  let disposed = false;
  api(paths.jobTypes()).then((types) => {
    if (disposed) return;
    if (!types.length) {
      replace(list, h('p', { class: 'empty' }, 'This app declares no jobs.'));
      return;
    }
    replace(list, types.map(t => h('a', { class: 'card job-type', href: route(['enqueue', t.name]), 'aria-current': t.name === name ? 'page' : null },
      h('div', { class: 'name' }, t.name),
      h('div', { class: 'muted' }, `${t.queue} · ${t.priority} · ${t.maxRetries} retries`))));
    const chosen = types.find(t => t.name === name);
    if (chosen) renderForm(formSlot, chosen);
  }).catch((error) => replace(list, h('div', { class: 'notice error' }, error.message)));
  return () => { disposed = true; };
}

function renderForm(slot, type) {
  const form = schemaForm(type.argumentsSchema, 'arg');
  const priority = h('select', { id: 'opt-priority' }, h('option', { value: '' }, `Default (${type.priority})`),
    ['critical', 'high', 'normal', 'low'].map(p => h('option', { value: p }, p)));
  const delay = h('input', { id: 'opt-delay', type: 'number', min: '0', step: '1', placeholder: '0' });
  const key = h('input', { id: 'opt-key', type: 'text', spellcheck: 'false' });
  const message = h('div', { role: 'status', id: 'enqueue-result' });
  const perm = permissions();
  const submit = actionButton('Enqueue', async () => {
    replace(message);
    let body;
    try {
      body = { arguments: form.read() };
    } catch (error) {
      replace(message, h('div', { class: 'notice error' }, error.message));
      return;
    }
    if (priority.value) body.priority = priority.value;
    if (delay.value && Number(delay.value) > 0) body.delay = secondsToSpan(Number(delay.value));
    if (key.value) body.idempotencyKey = key.value;
    const created = await act(() => api(paths.create(type.name), { method: 'POST', body }), 'Job enqueued.');
    if (created) {
      replace(message, h('div', { class: 'notice ok' }, 'Enqueued ', link(['queues', created.queue, 'jobs', created.id], `${created.name} ${created.id}`), '.'));
    }
  }, { ...perm, className: 'primary' });
  submit.id = 'enqueue-submit';
  replace(slot, h('section', { class: 'card', 'aria-labelledby': 'form-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'form-title' }, type.name), h('span', { class: 'muted' }, `queue ${type.queue}`)),
    h('form', { id: 'enqueue-form', onsubmit: (e) => { e.preventDefault(); submit.click(); } },
      h('h3', { class: 'muted' }, 'Arguments'),
      form.element,
      h('h3', { class: 'muted' }, 'Options'),
      h('div', { class: 'filters' },
        h('div', { class: 'field' }, h('label', { for: 'opt-priority' }, 'Priority'), priority),
        h('div', { class: 'field' }, h('label', { for: 'opt-delay' }, 'Delay ', h('span', { class: 'hint' }, 'seconds')), delay),
        h('div', { class: 'field' }, h('label', { for: 'opt-key' }, 'Idempotency key ', h('span', { class: 'hint' }, 'optional')), key)),
      message,
      h('div', { class: 'actions' }, submit))));
}

function secondsToSpan(total) {
  const days = Math.floor(total / 86400);
  const pad = (n) => String(n).padStart(2, '0');
  const rest = total % 86400;
  return `${days}.${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
}
