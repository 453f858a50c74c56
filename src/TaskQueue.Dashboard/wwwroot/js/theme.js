// Theme toggle: follows the system until the operator picks one; the choice is kept in localStorage.
const KEY = 'taskqueue.theme';
const systemDark = () => matchMedia('(prefers-color-scheme: dark)').matches;

export function currentTheme() {
  return document.documentElement.dataset.theme || (systemDark() ? 'dark' : 'light');
}

export function toggleTheme() {
  const next = currentTheme() === 'dark' ? 'light' : 'dark';
  document.documentElement.dataset.theme = next;
  try { localStorage.setItem(KEY, next); } catch { /* not kept: fine */ }
}

export function themeLabel() {
  return currentTheme() === 'dark'
    ? { icon: '☀', text: 'Switch to the light theme' }
    : { icon: '☾', text: 'Switch to the dark theme' };
}
