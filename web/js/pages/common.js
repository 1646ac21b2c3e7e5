// SPDX-License-Identifier: MIT
// What the views share: filling a panel with error handling, the registry and latest values
// joined for display, and the "updated at" stamp.
import { h, replace, note } from '../dom.js';
import { get, unixToCst } from '../api.js';
import { t } from '../i18n.js';

// Runs fn(); a failure shows in the panel's body instead of escaping (an unhandled rejection
// would be a console error). Resolves either way, so a view's first paint never hangs.
// While it runs, the card carries data-loading (for tests and styles).
export async function fill(view, c, fn) {
    c.el.dataset.loading = '1';
    try {
        await fn();
        stamp(c);
    } catch (e) {
        if (e && e.name === 'AbortError')
            return;
        replace(c.body, note(view.errorText(e), 'error'));
    } finally {
        delete c.el.dataset.loading;
    }
}

export function stamp(c) {
    let s = c.tools.querySelector('.stamp');
    if (s === null) {
        s = h('span', { class: 'stamp' });
        c.tools.prepend(s);
    }
    s.textContent = t('updated') + ' ' + unixToCst(Date.now() / 1000, true).slice(11, 19);
}

// GET /api/v1/points[?kind=] -> [point]
export function points(signal, kind) {
    return get('api/v1/points' + (kind ? '?kind=' + encodeURIComponent(kind) : ''), signal);
}

const KIND_RANK = { rtd: 0, minute: 1, hour: 2, day: 3 };

// GET /api/v1/latest -> Map(point_id -> Map(factor -> row)), choosing per factor the kind
// listed first in 'prefer' among those present (e.g. ['hour'] for AQI-consistent values,
// ['rtd', 'minute', 'hour'] for "real time").
export async function latestByPoint(signal, prefer) {
    const rows = await get('api/v1/latest', signal);
    const out = new Map();
    const rank = k => {
        const i = prefer.indexOf(k);
        return i < 0 ? 10 + (KIND_RANK[k] || 0) : i;
    };
    for (const r of rows) {
        if (!out.has(r.point_id))
            out.set(r.point_id, new Map());
        const m = out.get(r.point_id);
        const had = m.get(r.factor);
        if (had === undefined || rank(r.kind) < rank(had.kind) ||
            (rank(r.kind) === rank(had.kind) && r.time > had.time))
            m.set(r.factor, r);
    }
    return out;
}

export function byMn(list) {
    const m = new Map();
    for (const x of list || [])
        if (x && x.mn)
            m.set(x.mn, x);
    return m;
}

// Settles every promise; failures become {error}. Lets a view start all its requests at once
// and still draw what did arrive.
export async function settle(obj) {
    const keys = Object.keys(obj);
    const res = await Promise.allSettled(keys.map(k => obj[k]));
    const out = {};
    keys.forEach((k, i) => {
        out[k] = res[i].status === 'fulfilled' ? res[i].value : { error: res[i].reason };
    });
    return out;
}

export function failed(x) {
    return x !== null && typeof x === 'object' && !Array.isArray(x) && x.error !== undefined &&
        Object.keys(x).length === 1;
}

export function kpi(label, value, sub, cls) {
    return h('div', { class: 'kpi ' + (cls || '') }, h('div', { class: 'kpi-v' }, value),
        h('div', { class: 'kpi-l' }, label), sub ? h('div', { class: 'kpi-s' }, sub) : null);
}
