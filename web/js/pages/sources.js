// SPDX-License-Identifier: MIT
// Sources (污染源): enterprises and their outlets with the real-time values against their
// limits, exceedances, the 传输有效率 of the month, the year's totals against the permitted
// quantities, and the monthly sources report.
import { h, card, replace, note } from '../dom.js';
import { get, qs, cstToday } from '../api.js';
import { t, fieldLabel, factorName, factorUnit, pointKind } from '../i18n.js';
import { num, pct, time, yesNo, plain } from '../fmt.js';
import { table, csvButton, inferColumns, any, flatten } from '../table.js';
import { throttle } from '../live.js';
import { fill, points, latestByPoint, byMn, settle, failed } from './common.js';

const SOURCE_KINDS = new Set(['flue', 'wastewater', 'sewage', 'dust', 'fume']);
// The pollutants shown when the API gives no judged values for an outlet (HJ 212-2017 codes).
const POLLUTANTS = ['a21026', 'a21002', 'a34013', 'w01018', 'w21003', 'w21011', 'w21001', 'w01001'];

// One row per outlet: registry point, its judged values from /sources, else its latest values.
function outletRows(pts, sources, latest) {
    const judged = new Map();
    for (const e of sources || [])
        for (const o of e.outlets || [])
            judged.set(o.mn, Object.assign({ enterprise: e.enterprise, county: e.county }, o));
    const rows = [];
    for (const p of pts) {
        if (!SOURCE_KINDS.has(p.kind))
            continue;
        const j = judged.get(p.mn) || {};
        const lv = latest.get(p.id) || new Map();
        // /sources lists only pollutants that have a limit (docs/api.md): none, the latest.
        const values = Array.isArray(j.values) && j.values.length ? j.values : POLLUTANTS.filter(f => lv.has(f))
            .map(f => ({ factor: f, value: lv.get(f).value, limit: null, exceeded: null }));
        const times = [...lv.values()].map(r => r.time).sort();
        rows.push({
            mn: p.mn, enterprise: j.enterprise || p.site || '', county: j.county || p.county || '',
            name: j.name || p.name, kind: p.kind, standard: j.standard || '',
            online: j.online === undefined ? null : j.online, values,
            transmission_rate: j.transmission_rate === undefined ? null : j.transmission_rate,
            time: times[times.length - 1] || null,
        });
    }
    rows.sort((a, b) => a.enterprise.localeCompare(b.enterprise, 'zh') || a.name.localeCompare(b.name, 'zh'));
    // The enterprise is written once, on the first of its outlets.
    rows.forEach((r, i) => { r.first = i === 0 || rows[i - 1].enterprise !== r.enterprise; });
    return rows;
}

function valueChip(v, kind) {
    const unit = factorUnit(v.factor, kind === 'flue' ? 'flue' : 'water');
    return h('span', { class: 'vchip' + (v.exceeded ? ' over' : ''), title: factorName(v.factor) + (unit ? ' ' + unit : ''),
        'data-factor': v.factor },
    h('span', { class: 'vchip-f' }, factorName(v.factor)),
    h('span', { class: 'vchip-v' }, num(v.value)),
    v.limit !== null && v.limit !== undefined ? h('span', { class: 'vchip-l' }, '/' + num(v.limit)) : null);
}

function outletColumns() {
    return [
        { key: 'enterprise', label: fieldLabel('enterprise'), render: r => (r.first ? h('b', {}, r.enterprise) : '') },
        { key: 'county', label: fieldLabel('county'), render: r => (r.first ? r.county : '') },
        { key: 'name', label: t('src.outlet') },
        { key: 'kind', label: fieldLabel('kind'), render: r => pointKind(r.kind), csv: r => r.kind },
        { key: 'standard', label: fieldLabel('standard') },
        { key: 'online', label: fieldLabel('online'), cls: 'c', render: r => yesNo(r.online) },
        { key: 'values', label: t('value') + ' / ' + t('src.limit'), render: r => h('div', { class: 'vchips' }, r.values.map(v => valueChip(v, r.kind))),
            csv: r => r.values.map(v => v.factor + '=' + plain(v.value) + (v.limit ? '/' + v.limit : '') + (v.exceeded ? '!' : '')).join(' ') },
        { key: 'transmission_rate', label: fieldLabel('transmission_rate'), cls: 'n',
            render: r => (r.transmission_rate === null ? '—' : pct(r.transmission_rate > 1 ? r.transmission_rate : r.transmission_rate * 100)) },
        { key: 'time', label: t('time'), render: r => time(r.time, true), csv: r => r.time },
    ];
}

function exceedColumns(names) {
    return [
        { key: 'opened', label: fieldLabel('opened'), render: a => time(a.opened, true), csv: a => a.opened },
        { key: 'point', label: fieldLabel('point'), render: a => a.point || (names.get(a.mn) || {}).name || a.mn },
        { key: 'county', label: fieldLabel('county') },
        { key: 'factor', label: fieldLabel('factor'), render: a => factorName(a.factor) },
        { key: 'peak', label: fieldLabel('peak'), cls: 'n', render: a => num(a.peak) },
        { key: 'limit', label: fieldLabel('limit'), cls: 'n', render: a => num(a.limit) },
        { key: 'multiple', label: fieldLabel('multiple'), cls: 'n', render: a => num(a.multiple, 2) },
        { key: 'state', label: fieldLabel('state'), render: a => h('span', { class: 'tag s-' + a.state }, t('state.' + a.state)) },
    ];
}

async function drawGeneric(view, c, path, file) {
    const data = await get(path, view.signal);
    const rows = Array.isArray(data) ? data : null;
    replace(c.tools.querySelector('.csvslot'), rows && rows.length && typeof rows[0] === 'object'
        ? csvButton(file, () => inferColumns(rows), () => rows)
        : csvButton(file, () => [{ key: 0, label: 'key' }, { key: 1, label: 'value' }], () => flatten(data)));
    replace(c.body, rows ? table(inferColumns(rows), rows) : any(data));
}

function slot(c) {
    c.tools.appendChild(h('span', { class: 'csvslot' }));
    return c;
}

export async function render(view) {
    const s = view.signal;
    const month = cstToday().slice(0, 7), year = month.slice(0, 4);
    const outlets = slot(card(t('src.enterprises'), { cls: 's-outlets', id: 'outlets', flush: true }));
    const exceed = slot(card(t('src.exceedances'), { cls: 's-exceed', id: 'exceedances', flush: true }));
    const trans = slot(card(t('src.transmission') + ' · ' + month, { cls: 's-trans', id: 'transmission', flush: true }));
    const totals = slot(card(t('src.totals') + ' · ' + year, { cls: 's-totals', id: 'totals', flush: true }));
    const reports = card(t('src.reports'), { cls: 's-reports', id: 'reports' });
    view.el.appendChild(h('div', { class: 'sgrid' }, outlets.el, exceed.el, trans.el, totals.el, reports.el));

    const monthIn = h('input', { type: 'month', value: month, name: 'report-month' });
    const rlink = fmt => h('a', { class: 'btn small', 'data-report': 'sources-monthly-' + fmt,
        target: fmt === 'html' ? '_blank' : undefined,
        href: 'api/v1/reports/sources-monthly' + qs({ month, format: fmt }) }, t(fmt === 'html' ? 'report.html' : 'report.xlsx'));
    const links = [rlink('html'), rlink('xlsx')];
    monthIn.addEventListener('input', () => links.forEach((a, i) => {
        a.href = 'api/v1/reports/sources-monthly' + qs({ month: monthIn.value, format: i ? 'xlsx' : 'html' });
    }));
    replace(reports.body, h('div', { class: 'reports' }, h('div', { class: 'rep' }, monthIn, links)));

    async function loadOutlets() {
        const d = await settle({ pts: points(s), sources: get('api/v1/sources', s),
            latest: latestByPoint(s, ['rtd', 'minute', 'hour']), alarms: get('api/v1/alarms' + qs({ kind: 'exceedance' }), s) });
        if (s.aborted)
            return;
        const pts = failed(d.pts) ? [] : d.pts;
        await Promise.all([
            fill(view, outlets, () => {
                if (failed(d.pts))
                    throw d.pts.error;
                const rows = outletRows(pts, failed(d.sources) ? [] : d.sources, failed(d.latest) ? new Map() : d.latest);
                const cols = outletColumns();
                replace(outlets.tools.querySelector('.csvslot'), csvButton('outlets.csv', () => cols, () => rows));
                replace(outlets.body, failed(d.sources) ? note(view.errorText(d.sources.error), 'error') : null,
                    table(cols, rows, {
                        rowClass: r => [r.first ? 'grp' : '', r.values.some(v => v.exceeded) ? 'over' : r.online === false ? 'off' : ''].join(' '),
                        onRow: (r, tr) => { tr.dataset.mn = r.mn; },
                    }));
            }),
            fill(view, exceed, () => {
                if (failed(d.alarms))
                    throw d.alarms.error;
                const rows = d.alarms.slice().sort((a, b) => String(b.opened).localeCompare(String(a.opened)));
                const cols = exceedColumns(byMn(pts));
                replace(exceed.tools.querySelector('.csvslot'), csvButton('exceedances.csv', () => cols, () => rows));
                replace(exceed.body, table(cols, rows, { max: 50 }));
            }),
        ]);
    }
    await Promise.all([
        loadOutlets(),
        fill(view, trans, () => drawGeneric(view, trans, 'api/v1/sources/transmission' + qs({ month }), 'transmission-' + month + '.csv')),
        fill(view, totals, () => drawGeneric(view, totals, 'api/v1/sources/totals' + qs({ year }), 'totals-' + year + '.csv')),
    ]);
    view.live(throttle(loadOutlets, 5000));
}
