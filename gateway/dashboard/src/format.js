// Display helpers shared by the dashboard's views. Values on the wire are integers; 32.32 prices
// are divided by 2^32 for display only (the raw value stays in data-raw where a test reads it).

export const FIXED_ONE = 2 ** 32;

export const fmtFixed = (v) =>
  v === null || v === undefined ? '—' : (Number(v) / FIXED_ONE).toFixed(4);

export const fmtInt = (v) => (v === null || v === undefined ? '—' : Number(v).toLocaleString('en-US'));

// milliseconds as "1.2 s" / "3 min 4 s"
export function fmtMillis(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(Number(ms))) {
    return '—';
  }
  const v = Number(ms);
  if (v < 60_000) {
    return `${(v / 1000).toFixed(1)} s`;
  }
  return `${Math.floor(v / 60_000)} min ${Math.round((v % 60_000) / 1000)} s`;
}

export const fmtClock = (ms) =>
  ms === null || ms === undefined ? '—' : new Date(Number(ms)).toISOString().slice(11, 23);

export function cell(tr, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) {
    td.className = cls;
  }
  tr.append(td);
  return td;
}
