// Sign-in: the API key is checked against the API and kept in sessionStorage (this tab only, gone when it closes).
import { h, replace } from '../dom.js';

export function showSignIn(root, error, submit) {
  const input = h('input', { id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'current-password', required: true, spellcheck: 'false' });
  const message = h('div', { role: 'alert' });
  if (error) message.append(h('div', { class: 'notice error' }, `The dashboard cannot reach the API: ${error.message}`));
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'card', 'aria-labelledby': 'signin-title' },
    h('img', { src: 'assets/favicon.svg', alt: '', width: 40, height: 40 }),
    h('h1', { id: 'signin-title' }, 'TaskQueue'),
    h('p', null, 'Sign in with an API key to see queues, jobs and workers.'),
    message,
    h('div', { class: 'field' },
      h('label', { for: 'api-key' }, 'API key'),
      input,
      h('div', { class: 'hint' }, 'Configured with AddTaskQueueDashboard(o => o.ApiKeys.Add(...)). Kept for this tab only.')),
    button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    replace(message);
    try {
      await submit(input.value.trim());
    } catch (failure) {
      const text = failure.status === 401 ? 'That API key was refused (401).' : failure.message;
      replace(message, h('div', { class: 'notice error' }, text));
      input.focus();
      input.select();
    } finally {
      button.disabled = false;
    }
  });
  replace(root, h('div', { class: 'signin' }, form));
  input.focus();
}
