// SPDX-License-Identifier: MIT
// Water (地表水): the river sections on the map in the colour of their GB 3838 class, against
// their target class; the sections' table; the trend of each item at a chosen section (its
// hourly readings) with the daily class and values of /water/sections/{mn}/trend.
import { h, card, replace, note, segmented } from '../dom.js';
import { get, qs, cstToUnix, unixToCst } from '../api.js';
import { t, getLang, fieldLabel, factorName, factorUnit, WATER_CLASSES, waterClass } from '../i18n.js';
import { classBadge, time, yesNo, plain } from '../fmt.js';
import { table, csvButton, inferColumns, any, flatten } from '../table.js';
import { pointMap, legend, tilesReady } from '../map.js';
import { timeChart, pivotReadings, color } from '../chart.js';
import { throttle } from '../live.js';
import { fill, points, byMn, settle, failed } from './common.js';

function sectionRows(pts, sections) {
    const sec = byMn(sections);
    return pts.map(p => Object.assign({ mn: p.mn, name: p.name, county: p.county, lat: p.lat, lon: p.lon,
        river: (p.extra && p.extra.river) || '', target_class: p.extra ? p.extra.target_class : null },
    sec.get(p.mn) || {}));
}

function columns() {
    return [
        { key: 'name', label: fieldLabel('name'), render: r => h('b', {}, r.name) },
        { key: 'river', label: fieldLabel('river') },
        { key: 'county', label: fieldLabel('county') },
        { key: 'target_class', label: fieldLabel('target_class'), cls: 'c', render: r => classBadge(r.target_class) },
        { key: 'class', label: fieldLabel('class'), cls: 'c', render: r => classBadge(r.class) },
        { key: 'main_pollutants', label: fieldLabel('main_pollutants'),
            render: r => plain(Array.isArray(r.main_pollutants) ? r.main_pollutants.map(factorName) : r.main_pollutants) },
        { key: 'label', label: fieldLabel('label') },
        { key: 'compliant', label: fieldLabel('compliant'), cls: 'c', render: r => yesNo(r.compliant) },
        { key: 'time', label: fieldLabel('time'), render: r => time(r.time, true), csv: r => r.time },
    ];
}

async function drawTrend(view, c, sel) {
    for (const ch of c.charts || [])
        ch.destroy();
    c.charts = [];
    if (!sel.mn) {
        replace(c.body, note(t('none')));
        return;
    }
    const now = Date.now() / 1000;
    const from = unixToCst(now - 7 * 86400), to = unixToCst(now + 3600);
    const rpath = 'api/v1/points/' + encodeURIComponent(sel.mn) + '/readings' + qs({ kind: 'hour', from, to });
    const tpath = 'api/v1/water/sections/' + encodeURIComponent(sel.mn) + '/trend' +
        qs({ factor: sel.factor || undefined, from: from.slice(0, 10), to: to.slice(0, 10) });
    const d = await settle({ readings: get(rpath, view.signal), trend: get(tpath, view.signal) });
    if (view.signal.aborted)
        return;
    const chartEl = h('div', { class: 'chart' });
    const daily = h('div', { class: 'daily' });
    let factors = [];
    if (!failed(d.readings)) {
        const pv = pivotReadings(d.readings, cstToUnix);
        factors = Object.keys(pv.byFactor);
        if (!sel.factor || !factors.includes(sel.factor))
            sel.factor = factors.includes('w21003') ? 'w21003' : factors[0];
        replace(c.body, h('div', { class: 'controls' }, h('b', {}, sel.name),
            factors.length ? segmented(factors.map(f => [f, factorName(f)]), sel.factor, v => {
                sel.factor = v;
                fill(view, c, () => drawTrend(view, c, sel));
            }) : null), chartEl, h('div', { class: 'chart-title' }, t('water.daily')), daily);
        if (sel.factor) {
            const ch = timeChart(chartEl, { x: pv.x, height: 220, yLabel: factorUnit(sel.factor, 'water'),
                series: [{ label: factorName(sel.factor), values: pv.byFactor[sel.factor], color: color(0), width: 2 }] });
            if (ch)
                c.charts.push(ch);
        }
        replace(c.tools.querySelector('.csvslot'), csvButton('section-' + sel.mn + '.csv', null, null,
            rpath.replace('?', '?format=csv&'), t('csv.hourly')));
    } else {
        replace(c.body, note(view.errorText(d.readings.error), 'error'), daily);
    }
    if (failed(d.trend)) {
        daily.appendChild(note(view.errorText(d.trend.error), 'error'));
    } else {
        const rows = Array.isArray(d.trend) ? d.trend : d.trend.days || d.trend.rows || null;
        const cols = rows ? inferColumns(rows).map(col => (col.key === 'class'
            ? Object.assign(col, { cls: 'c', render: r => classBadge(r.class) }) : col)) : null;
        replace(daily, rows ? table(cols, rows) : any(d.trend));
        c.tools.querySelector('.csvslot').appendChild(rows
            ? csvButton('section-' + sel.mn + '-daily.csv', () => cols, () => rows, null, t('csv.daily'))
            : csvButton('section-' + sel.mn + '-daily.csv', () => [{ key: 0, label: 'key' }, { key: 1, label: 'value' }],
                () => flatten(d.trend), null, t('csv.daily')));
    }
}

function slot(c) {
    c.tools.appendChild(h('span', { class: 'csvslot' }));
    return c;
}

export async function render(view) {
    const s = view.signal;
    const mapc = card(t('water.map'), { cls: 'w-map', id: 'water-map', flush: true });
    const list = slot(card(t('water.sections'), { cls: 'w-list', id: 'sections', flush: true }));
    const trend = slot(card(t('water.trend'), { cls: 'w-trend', id: 'water-trend' }));
    view.el.appendChild(h('div', { class: 'wgrid' }, mapc.el, list.el, trend.el));
    const mapEl = h('div', { class: 'map' });
    replace(mapc.body, mapEl);
    let map = null;
    const sel = { mn: null, name: '', factor: null };
    let rows = [];

    async function load(first) {
        const d = await settle({ pts: points(s, 'water'), sections: get('api/v1/water/sections', s) });
        if (s.aborted)
            return;
        rows = sectionRows(failed(d.pts) ? [] : d.pts, failed(d.sections) ? [] : d.sections);
        if (sel.mn === null && rows.length) {
            sel.mn = rows[0].mn;
            sel.name = rows[0].name;
        }
        const pick = r => {
            sel.mn = r.mn;
            sel.name = r.name;
            fill(view, trend, () => drawTrend(view, trend, sel));
        };
        await Promise.all([
            fill(view, mapc, async () => {
                await tilesReady();
                if (failed(d.pts))
                    throw d.pts.error;
                const mp = rows.map(r => {
                    const w = waterClass(r.class);
                    const target = waterClass(r.target_class);
                    return { lat: r.lat, lon: r.lon, radius: 9, permanent: true, color: w ? w.color : '#b8c2cc',
                        stroke: r.compliant === false ? '#c0392b' : '#1f2d3d', square: r.compliant === false,
                        label: r.name + ' ' + (w ? (getLang() === 'en' ? w.en : w.zh) : '—') +
                            (target ? '/' + (getLang() === 'en' ? target.en : target.zh) : ''),
                        onclick: () => pick(r) };
                });
                if (map === null) {
                    map = pointMap(mapEl, mp);
                    legend(map.map, WATER_CLASSES.map(w => [w.color, getLang() === 'en' ? 'Class ' + w.en : w.zh]), t('water.class'));
                } else {
                    map.update(mp);
                }
            }),
            fill(view, list, () => {
                if (failed(d.sections) && rows.length === 0)
                    throw d.sections.error;
                const cols = columns();
                replace(list.tools.querySelector('.csvslot'), csvButton('water-sections.csv', () => cols, () => rows));
                replace(list.body, failed(d.sections) ? note(view.errorText(d.sections.error), 'error') : null,
                    table(cols, rows, { onRow: (r, tr) => {
                        tr.dataset.mn = r.mn;
                        tr.classList.add('pick');
                        tr.addEventListener('click', () => pick(r));
                    } }));
            }),
            first === true ? fill(view, trend, () => drawTrend(view, trend, sel)) : null,
        ]);
    }
    view.cleanup(() => (trend.charts || []).forEach(ch => ch.destroy()));
    await load(true);
    // Classes change with daily data: a refresh every half minute at most is plenty.
    view.live(throttle(load, 30000));
}
