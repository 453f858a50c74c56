// Number and time formatting in the reader's locale.

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const rate = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export const count = (n) => integer.format(n ?? 0);
export const perSecond = (n) => rate.format(n ?? 0);

export function when(iso) {
  if (!iso) return '—';
  return dateTime.format(new Date(iso));
}

/** "3 min ago", "in 10 s". */
export function ago(iso) {
  if (!iso) return '—';
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(Math.round(seconds), 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86400), 'day');
}

/** A time element with the exact time as its tooltip and the relative time as its text. */
export function timeText(iso) {
  return iso ? { text: ago(iso), title: when(iso), datetime: iso } : { text: '—' };
}

/** The first line of a stored error ("System.TimeoutException: partner did not answer"). */
export function firstLine(error) {
  if (!error) return '';
  const line = String(error).split('\n', 1)[0];
  return line.length > 200 ? line.slice(0, 200) + '…' : line;
}

export function json(value) {
  return JSON.stringify(value, null, 2);
}
