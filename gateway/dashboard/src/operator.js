// The operator view: the settlement's batches (perp_getBatches, then live through the `batches`
// stream; each with its L1 transaction and the gas its commit used), the settlement's gauges from
// the node's /metrics (prover lag, queue depths, L1), the oracle's freshness per market (the
// markets stream) and the insurance fund (perp_getAccount of account 2^24 − 1, public). A node
// without settlement (the demo node, perp_getBatches answers SETTLEMENT_NOT_AVAILABLE) shows "no
// settlement on this node" and still shows oracle and fund.
import { cell, fmtClock, fmtInt, fmtMillis } from './format.js';

const SETTLEMENT_NOT_AVAILABLE = 5003;
const INSURANCE_FUND = 2 ** 24 - 1;
const BATCHES_SHOWN = 20;
const POLL_MS = 2000;
const STATUSES = ['SEALED', 'PROVING', 'PROVEN', 'COMMITTED', 'FINAL', 'FAILED'];

const $ = (id) => document.getElementById(id);

// Prometheus text → {name or name{labels}: number}
export function parseMetrics(text) {
  const out = {};
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const i = line.lastIndexOf(' ');
    out[line.slice(0, i)] = Number(line.slice(i + 1));
  }
  return out;
}

export class OperatorView {
  // rpc: {httpCall(method, params), subscribe(params, handler)}; markets(): the market rows
  constructor(rpc, markets) {
    this.rpc = rpc;
    this.markets = markets;
    this.batches = new Map(); // batch number -> batch (perp_getBatches fields, times merged)
    this.settling = null; // unknown until perp_getBatches answers
    this.metrics = null;
    this.fund = null;
    this.listeners = [];
    this.timer = null;
    this.refreshing = null;
  }

  // Calls back after every batch change (the trader view's finality follows the batches).
  onChange(listener) {
    this.listeners.push(listener);
  }

  // On every (re)connect: the newest batches, then the stream; starts polling the gauges.
  async start() {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.poll(), POLL_MS);
    this.poll();
    let page;
    try {
      page = await this.rpc.httpCall('perp_getBatches', { limit: BATCHES_SHOWN });
    } catch (e) {
      if (e.code === SETTLEMENT_NOT_AVAILABLE) {
        this.settling = false;
        this.render();
        return;
      }
      throw e;
    }
    this.settling = true;
    for (const b of page.batches) {
      this.upsert(b, false);
    }
    await this.rpc.subscribe({ channel: 'batches' }, (p) => this.onStream(p));
    this.render();
  }

  onStream(p) {
    if (p.type === 'snapshot') {
      p.batches.forEach((b) => this.upsert(b, false));
    } else if (p.type === 'update') {
      this.upsert(p, true);
    }
    if ([...this.batches.values()].some((b) => b.newStateRoot === undefined)) {
      this.refreshSoon(); // the stream carries no roots nor the node's times
    }
    this.render();
  }

  // perp_getBatches again, at most once a second: roots and the node's own times.
  refreshSoon() {
    if (this.refreshing) {
      return;
    }
    this.refreshing = setTimeout(async () => {
      try {
        if (this.rpc.connected()) {
          const page = await this.rpc.httpCall('perp_getBatches', { limit: BATCHES_SHOWN });
          page.batches.forEach((b) => this.upsert(b, false));
          this.render();
        }
      } catch (e) {
        console.warn('perp_getBatches', e);
      } finally {
        this.refreshing = null;
      }
    }, 1000);
  }

  // Merges a batch; a status first seen on the stream is stamped with the time it arrived here
  // (the node's own times, from perp_getBatches, are kept where present).
  upsert(b, live) {
    const old = this.batches.get(b.batch);
    const times = { ...(old?.times ?? {}), ...(b.times ?? {}) };
    if (live && times[b.status] === undefined) {
      times[b.status] = Date.now();
    }
    const merged = { ...(old ?? {}), ...b, times };
    if (old && STATUSES.indexOf(old.status) > STATUSES.indexOf(b.status)) {
      // an answer older than what the stream already brought: keep the newer state
      merged.status = old.status;
      merged.l1TxHash = old.l1TxHash;
      merged.l1Block = old.l1Block;
      merged.l1GasUsed = old.l1GasUsed;
    }
    delete merged.subscription;
    delete merged.channel;
    delete merged.type;
    delete merged.sequence;
    if (merged.proofMillis === undefined && times.PROVING !== undefined && times.PROVEN !== undefined) {
      merged.proofMillis = times.PROVEN - times.PROVING;
    }
    this.batches.set(b.batch, merged);
    const numbers = [...this.batches.keys()].sort((x, y) => y - x);
    for (const n of numbers.slice(5 * BATCHES_SHOWN)) {
      this.batches.delete(n);
    }
    this.listeners.forEach((l) => l());
  }

  // The batch holding journal record `seq`: the first whose range ends at or after it.
  batchOf(seq) {
    let best = null;
    for (const b of this.batches.values()) {
      if (b.lastJournalSeq >= seq && (best === null || b.batch < best.batch)) {
        best = b;
      }
    }
    return best;
  }

  async poll() {
    if (!this.rpc.connected()) {
      return;
    }
    try {
      const r = await fetch('/metrics');
      this.metrics = r.ok ? parseMetrics(await r.text()) : null;
    } catch {
      this.metrics = null;
    }
    try {
      this.fund = await this.rpc.httpCall('perp_getAccount', { account: INSURANCE_FUND });
    } catch {
      this.fund = null;
    }
    this.render();
  }

  render() {
    const status = $('op-status');
    status.dataset.settling = String(this.settling);
    status.textContent =
      this.settling === false
        ? 'no settlement on this node'
        : this.settling
          ? 'settling'
          : 'asking the node…';
    this.renderGauges();
    this.renderOracles();
    this.renderBatches(); // after the gauges: confirmations use the L1 head
  }

  renderGauges() {
    const m = this.metrics ?? {};
    const g = (k) => (m[k] === undefined ? null : m[k]);
    const rows = [];
    if (this.settling) {
      rows.push(['prover lag', g('prover_lag_seconds') === null ? '—' : `${g('prover_lag_seconds').toFixed(1)} s`, 'lag']);
      rows.push(['records waiting', fmtInt(g('settlement_records_waiting')), 'waiting']);
      for (const s of STATUSES) {
        rows.push([`batches ${s}`, fmtInt(g(`settlement_batches{status="${s}"}`)), `batches-${s}`]);
      }
      rows.push(['proof jobs in flight', fmtInt(g('prover_jobs_in_flight')), 'jobs']);
      const paused = g('settlement_paused');
      rows.push([
        'settlement',
        paused === 1 ? `paused at journal record ${fmtInt(g('settlement_paused_at_journal_seq'))}` : 'running',
        'paused',
      ]);
      if (g('l1_last_batch') === null) {
        rows.push(['L1', 'no L1 endpoint: nothing is settled on L1', 'l1']);
      } else {
        rows.push(['last batch on L1', fmtInt(g('l1_last_batch')), 'l1-batch']);
        rows.push(['L1 head (submitter)', fmtInt(g('l1_head_block')), 'l1-head-block']);
        rows.push(['L1 safe head (watcher)', fmtInt(g('l1_watcher_safe_head_block')), 'l1-head']);
        rows.push(['L1 gas spent', fmtInt(g('l1_gas_spent')), 'l1-gas']);
      }
    }
    rows.push([
      'insurance fund',
      this.fund ? `${fmtInt(this.fund.collateral)} collateral, equity ${fmtInt(this.fund.equity ?? this.fund.collateral)}` : '—',
      'fund',
    ]);
    const tbody = $('op-gauges').tBodies[0];
    tbody.replaceChildren();
    for (const [k, v, key] of rows) {
      const tr = document.createElement('tr');
      tr.dataset.key = key;
      const th = document.createElement('th');
      th.textContent = k;
      tr.append(th);
      cell(tr, v, 'value');
      tbody.append(tr);
    }
    if (this.fund) {
      tbody.querySelector('tr[data-key="fund"] td').dataset.raw = String(this.fund.collateral);
    }
  }

  renderOracles() {
    const tbody = $('op-oracles').tBodies[0];
    tbody.replaceChildren();
    const nowS = Date.now() / 1000;
    for (const r of [...this.markets().values()].sort((a, b) => a.market - b.market)) {
      const tr = document.createElement('tr');
      tr.dataset.market = String(r.market);
      cell(tr, String(r.market));
      cell(tr, r.oracleTimestamp ? `${Math.max(0, nowS - r.oracleTimestamp).toFixed(0)} s` : '—', 'age');
      cell(tr, r.priceSeenAt ? fmtMillis(Date.now() - r.priceSeenAt) : '—', 'seen');
      tbody.append(tr);
    }
  }

  renderBatches() {
    const tbody = $('op-batches').tBodies[0];
    tbody.replaceChildren();
    const list = [...this.batches.values()].sort((a, b) => b.batch - a.batch).slice(0, BATCHES_SHOWN);
    for (const b of list) {
      const tr = document.createElement('tr');
      tr.dataset.batch = String(b.batch);
      tr.dataset.status = b.status;
      cell(tr, String(b.batch));
      cell(tr, b.status, `status ${b.status}`);
      cell(tr, fmtInt(b.transactions));
      cell(tr, `${b.firstJournalSeq}–${b.lastJournalSeq}`);
      const root = cell(tr, b.newStateRoot ? `${b.newStateRoot.slice(0, 10)}…` : '—', 'root');
      root.title = b.newStateRoot ?? '';
      cell(tr, fmtMillis(b.proofMillis), 'proof');
      const tx = cell(tr, b.l1TxHash ? `${b.l1TxHash.slice(0, 10)}… @${b.l1Block}` : '—', 'l1');
      tx.title = b.l1TxHash ?? '';
      // the commit's gas (its receipt), where this node sent the commit
      const gas = cell(tr, b.l1GasUsed === undefined ? '—' : fmtInt(b.l1GasUsed), 'gas');
      if (b.l1GasUsed !== undefined) {
        gas.dataset.raw = String(b.l1GasUsed);
      }
      // confirmations: the L1 head the node's submitter last read − the commit's block
      const head = this.metrics?.l1_head_block;
      const conf = cell(
        tr,
        b.l1Block !== undefined && head !== undefined && head >= b.l1Block ? fmtInt(head - b.l1Block) : '—',
        'conf',
      );
      if (conf.textContent !== '—') {
        conf.dataset.raw = String(head - b.l1Block);
      }
      cell(tr, fmtClock(b.times?.[b.status]), 'since');
      tbody.append(tr);
    }
    $('op-empty').textContent =
      this.settling && list.length === 0 ? 'no batch yet (the settlement seals one when records arrive)' : '';
  }
}
