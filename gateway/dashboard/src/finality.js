// Time to finality in the trader view: each of the account's recent fills (perp_getFills, then
// the account stream) with where its journal record stands in settlement — accepted → in batch n
// (SEALED / PROVING) → PROVEN → COMMITTED on L1 → FINAL — from perp_getSettlement, asked again
// whenever a batch changes (the operator view's batches stream) and every 2 s until final. Each
// state's time is the node's (perp_getBatches' times) where the page has the batch, else when the
// page first saw it; "soft" is accepted → in a batch and → proven, "hard" accepted → FINAL.
// The account's resting orders are listed too: a resting order changes nothing the state tree
// holds until it fills, so it has no settlement of its own.
import { cell, fmtClock, fmtInt, fmtMillis } from './format.js';

const SETTLEMENT_NOT_AVAILABLE = 5003;
const FILLS_SHOWN = 10;
const POLL_MS = 2000;
const ORDER = ['accepted', 'SEALED', 'PROVING', 'PROVEN', 'COMMITTED', 'FINAL'];

const $ = (id) => document.getElementById(id);

export class FinalityView {
  constructor(rpc, operator) {
    this.rpc = rpc;
    this.operator = operator;
    this.fills = new Map(); // "seq.index" -> {fill, seen: {state: ms}, status, batch}
    this.orders = [];
    this.settling = null;
    this.timer = null;
    operator.onChange(() => this.update());
  }

  // A new grant: the newest fills from the history, then the stream adds new ones.
  async load(grant) {
    this.fills.clear();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.update(), POLL_MS);
    const page = await this.rpc.httpCall('perp_getFills', {
      account: grant.account,
      auth: grant,
      limit: FILLS_SHOWN,
    });
    for (const f of page.fills.slice().reverse()) {
      this.add(f, null);
    }
    await this.update();
  }

  // From the account stream: its snapshot's open orders, its updates' fills.
  onAccount(p) {
    if (p.type === 'snapshot') {
      this.orders = p.openOrders ?? [];
    } else if (p.type === 'update') {
      for (const o of p.orders ?? []) {
        this.orders = this.orders.filter((x) => x.orderId !== o.orderId);
        if (o.status === 'OPEN' || o.status === 'PARKED') {
          this.orders.push(o);
        }
      }
      for (const f of p.fills ?? []) {
        this.add(f, Date.now());
      }
      this.update();
    }
    this.render();
  }

  add(f, seenAt) {
    const key = `${f.journalSeq}.${f.index}`;
    if (this.fills.has(key)) {
      return;
    }
    this.fills.set(key, { fill: f, seen: { accepted: seenAt }, status: 'accepted', batch: null });
    const keys = [...this.fills.keys()];
    for (const k of keys.slice(0, Math.max(0, keys.length - FILLS_SHOWN))) {
      this.fills.delete(k);
    }
  }

  async update() {
    if (this.updating || !this.rpc.connected()) {
      return;
    }
    this.updating = true;
    try {
      for (const e of this.fills.values()) {
        if (e.status === 'FINAL' || this.settling === false) {
          continue;
        }
        let s;
        try {
          s = await this.rpc.httpCall('perp_getSettlement', { journalSeq: e.fill.journalSeq });
        } catch (err) {
          if (err.code === SETTLEMENT_NOT_AVAILABLE) {
            this.settling = false;
          }
          continue;
        }
        this.settling = true;
        if (ORDER.indexOf(s.status) >= ORDER.indexOf(e.status) || s.status === 'paused') {
          e.status = s.status;
        }
        if (s.batch !== undefined) {
          e.batch = s.batch;
        }
        // every state up to the current one was reached by now, if not seen before
        // (stamped only for fills seen live: a fill from the history reached them earlier)
        const upTo = ORDER.indexOf(e.status);
        for (let i = 1; i <= upTo && e.seen.accepted !== null; i++) {
          e.seen[ORDER[i]] ??= Date.now();
        }
      }
    } finally {
      this.updating = false;
    }
    this.render();
  }

  // The time a state was reached: the node's batch time where known, else when seen here.
  timeOf(e, state) {
    if (state !== 'accepted' && e.batch !== null) {
      const b = this.operator.batches.get(e.batch);
      if (b?.times?.[state] !== undefined) {
        return b.times[state];
      }
    }
    return e.seen[state] ?? null;
  }

  render() {
    const tbody = $('finality').tBodies[0];
    tbody.replaceChildren();
    const entries = [...this.fills.values()].reverse();
    for (const e of entries) {
      const f = e.fill;
      const tr = document.createElement('tr');
      tr.dataset.seq = String(f.journalSeq);
      tr.dataset.status = e.status;
      if (e.batch !== null) {
        tr.dataset.batch = String(e.batch);
      }
      cell(tr, `${f.journalSeq}.${f.index}`);
      cell(tr, `${f.side} ${fmtInt(f.size)} @ ${fmtInt(f.price)} (market ${f.market})`, f.side === 'BUY' ? 'buy' : 'sell');
      let label;
      if (this.settling === false) {
        label = 'accepted (no settlement on this node)';
      } else if (e.status === 'accepted') {
        label = 'accepted';
      } else if (e.status === 'paused') {
        label = 'accepted; settlement paused before it';
      } else {
        label = `${e.status === 'SEALED' || e.status === 'PROVING' ? 'in batch' : e.status.toLowerCase()} ${e.batch}`;
      }
      cell(tr, label, 'state');
      const acc = this.timeOf(e, 'accepted');
      cell(tr, acc === null ? 'before this page' : fmtClock(acc), 'accepted');
      const since = (state) => {
        const t = this.timeOf(e, state);
        if (t === null) {
          return '—';
        }
        return acc === null ? fmtClock(t) : `${fmtClock(t)} (+${fmtMillis(t - acc)})`;
      };
      cell(tr, since('SEALED'), 'in-batch');
      cell(tr, since('PROVEN'), 'proven');
      cell(tr, since('COMMITTED'), 'committed');
      cell(tr, since('FINAL'), 'final');
      tbody.append(tr);
    }
    const ob = $('pending-orders').tBodies[0];
    ob.replaceChildren();
    for (const o of this.orders) {
      const tr = document.createElement('tr');
      tr.dataset.order = String(o.orderId);
      cell(tr, String(o.orderId));
      cell(tr, `${o.side} ${fmtInt(o.remaining)} / ${fmtInt(o.size)} @ ${fmtInt(o.price)} (market ${o.market})`, o.side === 'BUY' ? 'buy' : 'sell');
      cell(tr, 'resting: nothing to settle until it fills');
      ob.append(tr);
    }
  }
}
