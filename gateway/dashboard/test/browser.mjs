// A thin bridge from a JUnit test to a real browser: Playwright (playwright-core, no browser
// download) driving Debian's Chromium headless. The test (gateway's DashboardBrowserIT) writes
// one JSON command per line on stdin and reads one JSON answer per line on stdout:
//
//   {"id":1,"op":"launch","executablePath":"/usr/bin/chromium"}
//   {"id":2,"op":"goto","url":"http://127.0.0.1:PORT/dashboard/"}
//   {"id":3,"op":"waitFor","expr":"document.body.dataset.ready === 'true'","timeoutMs":10000}
//   {"id":4,"op":"eval","expr":"…"}            -> {"id":4,"ok":true,"value":…}
//   {"id":5,"op":"fill","selector":"#grant","value":"…"}
//   {"id":6,"op":"click","selector":"#grant-apply"}
//   {"id":7,"op":"screenshot","path":"target/…png"}
//   {"id":8,"op":"close"}
//
// A failed command answers {"id":…,"ok":false,"error":"…"}; the bridge keeps going, the test
// decides. The page's console errors and uncaught exceptions are collected and returned by
// {"op":"errors"}. Stdin closed: the browser is closed and the process exits.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let browser = null;
let page = null;
const errors = [];

async function run(cmd) {
  switch (cmd.op) {
    case 'launch': {
      // Playwright starts Chromium headless with a fresh temporary profile (user data dir)
      browser = await chromium.launch({
        executablePath: cmd.executablePath,
        headless: true,
        args: FLAGS,
      });
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') {
          errors.push(`console: ${m.text()}`);
        }
      });
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      return browser.version();
    }
    case 'goto':
      await page.goto(cmd.url, { waitUntil: 'load' });
      return page.url();
    case 'reload':
      await page.reload({ waitUntil: 'load' });
      return page.url();
    case 'waitFor': {
      // polls page.evaluate (the DevTools protocol's evaluation, which the page's
      // Content-Security-Policy allows) rather than waitForFunction, whose string predicate is
      // an eval that the page's CSP (no 'unsafe-eval') refuses
      const deadline = Date.now() + (cmd.timeoutMs ?? 10_000);
      for (;;) {
        let v;
        try {
          v = await page.evaluate(cmd.expr);
        } catch (e) {
          v = false; // the page is navigating or the element is not there yet
        }
        if (v) {
          return true;
        }
        if (Date.now() > deadline) {
          throw new Error(`timed out after ${cmd.timeoutMs ?? 10_000} ms waiting for: ${cmd.expr}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    case 'eval':
      return await page.evaluate(cmd.expr);
    case 'fill':
      await page.fill(cmd.selector, cmd.value);
      return true;
    case 'click':
      await page.click(cmd.selector);
      return true;
    case 'screenshot':
      await page.screenshot({ path: cmd.path, fullPage: true });
      return cmd.path;
    case 'errors':
      return errors.splice(0);
    case 'close':
      if (browser) {
        await browser.close();
        browser = null;
      }
      return true;
    default:
      throw new Error(`unknown op ${cmd.op}`);
  }
}

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  if (!line.trim()) {
    continue;
  }
  let cmd;
  try {
    cmd = JSON.parse(line);
  } catch (e) {
    process.stdout.write(JSON.stringify({ id: null, ok: false, error: `bad JSON: ${e.message}` }) + '\n');
    continue;
  }
  try {
    const value = await run(cmd);
    process.stdout.write(JSON.stringify({ id: cmd.id, ok: true, value: value ?? null }) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ id: cmd.id, ok: false, error: String(e?.message ?? e) }) + '\n');
  }
}
if (browser) {
  await browser.close();
}
