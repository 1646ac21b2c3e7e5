// SPDX-License-Identifier: MIT
// 台账 (governance ledgers): action-plan tasks, inspection rectification items, complaints,
// enforcement cases and river-chief problems (docs/ledger.md). The list with its filters
// (kind, state, county, unit, overdue or due soon, text), paging and the counts by state;
// one item with its actions, history, comments, evidence and links (ledger-item.js); the
// overdue and due-soon lists per responsible unit (the daily digest); a new item of any kind
// and the import of a workbook (ledger-forms.js); export to CSV and Excel by the API.
import { h, card, replace, note } from '../dom.js';
import { get, qs, cstToday } from '../api.js';
import { t } from '../i18n.js';
import { time } from '../fmt.js';
import { table, csvButton } from '../table.js';
import * as auth from '../auth.js';
import { fill, points, byMn } from './common.js';
import { w, fieldName, kindName, stateName, KINDS, KIND_STATES } from './ledger-model.js';
import { showItem, dueTag, stateTag, plainDue } from './ledger-item.js';
import { createForm, importForm } from './ledger-forms.js';

const PAGE = 50;
const SOON_DAYS = 7;            // docs/ledger.md: "due soon" is 7 days (rules.due_soon_days)

// The hash's parameters (#/ledger?id=12&kind=complaint).
function hashParams() {
    const i = location.hash.indexOf('?');
    return new URLSearchParams(i < 0 ? '' : location.hash.slice(i + 1));
}

// The API's query for the filters (state and paging left to the caller).
function query(f) {
    const q = { kind: f.kind, county: f.county, unit: f.unit, q: f.q };
    if (f.dl === 'open')
        q.open = 1;
    else if (f.dl === 'overdue')
        q.overdue = 1;
    else if (f.dl === 'soon')
        Object.assign(q, { open: 1, overdue: 0, due_before: cstToday(SOON_DAYS) + 'T23:59:59' });
    return q;
}

function listColumns() {
    return [
        { key: 'id', label: fieldName('id'), cls: 'n' },
        { key: 'code', label: fieldName('code'), cls: 'mono' },
        { key: 'kind', label: fieldName('kind'), render: it => h('span', { class: 'tag lk-' + it.kind }, kindName(it.kind, it.kind_label)) },
        { key: 'title', label: fieldName('title'), render: it => h('b', {}, it.title) },
        { key: 'unit', label: fieldName('unit') },
        { key: 'county', label: fieldName('county') },
        { key: 'state', label: fieldName('state'), render: stateTag, csv: it => stateName(it.kind, it.state, it.state_label) },
        { key: 'due', label: fieldName('due'), render: dueTag, csv: plainDue },
        { key: 'overdue', label: w('ld.overdue'), cls: 'c', render: it => (it.overdue ? h('span', { class: 'tag bad' }, w('ld.overdue')) : ''),
            csv: it => (it.overdue ? 1 : 0) },
        { key: 'updated', label: fieldName('updated'), render: it => time(it.updated, true), csv: it => it.updated },
    ];
}

function stateOptions(kind) {
    const states = kind ? KIND_STATES[kind] : [...new Set(KINDS.flatMap(k => KIND_STATES[k]))];
    return [['', t('all')]].concat(states.map(s => [s, stateName(kind, s)]));
}

// The filter bar; onApply() after any change.
function filterBar(f, onApply) {
    const sel = (name, opts) => h('select', { name }, opts.map(([v, l]) => h('option', { value: v, selected: v === f[name] }, l)));
    const kind = sel('kind', [['', t('all')]].concat(KINDS.map(k => [k, kindName(k)])));
    const state = sel('state', stateOptions(f.kind));
    const dl = sel('dl', [['', t('all')], ['open', w('ld.dl.open')], ['overdue', w('ld.dl.overdue')], ['soon', w('ld.dl.soon')]]);
    const county = h('input', { name: 'county', list: 'ledger-counties', size: 8, value: f.county });
    const countyList = h('datalist', { id: 'ledger-counties' });
    const unit = h('input', { name: 'unit', size: 14, value: f.unit });
    const q = h('input', { name: 'q', type: 'search', size: 20, value: f.q, placeholder: w('ld.q.ph') });
    const bar = h('form', { class: 'toolbar', id: 'ledger-filters' },
        h('label', {}, w('ld.kind'), kind), h('label', {}, w('ld.state'), state), h('label', {}, w('ld.deadline'), dl),
        h('label', {}, w('ld.county'), county, countyList),
        h('label', {}, w('ld.unit'), unit), h('label', {}, w('ld.q'), q),
        h('button', { type: 'submit', class: 'btn primary' }, t('apply')),
        h('button', { type: 'button', class: 'btn', name: 'reset', onclick: () => {
            Object.assign(f, { kind: '', state: '', dl: '', county: '', unit: '', q: '' });
            for (const el of [kind, state, dl, county, unit, q])
                el.value = '';
            replace(state, stateOptions('').map(([v, l]) => h('option', { value: v }, l)));
            onApply();
        } }, w('ld.reset')));
    kind.addEventListener('change', () => {
        f.kind = kind.value;
        f.state = '';
        replace(state, stateOptions(f.kind).map(([v, l]) => h('option', { value: v }, l)));
        onApply();
    });
    for (const [el, key] of [[state, 'state'], [dl, 'dl']])
        el.addEventListener('change', () => { f[key] = el.value; onApply(); });
    bar.addEventListener('submit', e => {
        e.preventDefault();
        Object.assign(f, { county: county.value.trim(), unit: unit.value.trim(), q: q.value.trim() });
        onApply();
    });
    return {
        el: bar,
        setState(kindV, stateV) {
            kind.value = kindV;
            replace(state, stateOptions(kindV).map(([v, l]) => h('option', { value: v, selected: v === stateV }, l)));
        },
        setCounties: list => replace(countyList, list.map(c => h('option', { value: c }))),
    };
}

// Counts by state under the filters. The API has no grouped count: up to COUNT_PAGE items
// are counted from one page of the list; beyond that, one count query (limit=1, its total)
// per state of each kind shown.
const COUNT_PAGE = 500;

async function countStates(f, signal) {
    const base = query(f);
    const kinds = f.kind ? [f.kind] : KINDS;
    const page = await get('api/v1/ledger/items' + qs({ ...base, limit: COUNT_PAGE }), signal);
    let res;
    if (page.total <= page.items.length) {
        res = kinds.flatMap(k => KIND_STATES[k].map(s => ({ kind: k, state: s,
            n: page.items.filter(it => it.kind === k && it.state === s).length })));
    } else {
        const jobs = [];
        for (const k of kinds)
            for (const s of KIND_STATES[k])
                jobs.push(get('api/v1/ledger/items' + qs({ ...base, kind: k, state: s, limit: 1 }), signal)
                    .then(r => ({ kind: k, state: s, n: r.total })));
        res = await Promise.all(jobs);
    }
    return kinds.map(k => {
        const states = res.filter(r => r.kind === k);
        return { kind: k, total: states.reduce((a, r) => a + r.n, 0), states };
    });
}

function countsTable(rows, f, onPick) {
    const cols = [
        { key: 'kind', label: fieldName('kind'), render: r => h('b', {}, kindName(r.kind)) },
        { key: 'total', label: w('ld.total'), cls: 'n' },
        { key: 'states', label: fieldName('state'), render: r => h('div', { class: 'lchips' }, r.states.map(s =>
            h('button', { type: 'button', class: 'lchip' + (s.n === 0 ? ' zero' : '') +
                (f.kind === s.kind && f.state === s.state ? ' on' : ''), 'data-kind': s.kind, 'data-state': s.state,
                'data-n': s.n, onclick: () => onPick(s.kind, s.state) },
            stateName(s.kind, s.state), h('b', {}, String(s.n))))) },
    ];
    return table(cols, rows, { onRow: (r, tr) => { tr.dataset.kind = r.kind; } });
}

function digestItems(list, more, onPick) {
    return h('div', { class: 'lchips' }, list.map(it => h('a', { class: 'lchip', href: '#/ledger?id=' + it.id, 'data-id': it.id,
        title: stateName(it.kind, it.state) + ' · ' + (it.due || '').slice(0, 10),
        onclick: e => { e.preventDefault(); onPick(it.id); } }, it.code || '#' + it.id, ' ', it.title)),
    more > 0 ? h('span', { class: 'muted' }, w('ld.due.more', { n: more })) : null);
}

function digestView(c, d, onPick) {
    const cols = [
        { key: 'unit', label: fieldName('unit'), render: u => h('b', {}, u.unit || '—') },
        { key: 'overdue_n', label: w('ld.overdue'), cls: 'n', render: u => h('span', { class: u.overdue_n ? 'ldue late' : 'muted' }, String(u.overdue_n)) },
        { key: 'overdue', label: w('ld.dl.overdue'), cls: 'wrap', render: u => digestItems(u.overdue, u.overdue_n - u.overdue.length, onPick),
            csv: u => u.overdue.map(i => (i.code || '#' + i.id) + ' ' + i.title).join('; ') },
        { key: 'due_soon_n', label: w('ld.due_soon'), cls: 'n', render: u => h('span', { class: u.due_soon_n ? 'ldue soon' : 'muted' }, String(u.due_soon_n)) },
        { key: 'due_soon', label: w('ld.dl.soon'), cls: 'wrap', render: u => digestItems(u.due_soon, u.due_soon_n - u.due_soon.length, onPick),
            csv: u => u.due_soon.map(i => (i.code || '#' + i.id) + ' ' + i.title + ' ' + (i.due || '').slice(0, 10)).join('; ') },
    ];
    const units = d.units || [];
    replace(c.tools, csvButton('ledger-due.csv', () => cols, () => units));
    replace(c.body, h('div', { class: 'pad ldigest', 'data-overdue': d.overdue, 'data-due-soon': d.due_soon },
        w('ld.due.date', { d: d.date, o: d.overdue, s: d.due_soon, n: d.due_soon_days })),
    table(cols, units, { onRow: (u, tr) => { tr.dataset.unit = u.unit; } }));
}

export async function render(view) {
    const s = view.signal;
    const p = hashParams();
    const f = { kind: p.get('kind') || '', state: p.get('state') || '', dl: p.get('dl') || '', county: p.get('county') || '',
        unit: p.get('unit') || '', q: p.get('q') || '', offset: 0 };
    let selected = Number(p.get('id')) || 0;
    let rows = [];
    let total = 0;
    let counts = [];
    const seq = { list: 0, counts: 0 };     // a slower, older answer never overwrites a newer one
    const cols = listColumns();
    const grid = h('div', { class: 'lgrid' });
    const cCounts = card(w('ld.counts'), { id: 'ledger-counts', cls: 'l-counts', flush: true });
    const cList = card(w('ld.list'), { id: 'ledger-list', cls: 'l-list', flush: true });
    const cItem = card(w('ld.detail'), { id: 'ledger-item', cls: 'l-item' });
    const cDue = card(w('ld.due'), { id: 'ledger-due', cls: 'l-due', flush: true });
    const cNew = card(w('ld.new'), { id: 'ledger-new-card', cls: 'l-new' });
    const cImport = card(w('ld.import'), { id: 'ledger-import-card', cls: 'l-import', flush: true });
    // The registry names the points an item links to and offers the counties; it loads
    // beside the ledger's own requests.
    const pointNames = new Map();
    const bar = filterBar(f, () => { f.offset = 0; reloadAll(); });
    const registry = points(s).then(pts => {
        for (const [mn, p] of byMn(pts))
            pointNames.set(mn, p);
        bar.setCounties([...new Set(pts.map(x => x.county).filter(Boolean))]);
    }).catch(() => {});
    const pager = h('span', { class: 'lpager' });
    replace(cItem.body, note(w('ld.pick')));
    cList.tools.append(pager, h('span', { class: 'csvslot' }));
    grid.append(cList.el, cItem.el, cCounts.el, cDue.el, cNew.el, cImport.el);
    view.el.append(bar.el, grid);

    function exportLinks() {
        const q = query(f);
        q.state = f.state;
        return [csvButton('ledger-page.csv', () => cols, () => rows),
            h('a', { class: 'btn small', href: 'api/v1/ledger/items' + qs({ ...q, format: 'csv' }), download: 'ledger.csv',
                'data-csv': 'ledger.csv' }, w('ld.csv_all')),
            h('a', { class: 'btn small', href: 'api/v1/ledger/items' + qs({ ...q, format: 'xlsx' }), download: 'ledger.xlsx',
                'data-xlsx': 'ledger.xlsx' }, w('ld.xlsx'))];
    }

    function drawPager() {
        const a = total === 0 ? 0 : f.offset + 1;
        const b = Math.min(f.offset + PAGE, total);
        replace(pager, h('span', { class: 'muted', id: 'ledger-total', 'data-total': total }, w('ld.page', { a, b, n: total })),
            h('button', { type: 'button', class: 'btn small', name: 'prev', disabled: f.offset === 0 ? true : undefined,
                onclick: () => { f.offset = Math.max(0, f.offset - PAGE); reloadList(); } }, w('ld.prev')),
            h('button', { type: 'button', class: 'btn small', name: 'next', disabled: b >= total ? true : undefined,
                onclick: () => { f.offset += PAGE; reloadList(); } }, w('ld.next')));
    }

    async function reloadList() {
        await fill(view, cList, async () => {
            const my = ++seq.list;
            const r = await get('api/v1/ledger/items' + qs({ ...query(f), state: f.state, limit: PAGE, offset: f.offset }), s);
            if (my !== seq.list)
                return;
            rows = r.items;
            total = r.total;
            drawPager();
            replace(cList.tools.querySelector('.csvslot'), exportLinks());
            replace(cList.body, table(cols, rows, {
                rowClass: it => 'pick' + (it.id === selected ? ' sel' : '') + (it.overdue ? ' over' : ''),
                onRow: (it, tr) => {
                    Object.assign(tr.dataset, { id: it.id, state: it.state, kind: it.kind });
                    tr.addEventListener('click', () => select(it.id));
                },
            }));
        });
    }

    async function reloadCounts() {
        await fill(view, cCounts, async () => {
            const my = ++seq.counts;
            const got = await countStates(f, s);
            if (my !== seq.counts)
                return;
            counts = got;
            const csvCols = [{ key: 'kind', label: fieldName('kind'), csv: r => kindName(r.kind) },
                { key: 'state', label: fieldName('state'), csv: r => stateName(r.kind, r.state) }, { key: 'n', label: w('ld.total') }];
            replace(cCounts.tools, csvButton('ledger-counts.csv', () => csvCols, () => counts.flatMap(k => k.states)));
            replace(cCounts.body, countsTable(counts, f, (k, st) => {
                const same = f.kind === k && f.state === st;
                f.kind = k;
                f.state = same ? '' : st;
                f.offset = 0;
                bar.setState(f.kind, f.state);
                reloadAll();
            }));
        });
    }

    async function reloadDue() {
        await fill(view, cDue, async () => digestView(cDue, await get('api/v1/ledger/due', s), select));
    }

    async function select(id) {
        selected = id;
        history.replaceState(null, '', '#/ledger?id=' + id);
        for (const tr of cList.body.querySelectorAll('tr[data-id]'))
            tr.classList.toggle('sel', Number(tr.dataset.id) === id);
        cItem.el.scrollIntoView({ block: 'nearest' });
        await fill(view, cItem, () => showItem(cItem, id, { signal: s, pointNames, onChange: changed }));
    }

    // After a write: the list, counts and digest may all have moved.
    function changed() {
        return Promise.all([reloadList(), reloadCounts(), reloadDue()]);
    }

    function reloadAll() {
        return Promise.all([reloadList(), reloadCounts()]);
    }

    createForm(cNew.body, it => {
        changed();
        select(it.id);
    });
    // import is for the monitoring centre's accounts (auth_policy.c: admin, operator, leader)
    const acct = auth.current();
    if (acct === null || ['admin', 'operator', 'leader'].includes(acct.role))
        importForm(cImport, changed);
    else
        cImport.el.remove();
    await Promise.all([reloadList(), reloadCounts(), reloadDue(), selected ? registry.then(() => select(selected)) : null]);
}
