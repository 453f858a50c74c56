// A form built from a job's JSON Schema (as the generator emits it): one input per argument, read back into
// the arguments object. Objects, arrays and anything unusual are edited as JSON.
import { h } from './dom.js';

/** Returns { element, read() } where read() gives the arguments or throws an Error naming the bad field. */
export function schemaForm(schema, idPrefix) {
  const properties = Object.entries(schema?.properties ?? {});
  const required = new Set(schema?.required ?? []);
  const readers = [];
  const fields = properties.map(([name, property]) => {
    const id = `${idPrefix}-${name}`;
    const { input, read } = inputFor(id, property);
    readers.push([name, read]);
    return h('div', { class: input.type === 'checkbox' ? 'field inline' : 'field' },
      input.type === 'checkbox' ? input : null,
      h('label', { for: id }, name, required.has(name) ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null,
        ' ', h('span', { class: 'hint' }, describe(property))),
      input.type === 'checkbox' ? null : input);
  });
  return {
    element: h('div', null, fields.length ? fields : h('p', { class: 'muted' }, 'This job takes no arguments.')),
    read() {
      const args = {};
      for (const [name, read] of readers) {
        const value = read();
        if (value === undefined) {
          if (required.has(name)) throw new Error(`${name} is required.`);
          continue;
        }
        args[name] = value;
      }
      return args;
    },
  };
}

function types(property) {
  const t = property.type;
  return Array.isArray(t) ? t.filter(x => x !== 'null') : t ? [t] : [];
}

function describe(property) {
  const t = types(property);
  return [property.format ?? t.join(' | '), property.description].filter(Boolean).join(' · ');
}

function inputFor(id, property) {
  const [type] = types(property);
  if (Array.isArray(property.enum)) {
    const select = h('select', { id }, h('option', { value: '' }, '—'), property.enum.filter(v => v !== null).map(v => h('option', { value: JSON.stringify(v) }, String(v))));
    return { input: select, read: () => (select.value === '' ? undefined : JSON.parse(select.value)) };
  }
  if (type === 'boolean') {
    const box = h('input', { id, type: 'checkbox' });
    return { input: box, read: () => box.checked };
  }
  if (type === 'integer' || type === 'number') {
    const input = h('input', { id, type: 'number', step: type === 'integer' ? '1' : 'any', inputmode: type === 'integer' ? 'numeric' : 'decimal' });
    return { input, read: () => (input.value === '' ? undefined : Number(input.value)) };
  }
  if (type === 'string') {
    const input = h('input', { id, type: 'text', placeholder: placeholder(property.format), spellcheck: 'false' });
    return { input, read: () => (input.value === '' ? undefined : input.value) };
  }
  const area = h('textarea', { id, spellcheck: 'false', placeholder: type === 'array' ? '[ ]' : '{ }' });
  return {
    input: area,
    read: () => {
      if (area.value.trim() === '') return undefined;
      try { return JSON.parse(area.value); } catch { throw new Error(`${id.split('-').pop()} is not valid JSON.`); }
    },
  };
}

function placeholder(format) {
  return { 'date-time': '2026-01-31T09:00:00Z', date: '2026-01-31', uuid: '00000000-0000-0000-0000-000000000000', duration: '00:05:00' }[format] ?? '';
}
