// SPDX-License-Identifier: MIT
// The dashboard's shell: title bar, tabs, CST clock, language switch, live-update state, and
// the hash router that mounts one view at a time (#/overview, #/air, ...). Each view module
// exports render(view) and resolves when its first data are on screen; the router then marks
// <body data-ready="<view>"> and records the load time (window.ewTimings), which the browser
// tests read.
import { t, setLang, getLang } from './i18n.js';
import { h, replace, note } from './dom.js';
import { get, ApiError, unixToCst } from './api.js';
import { setTileUrl } from './map.js';
import * as live from './live.js';
import * as auth from './auth.js';
import * as login from './pages/login.js';
import * as overview from './pages/overview.js';
import * as air from './pages/air.js';
import * as water from './pages/water.js';
import * as sources from './pages/sources.js';
import * as alarms from './pages/alarms.js';
import * as instruments from './pages/instruments.js';
import * as ledger from './pages/ledger.js';
import * as assess from './pages/assess.js';

const VIEWS = [
    { id: 'overview', mod: overview },
    { id: 'air', mod: air },
    { id: 'water', mod: water },
    { id: 'sources', mod: sources },
    { id: 'alarms', mod: alarms },
    { id: 'instruments', mod: instruments },
    { id: 'ledger', mod: ledger },
    { id: 'assess', mod: assess },
];

let site = { city: { zh: '', en: '' } };
let current = null;           // {id, controller, cleanups}
let firstMount = true;
window.ewTimings = {};

const LOGIN = { id: 'login', mod: login };      // not a tab

function viewFromHash() {
    const m = /^#\/([a-z]+)/.exec(location.hash);
    const id = m ? m[1] : 'overview';
    if (id === 'login')
        return LOGIN;
    return VIEWS.find(v => v.id === id) || VIEWS[0];
}

// The account in the header, with its sign-out button (auth.js).
function paintUser() {
    const el = document.getElementById('user');
    const u = auth.current();
    if (el === null)
        return;
    if (u === null) {
        replace(el);
        return;
    }
    const out = h('button', { type: 'button', class: 'lang', id: 'logout' }, getLang() === 'en' ? 'Sign out' : '退出');
    out.addEventListener('click', async () => {
        live.stop();
        await auth.logout().catch(() => {});
        location.hash = '#/login';
        paintUser();
    });
    replace(el, h('span', { class: 'user-name', title: u.role + (u.county ? ' · ' + u.county : '') },
        u.display || u.name), out);
}

function paintShell() {
    const city = site.city ? (getLang() === 'en' ? site.city.en : site.city.zh) : '';
    document.getElementById('brand-title').textContent =
        (city ? city + (getLang() === 'en' ? ' · ' : ' ') : '') + t('brand.title');
    document.title = t('brand.title') + ' · envwatch';
    document.getElementById('lang').textContent = t('lang.switch');
    const active = viewFromHash().id;
    replace(document.getElementById('tabs'), VIEWS.map(v =>
        h('a', { href: '#/' + v.id, class: v.id === active ? 'on' : '', 'data-view': v.id }, t('nav.' + v.id))));
    replace(document.getElementById('foot'), t('foot.text'));
    paintUser();
}

function tickClock() {
    const s = unixToCst(Date.now() / 1000, true).replace('T', ' ');
    document.getElementById('clock').textContent = s + (getLang() === 'en' ? ' CST' : ' 北京时间');
}

function paintLive(state) {
    const el = document.getElementById('live');
    el.dataset.state = state;
    document.getElementById('live-text').textContent = t('live.' + state);
}

// What a failed load shows in its panel.
export function errorText(e) {
    if (e instanceof ApiError && (e.code === 'no_route' || e.status === 404 && e.code === 'not_found'))
        return t('error.missing') + ' (' + e.message + ')';
    return t('error.load') + ': ' + (e && e.message ? e.message : String(e));
}

async function mount() {
    const v = viewFromHash();
    if (current !== null) {
        current.controller.abort();
        for (const fn of current.cleanups)
            fn();
    }
    const started = performance.now();
    const el = document.getElementById('view');
    delete document.body.dataset.ready;
    document.body.dataset.view = v.id;
    replace(el);
    const ctx = { id: v.id, controller: new AbortController(), cleanups: [] };
    current = ctx;
    paintShell();
    const view = {
        el,
        signal: ctx.controller.signal,
        cleanup: fn => ctx.cleanups.push(fn),
        live: fn => ctx.cleanups.push(live.subscribe(fn)),
        errorText,
        remount: () => { if (current === ctx) mount(); },
        signedIn: () => {
            paintUser();
            if (auth.isStaff())
                live.start();
        },
    };
    try {
        await v.mod.render(view);
    } catch (e) {
        if (e && e.name === 'AbortError')
            return;
        el.appendChild(note(errorText(e), 'error'));
    }
    if (current !== ctx)
        return;
    // The first view counts from the navigation (performance's time origin): what a user who
    // opens the address waits; later views count from the tab click.
    window.ewTimings[v.id] = Math.round(performance.now() - (firstMount ? 0 : started));
    firstMount = false;
    document.body.dataset.ready = v.id;
}

async function boot() {
    setLang(getLang());
    // Neither the settings nor the site file hold up the first view: maps wait for the tile
    // URL (tilesReady), the title is repainted when the city's name arrives.
    setTileUrl(get('api/v1/health').then(hl => (hl && typeof hl.tile_url === 'string' ? hl.tile_url : '')));
    fetch('site.json').then(r => (r.ok ? r.json() : null)).then(s => {
        if (s && s.city) {
            site = s;
            paintShell();
        }
    }).catch(() => {});
    document.getElementById('lang').addEventListener('click', () => {
        setLang(getLang() === 'en' ? 'zh' : 'en');
        mount();
    });
    live.onState(paintLive);
    // Who is signed in is asked beside the first view, not before it (no extra round trip
    // on the way to the first data). The live stream is for staff; an officer's or an
    // enterprise's page refreshes on its own (the stream names points outside their scope).
    auth.refresh().catch(() => null).then(() => {
        paintUser();
        if (auth.isStaff())
            live.start();
    });
    window.addEventListener('ew-unauthorized', () => {
        if (viewFromHash().id !== 'login')
            location.hash = '#/login?next=' + viewFromHash().id;
    });
    tickClock();
    setInterval(tickClock, 1000);
    window.addEventListener('hashchange', mount);
    await mount();
}

boot();
