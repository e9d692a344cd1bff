// The liquidation ladder of the trader view: for each market the account holds, the venue's open
// interest that would be liquidated per price band around the oracle price
// (perp_getLiquidationLadder: sums over every account, the engine's LiquidationPrice rule), with
// the band that holds the account's own liquidation price marked. Refreshed at most every 2 s.
import { cell, fmtFixed, fmtInt } from './format.js';

const BANDS = 10;
const MIN_BAND_PPM = 10_000; // bands of at least 1 % of the oracle price …
const MAX_BAND_PPM = 100_000; // … and at most 10 %
const MIN_INTERVAL_MS = 2000;

const $ = (id) => document.getElementById(id);
const big = (v) => BigInt(String(v));

// Bands wide enough that the account's own liquidation price in the market falls inside the
// ladder (about the 8th band), 1 % to 10 % of the oracle price.
export function bandWidth(account, market, oracle) {
  let width = MIN_BAND_PPM;
  for (const p of account.positions) {
    if (p.market !== market || p.liquidationPrice === null || !oracle) {
      continue;
    }
    const liq = big(p.liquidationPrice);
    const o = big(oracle);
    const distance = liq > o ? liq - o : o - liq;
    const ppm = Number((distance * 1_000_000n) / o);
    width = Math.max(width, Math.ceil(ppm / (BANDS - 2)));
  }
  return Math.min(width, MAX_BAND_PPM);
}

export class LadderView {
  constructor(rpc) {
    this.rpc = rpc;
    this.ladders = new Map(); // market -> ladder
    this.lastFetch = 0;
    this.timer = null;
  }

  // Asks again (throttled) for the markets of the account's positions and renders.
  refresh(account) {
    this.account = account;
    if (this.timer !== null) {
      return;
    }
    const wait = Math.max(0, this.lastFetch + MIN_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => this.fetch(), wait);
  }

  async fetch() {
    this.timer = null;
    if (!this.rpc.connected()) {
      return;
    }
    this.lastFetch = Date.now();
    const a = this.account;
    const markets = a ? [...new Set(a.positions.map((p) => p.market))] : [];
    const next = new Map();
    for (const market of markets) {
      try {
        const bandPpm = bandWidth(a, market, this.rpc.oracle(market));
        next.set(
          market,
          await this.rpc.httpCall('perp_getLiquidationLadder', { market, bands: BANDS, bandPpm }),
        );
      } catch (e) {
        next.set(market, { error: e.message });
      }
    }
    this.ladders = next;
    this.render();
  }

  render() {
    const root = $('ladder');
    root.replaceChildren();
    const a = this.account;
    if (!a) {
      return;
    }
    for (const p of a.positions) {
      const l = this.ladders.get(p.market);
      const h = document.createElement('h3');
      const what = p.size > 0 ? 'long' : 'short';
      h.textContent =
        p.liquidationPrice === null
          ? `market ${p.market}: no price liquidates your ${what}`
          : `market ${p.market}: your ${what} is liquidated at ${fmtFixed(p.liquidationPrice)}`;
      root.append(h);
      if (!l) {
        continue;
      }
      if (l.error) {
        const e = document.createElement('div');
        e.className = 'error';
        e.textContent = l.error;
        root.append(e);
        continue;
      }
      const t = document.createElement('table');
      t.className = 'ladder';
      t.dataset.market = String(p.market);
      t.dataset.journalSeq = String(l.journalSeq);
      t.dataset.oracle = String(l.oraclePrice);
      t.dataset.bandPpm = String(l.bandPpm);
      t.dataset.longsBeyond = String(l.longs.beyond);
      t.dataset.longsNever = String(l.longs.never);
      t.dataset.shortsBeyond = String(l.shorts.beyond);
      t.dataset.shortsNever = String(l.shorts.never);
      t.innerHTML =
        '<thead><tr><th>side</th><th>band</th><th>liquidation price from</th><th>to</th><th>open interest liquidated</th><th></th></tr></thead>';
      const tbody = document.createElement('tbody');
      const liq = p.liquidationPrice === null ? null : big(p.liquidationPrice);
      const mineSide = p.size > 0 ? 'long' : 'short';
      let placed = liq === null ? 'never' : 'beyond';
      // shorts far to near above, then longs near to far below: prices fall down the table
      const rows = [
        ...l.shorts.bands.map((b, k) => ['short', k, b]).reverse(),
        ...l.longs.bands.map((b, k) => ['long', k, b]),
      ];
      for (const [side, k, b] of rows) {
        const tr = document.createElement('tr');
        tr.dataset.side = side;
        tr.dataset.band = String(k);
        tr.dataset.from = String(b.from);
        tr.dataset.to = String(b.to);
        tr.dataset.size = String(b.size);
        cell(tr, side, side === 'long' ? 'buy' : 'sell');
        const pct = (n) => ((n * Number(l.bandPpm)) / 10_000).toFixed(1);
        cell(tr, `${side === 'long' ? '−' : '+'}${pct(k)}–${pct(k + 1)} %`);
        cell(tr, fmtFixed(b.from));
        cell(tr, fmtFixed(b.to));
        cell(tr, fmtInt(b.size), 'size');
        let mine = false;
        if (liq !== null && side === mineSide) {
          const from = big(b.from);
          const to = big(b.to);
          const oracle = big(l.oraclePrice);
          mine =
            side === 'long'
              ? (from < liq && liq <= to) || (k === 0 && liq >= oracle)
              : (from <= liq && liq < to) || (k === 0 && liq < oracle);
        }
        cell(tr, mine ? '◀ your position' : '', 'mine');
        if (mine) {
          tr.dataset.mine = 'true';
          placed = 'band';
        }
        tbody.append(tr);
      }
      t.append(tbody);
      t.dataset.mine = placed; // where the account's own position is: band, beyond or never
      if (placed === 'beyond') {
        h.textContent += ' (past the last band: counted in "past the last band" below)';
      }
      const foot = document.createElement('caption');
      foot.textContent = `oracle ${fmtFixed(l.oraclePrice)}; past the last band: longs ${fmtInt(l.longs.beyond)}, shorts ${fmtInt(l.shorts.beyond)}; never liquidated: longs ${fmtInt(l.longs.never)}, shorts ${fmtInt(l.shorts.never)} (journal record ${l.journalSeq})`;
      t.append(foot);
      root.append(t);
    }
  }
}
