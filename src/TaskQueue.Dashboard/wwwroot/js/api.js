// The dashboard's only way to the server: the HTTP API under ./api/v1, with the API key from sign-in in a header.
// A key in a header cannot be sent by another site's form or link, so key-authorized calls need no CSRF token;
// when the host signs people in with its own policy (cookies), unsafe calls carry the CSRF header the API asks for.

const KEY_HEADER = 'X-TaskQueue-Key';
const STORAGE_KEY = 'taskqueue.key';
const base = new URL('api/v1/', document.baseURI);

export const session = {
  key: sessionStorage.getItem(STORAGE_KEY),
  access: null, // { via, canAct, readOnlyReason, csrfRequired, csrfHeader }
};

/** An API call that did not succeed, with the problem details the API sent. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.status = status;
    this.problem = problem;
  }
}

const unauthorizedListeners = new Set();
export function onUnauthorized(listener) { unauthorizedListeners.add(listener); }

export async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (session.key) headers[KEY_HEADER] = session.key;
  if (method !== 'GET' && session.access?.csrfRequired) headers[session.access.csrfHeader] = '1';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(new URL(path, base), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
    signal,
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page): the status alone explains the failure.
    if (response.ok) throw new ApiError(response.status, { detail: 'The server answered with something other than JSON.' });
  }
  if (!response.ok) {
    if (response.status === 401) unauthorizedListeners.forEach(l => l());
    throw new ApiError(response.status, data);
  }
  return data;
}

/** Checks a key (or the host's sign-in when key is null) and keeps it for this tab only. */
export async function signIn(key) {
  session.key = key || null;
  try {
    session.access = await api('access');
  } catch (error) {
    session.key = null;
    session.access = null;
    throw error;
  }
  if (session.key) sessionStorage.setItem(STORAGE_KEY, session.key);
  return session.access;
}

export function signOut() {
  sessionStorage.removeItem(STORAGE_KEY);
  session.key = null;
  session.access = null;
}

/** What action buttons need to know: may the caller act, and if not, why. */
export function permissions() {
  return { canAct: !!session.access?.canAct, reason: session.access?.readOnlyReason || 'Read-only access.' };
}

const q = encodeURIComponent;
export const paths = {
  stats: () => 'stats',
  workers: () => 'workers',
  jobTypes: () => 'job-types',
  queue: (queue) => `queues/${q(queue)}`,
  pause: (queue) => `queues/${q(queue)}/pause`,
  resume: (queue) => `queues/${q(queue)}/resume`,
  jobs: (queue, state, offset, count) => `queues/${q(queue)}/jobs?state=${q(state)}&offset=${offset}&count=${count}`,
  job: (queue, id) => `queues/${q(queue)}/jobs/${q(id)}`,
  jobAction: (queue, id, action) => `queues/${q(queue)}/jobs/${q(id)}/${action}`,
  deadLetters: (queue, offset, count) => `queues/${q(queue)}/dead-letters?offset=${offset}&count=${count}`,
  deadLetter: (queue, id) => `queues/${q(queue)}/dead-letters/${q(id)}`,
  deadLetterRequeue: (queue, id) => `queues/${q(queue)}/dead-letters/${q(id)}/requeue`,
  deadLettersBulk: (queue, action) => `queues/${q(queue)}/dead-letters/${action}`,
  create: (name) => `job-types/${q(name)}/jobs`,
  schedules: () => 'schedules',
  schedule: (name) => `schedules/${q(name)}`,
  scheduleAction: (name, action) => `schedules/${q(name)}/${action}`,
};
