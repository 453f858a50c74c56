// The dashboard shell: sign-in, header and navigation, theme toggle and a hash router that mounts one page at a time.
import { h, replace } from './dom.js';
import { session, signIn, signOut, onUnauthorized } from './api.js';
import { onPollState } from './poll.js';
import { toggleTheme, themeLabel } from './theme.js';
import { showSignIn } from './pages/signin.js';
import * as overview from './pages/overview.js';
import * as queue from './pages/queue.js';
import * as job from './pages/job.js';
import * as deadLetters from './pages/dead-letters.js';
import * as workers from './pages/workers.js';
import * as schedules from './pages/schedules.js';
import * as enqueue from './pages/enqueue.js';

const root = document.getElementById('app');
let current = null; // the mounted page's dispose function

// Routes: first path segment -> page. Each page module exports mount(main, params, query) returning dispose().
const routes = [
  { match: (s) => s.length === 0, page: overview, nav: 'overview' },
  { match: (s) => s[0] === 'queues' && s.length === 2, page: queue, params: (s) => ({ queue: s[1] }), nav: 'overview' },
  { match: (s) => s[0] === 'queues' && s[2] === 'jobs' && s.length === 4, page: job, params: (s) => ({ queue: s[1], id: s[3] }), nav: 'overview' },
  { match: (s) => s[0] === 'dead-letters' && s.length <= 2, page: deadLetters, params: (s) => ({ queue: s[1] }), nav: 'dead-letters' },
  { match: (s) => s[0] === 'workers', page: workers, nav: 'workers' },
  { match: (s) => s[0] === 'schedules' && s.length === 1, page: schedules, nav: 'schedules' },
  { match: (s) => s[0] === 'enqueue' && s.length <= 2, page: enqueue, params: (s) => ({ name: s[1] }), nav: 'enqueue' },
];

function parseHash() {
  const [path, search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { segments, query: new URLSearchParams(search) };
}

function shell() {
  const live = h('span', { class: 'live', 'data-state': 'live', role: 'status' }, 'Live');
  onPollState((state) => {
    live.dataset.state = state;
    live.textContent = state === 'live' ? 'Live' : state === 'paused' ? 'Paused' : 'Cannot refresh';
  });
  const themeButton = h('button', { type: 'button', class: 'icon', id: 'theme-toggle' });
  const setThemeLabel = () => {
    const label = themeLabel();
    themeButton.textContent = label.icon;
    themeButton.title = label.text;
    themeButton.setAttribute('aria-label', label.text);
  };
  themeButton.addEventListener('click', () => { toggleTheme(); setThemeLabel(); });
  setThemeLabel();
  const navLink = (id, href, text) => h('a', { href, 'data-nav': id }, text);
  const main = h('main', { id: 'main', tabindex: '-1' });
  const header = h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: '#/' }, h('img', { src: 'assets/favicon.svg', alt: '' }), h('span', null, 'TaskQueue')),
    h('nav', { class: 'nav', 'aria-label': 'Dashboard' },
      navLink('overview', '#/', 'Overview'),
      navLink('dead-letters', '#/dead-letters', 'Dead letters'),
      navLink('schedules', '#/schedules', 'Schedules'),
      navLink('workers', '#/workers', 'Workers'),
      navLink('enqueue', '#/enqueue', 'Enqueue')),
    h('div', { class: 'topbar-tools' },
      live,
      session.access?.canAct ? null : h('span', { class: 'badge', title: session.access?.readOnlyReason ?? '' }, 'Read-only'),
      themeButton,
      session.access?.via === 'key' ? h('button', { type: 'button', class: 'small', onclick: () => { signOut(); start(); } }, 'Sign out') : null));
  replace(root, header, main, h('div', { class: 'toasts', id: 'toasts', 'aria-live': 'polite' }));
  return main;
}

function render() {
  if (!session.access) return;
  const main = document.getElementById('main') ?? shell();
  const { segments, query } = parseHash();
  const route = routes.find(r => r.match(segments));
  current?.();
  current = null;
  document.querySelectorAll('.nav a').forEach(a => (a.dataset.nav === route?.nav ? a.setAttribute('aria-current', 'page') : a.removeAttribute('aria-current')));
  main.replaceChildren();
  if (!route) {
    main.append(h('h1', null, 'Not found'), h('p', null, h('a', { href: '#/' }, 'Back to the overview')));
    return;
  }
  current = route.page.mount(main, route.params?.(segments) ?? {}, query);
}

async function start() {
  current?.();
  current = null;
  root.replaceChildren();
  try {
    // A stored key, or the host's own sign-in (cookie policy) or open access: no sign-in screen then.
    await signIn(session.key);
  } catch (error) {
    root.setAttribute('aria-busy', 'false');
    showSignIn(root, error.status === 401 ? null : error, async (key) => {
      await signIn(key);
      start();
    });
    return;
  }
  root.setAttribute('aria-busy', 'false');
  shell();
  render();
  document.getElementById('main')?.focus({ preventScroll: true });
}

window.addEventListener('hashchange', () => {
  render();
  document.getElementById('main')?.focus({ preventScroll: true });
});
// A key revoked while the page is open: back to the sign-in screen.
onUnauthorized(() => {
  if (session.access) {
    signOut();
    start();
  }
});
start();
