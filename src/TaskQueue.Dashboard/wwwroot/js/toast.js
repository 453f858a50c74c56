// Short confirmations and errors after an action, announced to screen readers (the container is aria-live).
import { h } from './dom.js';

export function toast(message, kind = 'ok') {
  const host = document.getElementById('toasts');
  if (!host) return;
  const note = h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  host.append(note);
  setTimeout(() => note.remove(), kind === 'error' ? 8000 : 4000);
}

/** Runs an action, then shows what happened (the API's problem detail on failure). */
export async function act(action, success) {
  try {
    const result = await action();
    toast(typeof success === 'function' ? success(result) : success);
    return result;
  } catch (error) {
    toast(error.message, 'error');
    return undefined;
  }
}
