// SPDX-License-Identifier: MIT
// Shared by the browser tests: Debian's chromium driven by playwright-core (from web/'s npm
// packages), a page that records every console error, the views' load times, screenshots,
// the API over plain fetch, and an HJ 212 frame writer for instruments the tests play.
//
// The demo state (daemon + simulator, real TCP, a temporary store) is built by
// tests/integration/test_browser.py, which passes:
//   EW_URL          the dashboard, http://127.0.0.1:PORT/
//   EW_HJ212        127.0.0.1:PORT of the HJ 212 listener
//   EW_EXCEED_MN    the stack the simulator drives over its SO2 limit
//   EW_SILENT_MN    the outlet that falls silent (offline)
//   EW_SCREENSHOTS  where to save the screenshots (build/screenshots)
//   EW_USER, EW_PASSWORD  the account every browser signs in with (through the page)
//   EW_TOKEN        an API token of that account for the tests' own calls (fetch below)
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = process.env.EW_SRC || path.resolve(here, '..', '..');
const { chromium } = await import(path.join(root, 'web', 'node_modules', 'playwright-core', 'index.mjs'));

export const BASE = process.env.EW_URL || 'http://127.0.0.1:8080/';
export const EXCEED_MN = process.env.EW_EXCEED_MN || '';
export const SILENT_MN = process.env.EW_SILENT_MN || '';
export const SHOTS = process.env.EW_SCREENSHOTS || path.join(root, 'build', 'screenshots');
export const VIEWS = ['overview', 'air', 'water', 'sources', 'alarms', 'instruments', 'ledger', 'assess'];
export const USER = process.env.EW_USER || '';
export const PASSWORD = process.env.EW_PASSWORD || '';

// The tests' own calls to the daemon (api(), get(), a CSV link fetched to check it) carry the
// API token, as a script of the bureau would; the browser signs in through the page instead.
const TOKEN = process.env.EW_TOKEN || '';
if (TOKEN !== '') {
    const plain = globalThis.fetch;
    const origin = new URL(BASE).origin;
    globalThis.fetch = (url, init = {}) => {
        const headers = new Headers(init.headers || {});
        if (String(url).startsWith(origin) && !headers.has('Authorization') && !headers.has('Cookie'))
            headers.set('Authorization', 'Bearer ' + TOKEN);
        return plain(url, { ...init, headers });
    };
}

// reference/clibs.md section 15: the flags for a headless Chromium on a build machine.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Signs in through the page (#/login) and waits for the view it leads to.
export async function signIn(page, user, password) {
    await page.goto(BASE + '#/login');
    await page.waitForSelector('#login-name');
    await page.fill('#login-name', user);
    await page.fill('#login-password', password);
    await page.click('#login-submit');
    await page.waitForFunction(() => !location.hash.startsWith('#/login'), null, { timeout: 20000 });
}

// A browser with a new, empty profile, signed in as EW_USER (or as opts.user with
// opts.password; opts.user null: not signed in); close() removes it.
export async function launch(opts = {}) {
    const profile = mkdtempSync(path.join(tmpdir(), 'ew-chromium-'));
    mkdirSync(SHOTS, { recursive: true });
    const ctx = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.EW_CHROMIUM || '/usr/bin/chromium', headless: true, args: FLAGS,
        viewport: { width: 1600, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
        acceptDownloads: true,
    });
    const page = ctx.pages()[0] || await ctx.newPage();
    const errors = [];
    page.on('console', m => {
        if (m.type() === 'error')
            errors.push(m.text() + ' @ ' + (m.location().url || '?'));
    });
    page.on('pageerror', e => errors.push('uncaught: ' + e.message));
    const user = opts.user !== undefined ? opts.user : USER;
    if (user)
        await signIn(page, user, opts.user !== undefined ? opts.password : PASSWORD);
    return {
        ctx, page, errors,
        // Fails with every console error seen since the last call.
        assertNoErrors(what) {
            const seen = errors.splice(0);
            assert.deepEqual(seen, [], 'console errors on ' + what);
        },
        async close() {
            await ctx.close();
            rmSync(profile, { recursive: true, force: true });
        },
    };
}

// Opens a view with a full page load; resolves with the time from navigation to the view's
// first data on screen (window.ewTimings, set by js/main.js) and the wall-clock time.
export async function openView(page, view, lang) {
    const t0 = Date.now();
    await page.goto(BASE + '?load=' + t0 + '#/' + view);
    await page.waitForSelector('body[data-ready="' + view + '"]', { timeout: 20000 });
    const ms = await page.evaluate(v => window.ewTimings[v], view);
    if (lang !== undefined)
        assert.equal(await page.evaluate(() => document.documentElement.lang), lang === 'en' ? 'en' : 'zh-CN');
    return { ms, wall: Date.now() - t0 };
}

// A picture of the whole page. Not Playwright's fullPage: that asks Chromium to capture beyond
// the viewport, which now and then stalls for the whole timeout with the page idle (CI,
// 2026-11-29: 30 s on the sources view, right after the same view had been captured in 1 s).
// Instead the viewport is grown to the document's height for one plain capture and restored;
// a capture that still times out is tried once more.
export async function shot(page, name) {
    const size = page.viewportSize();
    const height = await page.evaluate(() => Math.max(document.documentElement.scrollHeight,
        document.body ? document.body.scrollHeight : 0));
    await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.min(height, 16000)) });
    try {
        for (let attempt = 1; ; attempt++) {
            try {
                await page.screenshot({ path: path.join(SHOTS, name + '.png'), timeout: 15000 });
                return;
            } catch (e) {
                if (attempt === 2 || e.name !== 'TimeoutError')
                    throw e;
                console.log('# screenshot ' + name + ': capture timed out, trying again');
            }
        }
    } finally {
        await page.setViewportSize(size);
    }
}

export async function api(p, init) {
    const r = await fetch(new URL(p, BASE), init);
    const text = await r.text();
    const json = /json/.test(r.headers.get('content-type') || '');
    return { status: r.status, body: json && text ? JSON.parse(text) : text };
}

// GET that must answer 200.
export async function get(p) {
    const r = await api(p);
    assert.equal(r.status, 200, 'GET ' + p + ' -> ' + r.status + ' ' + JSON.stringify(r.body));
    return r.body;
}

export async function post(p, body) {
    return api(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

// Polls fn until it returns a truthy value, or fails after ms with the message.
export async function until(fn, ms, message) {
    const end = Date.now() + ms;
    let last;
    while (Date.now() < end) {
        try {
            last = await fn();
            if (last)
                return last;
        } catch (e) {
            // A route the daemon does not have will not appear by waiting.
            if (/"no_route"/.test(e.message))
                throw e;
            last = e;
        }
        await new Promise(r => setTimeout(r, 500));
    }
    assert.fail(message + ' (last: ' + (last instanceof Error ? last.message : JSON.stringify(last)) + ')');
}

// HJ 212-2017 section 6.4 CRC: the register is shifted right 8 before each byte (written from
// the standard, independently of the C library).
export function crc212(buf) {
    let reg = 0xffff;
    for (const b of buf) {
        reg = (reg >> 8) ^ b;
        for (let i = 0; i < 8; i++) {
            const lsb = reg & 1;
            reg >>= 1;
            if (lsb)
                reg ^= 0xa001;
        }
    }
    return reg;
}

export function frame(segment) {
    const seg = Buffer.from(segment, 'utf8');
    const len = String(seg.length).padStart(4, '0');
    const crc = crc212(seg).toString(16).toUpperCase().padStart(4, '0');
    return Buffer.concat([Buffer.from('##' + len), seg, Buffer.from(crc + '\r\n')]);
}

function cstCompact(unixMs) {
    return new Date(unixMs + 8 * 3600e3).toISOString().replace(/[-T:]/g, '').slice(0, 14);
}

// Sends one real-time upload from an instrument the registry does not know and waits for the
// platform to take it (it answers nothing to an unknown MN, so the socket just stays open).
export async function sendUnknown(mn) {
    const [host, port] = (process.env.EW_HJ212 || '127.0.0.1:9212').split(':');
    const now = Date.now();
    const seg = 'QN=' + cstCompact(now) + '000;ST=32;CN=2011;PW=123456;MN=' + mn + ';Flag=5;CP=&&DataTime=' +
        cstCompact(now) + ';w01018-Rtd=21.5,w01018-Flag=N;w21003-Rtd=1.20,w21003-Flag=N&&';
    await new Promise((resolve, reject) => {
        const s = net.createConnection({ host, port: Number(port) }, () => {
            s.write(frame(seg), () => setTimeout(() => { s.end(); resolve(); }, 500));
        });
        s.on('error', reject);
    });
}

// Text of every cell of a table's rows, keyed by the row's data attribute.
export async function rowsBy(page, selector, attr) {
    return page.$$eval(selector, (trs, a) => Object.fromEntries(trs.map(tr => [tr.dataset[a],
        Array.from(tr.children).map(td => td.textContent.trim())])), attr);
}
