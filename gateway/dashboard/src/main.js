// The zkperp dashboard: market view and read-only trader view, live over the node's WebSocket
// JSON-RPC streams (channels markets, book, trades, account; gateway/README.md "Methods").
//
// State is rebuilt from snapshots: after a disconnect (node restart) or a sequence gap the page
// subscribes again and replaces its state with the new snapshots, as the gateway's resubscribe
// rules say. Everything is integers on the wire; prices of orders and fills are quote quanta per
// synthetic quantum, oracle and liquidation prices are 32.32 fixed point (divided by 2^32 here
// for display only; the raw value is kept in data-raw).
import { CandlestickSeries, createChart } from 'lightweight-charts';
import { cell, fmtFixed, fmtInt } from './format.js';
import { FinalityView } from './finality.js';
import { LadderView } from './ladder.js';
import { OperatorView } from './operator.js';
const CANDLE_SECONDS = 60;
const MAX_TRADES = 50;
const BOOK_DEPTH_SHOWN = 15;

const $ = (id) => document.getElementById(id);

const state = {
  ws: null,
  nextId: 1,
  pending: new Map(), // id -> {resolve, reject}
  subs: new Map(), // subscription id -> channel handler
  market: null,
  markets: new Map(), // market -> {market, oraclePrice, fundingIndex, ratePpm, sequence}
  book: null, // {market, sequence, bids: Map, asks: Map}
  trades: [],
  candles: new Map(), // time -> {time, open, high, low, close}
  candleSource: null,
  grant: null,
  account: null,
  retryMs: 250,
  firstRender: false,
};

// ---------- JSON-RPC over HTTP (same origin) and WebSocket ----------

// JSON numbers beyond 2^53 would lose digits as doubles: such integers are read as BigInt from
// their source text where the browser gives it (JSON.parse source text access), so a 32.32
// liquidation price is kept exact in data-raw.
function parseJson(text) {
  return JSON.parse(text, (k, v, ctx) =>
    typeof v === 'number' && !Number.isSafeInteger(v) && ctx?.source && /^-?\d+$/.test(ctx.source)
      ? BigInt(ctx.source)
      : v,
  );
}

async function httpCall(method, params) {
  const r = await fetch('/', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = parseJson(await r.text());
  if (body.error) {
    const e = new Error(body.error.message);
    e.code = body.error.code;
    throw e;
  }
  return body.result;
}

function wsCall(method, params) {
  const ws = state.ws;
  if (!ws || ws.readyState !== WebSocket.OPEN) {
    return Promise.reject(new Error('not connected'));
  }
  const id = state.nextId++;
  return new Promise((resolve, reject) => {
    state.pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  });
}

function setConn(s, text) {
  const el = $('conn');
  el.dataset.state = s;
  el.textContent = text ?? s;
}

function connect() {
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
  const ws = new WebSocket(url);
  state.ws = ws;
  ws.onopen = () => {
    state.retryMs = 250;
    subscribeAll().then(
      () => setConn('live'),
      (e) => {
        console.warn('subscribe failed', e);
        ws.close();
      },
    );
  };
  ws.onmessage = (ev) => onMessage(parseJson(ev.data));
  ws.onclose = () => {
    if (state.ws !== ws) {
      return;
    }
    state.ws = null;
    for (const p of state.pending.values()) {
      p.reject(new Error('disconnected'));
    }
    state.pending.clear();
    state.subs.clear();
    setConn('reconnecting');
    setTimeout(connect, state.retryMs);
    state.retryMs = Math.min(state.retryMs * 2, 4000);
  };
}

function onMessage(m) {
  if (Array.isArray(m)) {
    m.forEach(onMessage);
    return;
  }
  if (m.method === 'perp_subscription') {
    const h = state.subs.get(m.params.subscription);
    if (h) {
      h(m.params);
    }
    return;
  }
  const p = state.pending.get(m.id);
  if (p) {
    state.pending.delete(m.id);
    if (m.error) {
      const e = new Error(m.error.message);
      e.code = m.error.code;
      p.reject(e);
    } else {
      p.resolve(m.result);
    }
  }
}

async function subscribe(params, handler) {
  const id = await wsCall('perp_subscribe', params);
  state.subs.set(id, handler);
  return id;
}

async function resubscribe(oldId, params, handler) {
  state.subs.delete(oldId);
  wsCall('perp_unsubscribe', { subscription: oldId }).catch(() => {});
  return subscribe(params, handler);
}

// ---------- subscriptions ----------

async function subscribeAll() {
  if (state.markets.size === 0 || state.market === null) {
    await loadMarkets();
  }
  await subscribe({ channel: 'markets' }, onMarkets);
  await subscribeBook();
  await subscribe({ channel: 'trades', market: state.market }, onTrade);
  if (state.grant) {
    await subscribeAccount();
  }
  await operator.start();
}

async function loadMarkets() {
  const list = await httpCall('perp_getMarkets', {});
  const sel = $('market');
  sel.replaceChildren();
  for (const m of list) {
    const o = document.createElement('option');
    o.value = String(m.market);
    o.textContent = `market ${m.market} (tick ${m.tickSize}, step ${m.stepSize})`;
    sel.append(o);
  }
  if (state.market === null && list.length > 0) {
    state.market = list[0].market;
  }
  sel.value = String(state.market);
  // the latest funding rate of each market (the markets stream carries the later ones)
  for (const m of list) {
    try {
      const h = await httpCall('perp_getFundingHistory', { market: m.market, limit: 1 });
      const t = h.ticks[0];
      if (t && t.ratePpm !== undefined) {
        marketRow(m.market).ratePpm = t.ratePpm;
      }
    } catch (e) {
      console.warn('funding history', e);
    }
  }
  await loadCandles();
}

function marketRow(market) {
  let r = state.markets.get(market);
  if (!r) {
    r = { market, oraclePrice: null, fundingIndex: null, ratePpm: null, sequence: null };
    state.markets.set(market, r);
  }
  return r;
}

function onMarkets(p) {
  if (p.type === 'snapshot') {
    for (const m of p.markets) {
      Object.assign(marketRow(m.market), {
        oraclePrice: m.oraclePrice,
        oracleTimestamp: m.oracleTimestamp,
        fundingIndex: m.fundingIndex,
        sequence: m.sequence,
      });
    }
  } else if (p.type === 'price') {
    Object.assign(marketRow(p.market), {
      oraclePrice: p.oraclePrice,
      oracleTimestamp: p.timestamp,
      priceSeenAt: Date.now(),
      sequence: p.sequence,
    });
  } else if (p.type === 'funding') {
    const r = marketRow(p.market);
    r.fundingIndex = p.fundingIndex;
    r.sequence = p.sequence;
    if (p.ratePpm !== undefined) {
      r.ratePpm = p.ratePpm;
    }
  }
  renderMarkets();
  renderPositions();
  operator.renderOracles();
  if (state.account && p.type === 'price') {
    ladder.refresh(state.account);
  }
}

async function subscribeBook() {
  const market = state.market;
  const handler = (p) => onBook(p, handler);
  state.book = null;
  state.bookSub = await subscribe({ channel: 'book', market }, handler);
}

function onBook(p, handler) {
  if (p.type === 'snapshot') {
    const toMap = (levels) => new Map(levels.map((l) => [l.price, l]));
    state.book = {
      market: p.market,
      sequence: p.sequence,
      bids: toMap(p.bids),
      asks: toMap(p.asks),
    };
  } else if (p.type === 'delta') {
    const b = state.book;
    if (!b || p.sequence !== b.sequence + 1) {
      // a gap: the local book is stale; start again from a new snapshot
      state.book = null;
      resubscribe(state.bookSub, { channel: 'book', market: state.market }, handler).then(
        (id) => (state.bookSub = id),
      );
      return;
    }
    b.sequence = p.sequence;
    for (const c of p.changes) {
      const side = c.side === 'BUY' ? b.bids : b.asks;
      if (c.size === 0) {
        side.delete(c.price);
      } else {
        side.set(c.price, { price: c.price, size: c.size, orders: c.orders });
      }
    }
  }
  renderBook();
}

function onTrade(p) {
  if (p.type !== 'trade') {
    return;
  }
  state.trades.unshift(p);
  state.trades.length = Math.min(state.trades.length, MAX_TRADES);
  renderTrades();
  if (state.candleSource === 'trades') {
    addTradeToCandle(p.price, Math.floor(Date.now() / 1000));
  }
}

async function subscribeAccount() {
  const g = state.grant;
  await subscribe({ channel: 'account', account: g.account, auth: g }, (p) => {
    if (p.type === 'snapshot' || p.type === 'update') {
      state.account = p;
      renderPositions();
      ladder.refresh(p);
      finality.onAccount(p);
    } else if (p.type === 'end') {
      $('grant-error').textContent = `the grant expired (${p.reason}); paste a new one`;
    }
  });
}

// ---------- candles ----------

let chart = null;
let series = null;

function ensureChart() {
  if (chart) {
    return;
  }
  const el = $('chart');
  chart = createChart(el, {
    autoSize: true,
    layout: { background: { color: '#171a21' }, textColor: '#8a909c' },
    grid: { vertLines: { color: '#1f232b' }, horzLines: { color: '#1f232b' } },
    timeScale: { timeVisible: true, secondsVisible: false },
  });
  series = chart.addSeries(CandlestickSeries, {
    upColor: '#2fbf71',
    downColor: '#e5534b',
    borderVisible: false,
    wickUpColor: '#2fbf71',
    wickDownColor: '#e5534b',
  });
}

// Candles come from the node's perp_getCandles where the node has it; otherwise the page builds
// 1-minute candles from the trades stream, stamped with the time each trade arrived here.
async function loadCandles() {
  ensureChart();
  state.candles.clear();
  try {
    const r = await httpCall('perp_getCandles', { market: state.market, interval: '1m' });
    const list = Array.isArray(r) ? r : r?.candles;
    if (!Array.isArray(list)) {
      throw new Error('unexpected perp_getCandles result');
    }
    const data = list
      .map((c) => ({
        time: Number(c.time ?? c.openTime ?? c.start),
        open: c.open,
        high: c.high,
        low: c.low,
        close: c.close,
      }))
      .filter((c) => Number.isFinite(c.time))
      .sort((a, b) => a.time - b.time);
    series.setData(data);
    state.candleSource = 'node';
    $('candle-source').textContent = '1 m candles from the node (perp_getCandles)';
  } catch {
    series.setData([]);
    state.candleSource = 'trades';
    $('candle-source').textContent = '1 m candles built on this page from the trades stream';
  }
}

function addTradeToCandle(price, nowSeconds) {
  const time = nowSeconds - (nowSeconds % CANDLE_SECONDS);
  let c = state.candles.get(time);
  if (!c) {
    c = { time, open: price, high: price, low: price, close: price };
    state.candles.set(time, c);
  } else {
    c.high = Math.max(c.high, price);
    c.low = Math.min(c.low, price);
    c.close = price;
  }
  series.update({ ...c });
}

// ---------- rendering ----------


function renderMarkets() {
  const tbody = $('markets').tBodies[0];
  tbody.replaceChildren();
  for (const m of [...state.markets.values()].sort((a, b) => a.market - b.market)) {
    const tr = document.createElement('tr');
    tr.dataset.market = String(m.market);
    cell(tr, String(m.market));
    cell(tr, fmtFixed(m.oraclePrice), 'oracle').dataset.raw = String(m.oraclePrice);
    cell(tr, m.ratePpm === null ? '—' : `${(m.ratePpm / 10_000).toFixed(4)} %`, 'rate');
    cell(tr, fmtFixed(m.fundingIndex), 'index');
    cell(tr, fmtInt(m.sequence));
    tbody.append(tr);
  }
  markFirstRender();
}

// A book level's row, its price and size in data attributes, its cells in the given order (the
// bid side reads orders, size, price; the ask side mirrors it).
function levelRow(l, cells) {
  const tr = document.createElement('tr');
  tr.dataset.price = String(l.price);
  tr.dataset.size = String(l.size);
  for (const text of cells) {
    cell(tr, text);
  }
  return tr;
}

function renderBook() {
  const b = state.book;
  const bids = $('bids').tBodies[0];
  const asks = $('asks').tBodies[0];
  bids.replaceChildren();
  asks.replaceChildren();
  if (!b) {
    return;
  }
  $('book-seq').textContent = `market ${b.market}, sequence ${b.sequence}`;
  const bidLevels = [...b.bids.values()].sort((x, y) => y.price - x.price);
  const askLevels = [...b.asks.values()].sort((x, y) => x.price - y.price);
  for (const l of bidLevels.slice(0, BOOK_DEPTH_SHOWN)) {
    bids.append(levelRow(l, [String(l.orders), fmtInt(l.size), fmtInt(l.price)]));
  }
  for (const l of askLevels.slice(0, BOOK_DEPTH_SHOWN)) {
    asks.append(levelRow(l, [fmtInt(l.price), fmtInt(l.size), String(l.orders)]));
  }
  markFirstRender();
}

function renderTrades() {
  const tbody = $('trades').tBodies[0];
  tbody.replaceChildren();
  for (const t of state.trades) {
    const tr = document.createElement('tr');
    tr.dataset.seq = String(t.sequence);
    tr.dataset.price = String(t.price);
    tr.dataset.size = String(t.size);
    cell(tr, fmtInt(t.price), t.takerSide === 'BUY' ? 'buy' : 'sell');
    cell(tr, fmtInt(t.size));
    cell(tr, t.takerSide);
    cell(tr, String(t.sequence));
    tbody.append(tr);
  }
}

function renderPositions() {
  const a = state.account;
  const tbody = $('positions').tBodies[0];
  tbody.replaceChildren();
  if (!a) {
    $('account-summary').replaceChildren();
    return;
  }
  const use = a.equity > 0 ? ((100 * a.initialMargin) / a.equity).toFixed(2) + ' %' : '—';
  $('account-summary').innerHTML = '';
  const parts = [
    ['account', a.account],
    ['collateral', fmtInt(a.collateral)],
    ['equity', fmtInt(a.equity)],
    ['initial margin', fmtInt(a.initialMargin)],
    ['maintenance margin', fmtInt(a.maintenanceMargin)],
    ['free collateral', fmtInt(a.freeCollateral)],
    ['margin use (initial / equity)', use],
  ];
  for (const [k, v] of parts) {
    const s = document.createElement('span');
    s.textContent = `${k} `;
    const b = document.createElement('b');
    b.textContent = String(v);
    s.append(b, document.createTextNode('  ·  '));
    $('account-summary').append(s);
  }
  for (const p of a.positions) {
    const mark = state.markets.get(p.market)?.oraclePrice ?? null;
    const tr = document.createElement('tr');
    tr.dataset.market = String(p.market);
    cell(tr, String(p.market));
    cell(tr, fmtInt(p.size), p.size > 0 ? 'buy' : 'sell');
    // entry = cost basis / size, collateral quanta per synthetic quantum
    cell(tr, p.size === 0 ? '—' : (p.costBasis / p.size).toFixed(4), 'entry');
    cell(tr, fmtFixed(mark), 'mark');
    // unrealised PnL = floor(size · mark / 2^32) − cost basis, as the engine values positions
    let upnl = '—';
    if (mark !== null) {
      const value = floorDiv(BigInt(p.size) * BigInt(mark), 1n << 32n);
      upnl = fmtInt(value - BigInt(p.costBasis));
    }
    cell(tr, upnl, 'upnl');
    let mm = '—';
    if (mark !== null && a.maintenanceMargin !== undefined) {
      mm = fmtInt(a.maintenanceMargin);
    }
    cell(tr, a.positions.length === 1 ? mm : '(account)', 'mmr');
    const liq = cell(tr, fmtFixed(p.liquidationPrice), 'liq');
    liq.dataset.raw = p.liquidationPrice === null ? 'none' : String(p.liquidationPrice);
    liq.dataset.seq = String(a.sequence);
    tbody.append(tr);
  }
}

function floorDiv(a, b) {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function markFirstRender() {
  if (!state.firstRender && state.book && state.markets.size > 0) {
    state.firstRender = true;
    performance.mark('zk-first-render');
    document.body.dataset.ready = 'true';
  }
}

// ---------- trader grant ----------

async function applyGrant() {
  $('grant-error').textContent = '';
  let g;
  try {
    g = JSON.parse($('grant').value.trim());
    if (
      typeof g.account !== 'number' ||
      typeof g.validUntil !== 'number' ||
      typeof g.signature !== 'string'
    ) {
      throw new Error('expected {"account", "validUntil", "signature"}');
    }
  } catch (e) {
    $('grant-error').textContent = `not a read grant: ${e.message}`;
    return;
  }
  try {
    // checks the grant once over HTTP: a typed error (expired, wrong key) is shown as is
    state.account = await httpCall('perp_getAccount', { account: g.account, auth: g });
    state.grant = g;
    renderPositions();
    ladder.refresh(state.account);
    // the stream first, then the history: a fill made while the history loads is in one of them
    // (a fill made before the history's query is in it, one after the subscription in the stream)
    await subscribeAccount();
    await finality.load(g);
  } catch (e) {
    $('grant-error').textContent = `refused: ${e.message}`;
  }
}

// ---------- operator view, liquidation ladder, finality ----------

// connected(): whether the WebSocket is up; the views poll over HTTP only then (a node being
// restarted would otherwise fill the console with refused requests)
const rpc = {
  httpCall,
  subscribe,
  connected: () => state.ws?.readyState === WebSocket.OPEN,
  oracle: (market) => state.markets.get(market)?.oraclePrice ?? null,
};
const operator = new OperatorView(rpc, () => state.markets);
const ladder = new LadderView(rpc);
const finality = new FinalityView(rpc, operator);

// ---------- start ----------

$('market').addEventListener('change', async (e) => {
  state.market = Number(e.target.value);
  state.trades = [];
  renderTrades();
  await loadCandles();
  if (state.ws) {
    state.ws.close(); // resubscribes everything for the new market on reconnect
  }
});
$('grant-apply').addEventListener('click', applyGrant);
setConn('connecting');
connect();
