// One job in full: state, arguments, progress, result, every attempt's error with its stack, and the actions
// its state allows (cancel, run now, requeue, delete).
import { h, link, replace, actionButton } from '../dom.js';
import { api, paths, permissions, ApiError } from '../api.js';
import { when, json, firstLine } from '../format.js';
import { poll } from '../poll.js';
import { act } from '../toast.js';

const FINISHED = new Set(['succeeded', 'dead', 'cancelled']);

export function mount(main, { queue, id }) {
  const body = h('div');
  main.append(h('div', { class: 'crumbs' }, link([], 'Overview'), ' / ', link(['queues', queue], queue), ' / job'), body);
  let finishedOnce = false;
  const poller = poll(async () => {
    let job;
    try {
      job = await api(paths.job(queue, id));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        replace(body, h('div', { class: 'page-head' }, h('h1', null, 'Job not found')),
          h('p', { class: 'muted' }, `No job ${id} in ${queue}: it was deleted, or its retention ended.`));
        poller.stop();
        return;
      }
      throw error;
    }
    render(body, job, () => poller.refresh());
    // A finished job no longer changes: one more refresh after it finishes, then stop polling.
    if (FINISHED.has(job.state)) {
      if (finishedOnce) poller.stop();
      finishedOnce = true;
    }
  });
  return () => poller.stop();
}

function stateName(job) {
  return job.state === 'scheduled' && job.attempt > 0 ? 'retrying' : job.state === 'active' ? 'running' : job.state;
}

function render(el, job, refresh) {
  const perm = permissions();
  const state = stateName(job);
  const actions = [];
  const post = (path, done) => () => act(() => api(path, { method: 'POST' }).then(refresh), done);
  if (['pending', 'scheduled', 'retrying', 'running'].includes(state)) {
    actions.push(actionButton('Cancel', post(paths.jobAction(job.queue, job.id, 'cancel'), 'Job cancelled.'), perm));
  }
  if (state === 'scheduled' || state === 'retrying') {
    actions.push(actionButton('Run now', post(paths.jobAction(job.queue, job.id, 'run-now'), 'Job is ready to run.'), { ...perm, className: 'primary' }));
  }
  if (state === 'dead') {
    actions.push(actionButton('Requeue', post(paths.deadLetterRequeue(job.queue, job.id), 'Job requeued.'), { ...perm, className: 'primary' }));
  }
  actions.push(actionButton('Delete', async () => {
    if (!confirm(`Delete job ${job.id}? This cannot be undone.`)) return;
    const deleted = await act(() => api(paths.job(job.queue, job.id), { method: 'DELETE' }), 'Job deleted.');
    if (deleted) location.hash = `#/queues/${encodeURIComponent(job.queue)}`;
  }, { ...perm, className: 'danger' }));

  const errors = job.errors.length ? [...job.errors].reverse() : job.lastError ? [{ attempt: job.attempt, failedAt: job.finishedAt, error: job.lastError }] : [];
  replace(el,
    h('div', { class: 'page-head' },
      h('h1', null, job.name), h('span', { class: `badge ${state}`, id: 'job-state' }, state),
      h('span', { class: 'spacer' }), h('div', { class: 'actions' }, actions)),
    h('section', { class: 'card' },
      h('dl', { class: 'details' },
        detail('Id', h('span', { class: 'mono' }, job.id)),
        detail('Queue', link(['queues', job.queue], job.queue)),
        detail('Priority', job.priority),
        detail('Attempt', `${job.attempt} of ${job.maxRetries + 1}`),
        detail('Enqueued', when(job.enqueuedAt)),
        job.dueAt ? detail('Due', when(job.dueAt)) : null,
        job.startedAt ? detail('Started', when(job.startedAt)) : null,
        job.finishedAt ? detail('Finished', when(job.finishedAt)) : null,
        job.workerId ? detail('Worker', h('span', { class: 'mono' }, job.workerId)) : null,
        job.idempotencyKey ? detail('Idempotency key', h('span', { class: 'mono' }, job.idempotencyKey)) : null,
        job.deferrals ? detail('Deferrals', String(job.deferrals)) : null),
      job.progress == null ? null : h('div', { class: 'field', id: 'job-progress' },
        h('label', { id: 'progress-label' }, `Progress ${Math.round(job.progress)} %`),
        progressBar(job.progress))),
    h('div', { class: 'grid two' },
      h('section', { class: 'card', 'aria-labelledby': 'arguments-title' },
        h('h2', { id: 'arguments-title' }, 'Arguments'),
        h('pre', { class: 'json', id: 'job-arguments' }, job.arguments == null ? '—' : json(job.arguments))),
      h('section', { class: 'card', 'aria-labelledby': 'result-title' },
        h('h2', { id: 'result-title' }, 'Result'),
        job.result == null ? h('p', { class: 'muted' }, job.state === 'succeeded' ? 'The job returned no result.' : FINISHED.has(job.state) ? `No result: the job ${state === 'dead' ? 'failed' : 'was cancelled'}.` : 'Not finished yet.') : h('pre', { class: 'json', id: 'job-result' }, json(job.result)))),
    h('section', { class: 'card', 'aria-labelledby': 'errors-title', id: 'job-errors' },
      h('h2', { id: 'errors-title' }, 'Attempts with errors'),
      errors.length ? errors.map((e, i) => h('details', { class: 'attempt', open: i === 0 },
        h('summary', null, h('strong', null, `Attempt ${e.attempt}`), h('span', { class: 'muted' }, when(e.failedAt)),
          h('span', { class: 'message' }, firstLine(e.error))),
        h('pre', { class: 'stack' }, e.error))) : h('p', { class: 'muted' }, 'No attempt has failed.')));
}

function detail(term, value) {
  return [h('div', null, h('dt', null, term), h('dd', null, value))];
}

function progressBar(percent) {
  const fill = h('span');
  fill.style.width = `${Math.max(0, Math.min(100, percent))}%`;
  return h('div', { class: 'progress', role: 'progressbar', 'aria-labelledby': 'progress-label', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(percent) }, fill);
}
