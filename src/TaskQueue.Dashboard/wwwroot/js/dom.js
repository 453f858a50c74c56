// Builds DOM nodes. Text is always set as text (never parsed as HTML), so data from the API cannot inject markup.

/** h('a', { href: '#/x', class: 'y', onclick: fn }, 'text', child) */
export function h(tag, props, ...children) {
  const el = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value' || key === 'checked' || key === 'indeterminate') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A hash link inside the dashboard; every path segment is URI-encoded. */
export function link(segments, text, props = {}) {
  return h('a', { href: route(segments), ...props }, text);
}

export function route(segments, query) {
  const path = '#/' + segments.map(s => encodeURIComponent(String(s))).join('/');
  const search = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString() : '';
  return search ? `${path}?${search}` : path;
}

/** An action button; disabled with an explanatory tooltip when the caller may not act. */
export function actionButton(text, onClick, { canAct, reason, className = '', label } = {}) {
  const button = h('button', { type: 'button', class: className, 'aria-label': label }, text);
  if (!canAct) {
    button.disabled = true;
    button.title = reason || 'You may not act with this key.';
  } else {
    button.addEventListener('click', async () => {
      button.disabled = true;
      try { await onClick(); } finally { button.disabled = false; }
    });
  }
  return button;
}
