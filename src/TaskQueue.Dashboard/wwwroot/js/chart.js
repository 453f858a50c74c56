// Throughput chart drawn as SVG: processed and failed jobs per second over the last samples.
import { h } from './dom.js';
import { perSecond } from './format.js';

const HEIGHT = 220;
const PAD = { top: 12, right: 12, bottom: 24, left: 44 };

/** maxWindowSeconds: the longest span shown; a shorter history is stretched over at least 10 s, so a new page has a readable line. */
export function throughputChart(maxWindowSeconds) {
  let windowSeconds = 30;
  const svg = h('svg:svg', { class: 'chart', role: 'img', 'aria-label': 'Processed and failed jobs per second' });
  const legendProcessed = h('strong', null, '0');
  const legendFailed = h('strong', null, '0');
  const span = h('span', { class: 'muted' });
  const legend = h('div', { class: 'legend', 'aria-live': 'off' },
    h('span', { class: 'processed' }, 'Processed/s ', legendProcessed),
    h('span', { class: 'failed' }, 'Failed/s ', legendFailed));
  let samples = [];

  const draw = () => {
    const width = Math.max(svg.clientWidth || svg.parentElement?.clientWidth || 600, 200);
    svg.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
    svg.replaceChildren();
    const innerW = width - PAD.left - PAD.right;
    const innerH = HEIGHT - PAD.top - PAD.bottom;
    const max = niceMax(Math.max(1, ...samples.map(s => Math.max(s.processed, s.failed))));
    const now = samples.length ? samples[samples.length - 1].t : Date.now();
    const x = (t) => PAD.left + innerW * (1 - (now - t) / (windowSeconds * 1000));
    const y = (v) => PAD.top + innerH * (1 - v / max);

    for (let i = 0; i <= 4; i++) {
      const value = (max * i) / 4;
      svg.append(h('svg:line', { class: 'grid-line', x1: PAD.left, x2: width - PAD.right, y1: y(value), y2: y(value) }));
      svg.append(h('svg:text', { class: 'axis-label', x: PAD.left - 8, y: y(value) + 4, 'text-anchor': 'end' }, axis.format(value)));
    }
    for (const secondsAgo of [windowSeconds, windowSeconds / 2, 0]) {
      svg.append(h('svg:text', { class: 'axis-label', x: x(now - secondsAgo * 1000), y: HEIGHT - 6,
        'text-anchor': secondsAgo === 0 ? 'end' : secondsAgo === windowSeconds ? 'start' : 'middle' },
        secondsAgo === 0 ? 'now' : `${ago(secondsAgo)} ago`));
    }
    if (samples.length < 2) return;
    const line = (key) => samples.map((s, i) => `${i ? 'L' : 'M'}${x(s.t).toFixed(1)},${y(s[key]).toFixed(1)}`).join('');
    const processed = line('processed');
    const area = `${processed}L${x(samples[samples.length - 1].t).toFixed(1)},${y(0)}L${x(samples[0].t).toFixed(1)},${y(0)}Z`;
    svg.append(h('svg:path', { class: 'processed-area', d: area }));
    svg.append(h('svg:path', { class: 'processed', d: processed }));
    svg.append(h('svg:path', { class: 'failed', d: line('failed') }));
  };

  const resize = new ResizeObserver(draw);
  resize.observe(svg);
  return {
    element: h('div', null, legend, svg),
    /** "last 45 s": the span the chart shows now, for its heading. */
    span,
    update(next) {
      samples = next.filter(s => Date.now() - s.t <= maxWindowSeconds * 1000);
      const history = samples.length ? (Date.now() - samples[0].t) / 1000 : 0;
      windowSeconds = Math.min(maxWindowSeconds, Math.max(10, Math.ceil(history)));
      span.textContent = `jobs per second, last ${ago(windowSeconds)}`;
      const last = samples[samples.length - 1];
      legendProcessed.textContent = perSecond(last?.processed ?? 0);
      legendFailed.textContent = perSecond(last?.failed ?? 0);
      draw();
    },
    dispose() { resize.disconnect(); },
  };
}

const axis = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

function ago(seconds) {
  return seconds < 60 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 6) / 10} min`;
}

/** 1, 2, 5 × 10^n at or above value, so the axis reads in round numbers. */
function niceMax(value) {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}
