// SPDX-License-Identifier: MIT
// Dense tables for the panels, each with a CSV download of exactly the rows it shows, and a
// generic view of any JSON the API returns (for answers whose columns the dashboard does
// not know in advance: the statistics and targets objects).
import { h } from './dom.js';
import { fieldLabel, factorName, t } from './i18n.js';
import { plain, toCsv, download } from './fmt.js';

// columns: [{key, label, render(row) -> Node|string, csv(row) -> value, cls, title}]
// opts: {empty, rowClass(row), onRow(row, tr), max}
export function table(columns, rows, opts = {}) {
    if (!rows || rows.length === 0)
        return h('div', { class: 'muted pad' }, opts.empty || t('none'));
    const head = h('tr', {}, columns.map(c => h('th', { class: c.cls, title: c.title }, c.label)));
    const body = h('tbody');
    const shown = opts.max ? rows.slice(0, opts.max) : rows;
    for (const row of shown) {
        const tr = h('tr', { class: opts.rowClass ? opts.rowClass(row) : undefined },
            columns.map(c => h('td', { class: c.cls },
                c.render ? c.render(row) : plain(row[c.key]))));
        if (opts.onRow)
            opts.onRow(row, tr);
        body.appendChild(tr);
    }
    return h('div', { class: 'tablewrap' }, h('table', { class: 'grid' }, h('thead', {}, head), body));
}

export function csvRows(columns, rows) {
    const out = [columns.map(c => c.label)];
    for (const row of rows || [])
        out.push(columns.map(c => (c.csv ? c.csv(row) : row[c.key])));
    return out;
}

// A "CSV" button that downloads what getRows() returns, with the given columns. When href is
// given instead, it is a link to the API's own CSV (format=csv).
export function csvButton(filename, getColumns, getRows, href, label) {
    if (href)
        return h('a', { class: 'btn small', href, download: filename, 'data-csv': filename }, label || t('csv'));
    return h('button', {
        type: 'button', class: 'btn small', 'data-csv': filename,
        onclick: () => download(filename, toCsv(csvRows(getColumns(), getRows()))),
    }, label || t('csv'));
}

// Columns for an array of objects whose keys are not known in advance.
export function inferColumns(rows) {
    const keys = [];
    for (const r of rows.slice(0, 50))
        for (const k of Object.keys(r || {}))
            if (!keys.includes(k))
                keys.push(k);
    return keys.map(k => ({
        key: k, label: /^[aw]\d{5}$/.test(k) ? factorName(k) : fieldLabel(k),
        render: r => (r[k] !== null && typeof r[k] === 'object' ? any(r[k])
            : k === 'factor' || k === 'item' ? factorName(plain(r[k])) : plain(r[k])),
        csv: r => plain(r[k]),
        cls: rows.slice(0, 20).every(r => r[k] === null || r[k] === undefined || typeof r[k] === 'number') ? 'n' : undefined,
    }));
}

// Any JSON value as nodes: arrays of objects as tables, objects as key/value lists.
export function any(v) {
    if (v === null || v === undefined)
        return h('span', { class: 'muted' }, '—');
    if (Array.isArray(v)) {
        if (v.length > 0 && v.every(x => x !== null && typeof x === 'object' && !Array.isArray(x)))
            return table(inferColumns(v), v);
        return plain(v);
    }
    if (typeof v === 'object') {
        return h('dl', { class: 'kv' }, Object.entries(v).map(([k, x]) =>
            [h('dt', {}, fieldLabel(k)), h('dd', {}, typeof x === 'object' ? any(x) : plain(x))]));
    }
    return plain(v);
}

// Rows of [key, value] for a CSV of any JSON value (nested keys joined with '.').
export function flatten(v, prefix = '', out = []) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        for (const [k, x] of Object.entries(v))
            flatten(x, prefix ? prefix + '.' + k : k, out);
    } else if (Array.isArray(v) && v.some(x => x !== null && typeof x === 'object')) {
        v.forEach((x, i) => flatten(x, prefix + '[' + i + ']', out));
    } else {
        out.push([prefix, plain(v)]);
    }
    return out;
}
