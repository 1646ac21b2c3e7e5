// SPDX-License-Identifier: MIT
// Overview (综合总览): the city's AQI now with its colour and primary pollutant, each national
// station with its current AQI, every point on the map, today's open alarms, water sections
// by class, sources in compliance, instruments online, and the year's targets.
import { h, card, replace, note } from '../dom.js';
import { get, qs, cstToday, unixToCst } from '../api.js';
import { t, getLang, fieldLabel, factorName, pointKind, AIR_POLLUTANTS, WATER_CLASSES,
    waterClass, aqiLevel, levelName, AQI_LEVELS } from '../i18n.js';
import { aqiBadge, levelBadge, num, time } from '../fmt.js';
import { table, csvButton, any, inferColumns, flatten } from '../table.js';
import { pointMap, legend, tilesReady } from '../map.js';
import { throttle } from '../live.js';
import { fill, points, latestByPoint, byMn, settle, failed, kpi } from './common.js';

// The stations' rows: the registry's air points, their AQI from /air/now and, where the AQI
// row has no concentration, the newest value from /latest (which keeps one value per factor,
// the newest of any kind: usually the real-time one).
function stationRows(pts, now, latest) {
    const aqi = byMn(now && now.stations);
    return pts.filter(p => p.kind === 'air').map(p => {
        const a = aqi.get(p.mn) || {};
        const lv = latest.get(p.id) || new Map();
        const conc = {};
        for (const pol of AIR_POLLUTANTS) {
            const c = a.conc && a.conc[pol.key];
            const l = lv.get(pol.code);
            conc[pol.key] = c !== undefined && c !== null ? c : l ? l.value : null;
        }
        const times = [...lv.values()].map(r => r.time).sort();
        return {
            mn: p.mn, name: p.name, county: p.county, lat: p.lat, lon: p.lon,
            aqi: a.aqi === undefined ? null : a.aqi, color: a.color, category: a.category,
            primary: a.primary || [], conc, time: a.time || times[times.length - 1] || null,
        };
    });
}

function stationColumns() {
    const cols = [
        { key: 'name', label: t('station'), render: r => h('b', {}, r.name) },
        { key: 'county', label: t('county') },
        { key: 'aqi', label: 'AQI', cls: 'c', render: r => aqiBadge(r.aqi, r.color) },
        { key: 'category', label: fieldLabel('category'), cls: 'c',
            render: r => levelBadge(r.aqi, r.category), csv: r => levelName(aqiLevel(r.aqi) || null) },
        { key: 'primary', label: t('ov.primary'), render: r => r.primary.join(' ') || '—',
            csv: r => r.primary.join(' ') },
    ];
    for (const p of AIR_POLLUTANTS) {
        cols.push({ key: p.key, label: p.label, cls: 'n', title: p.unit,
            render: r => num(r.conc[p.key], p.key === 'co' ? 1 : 0), csv: r => r.conc[p.key] });
    }
    cols.push({ key: 'time', label: t('time'), render: r => time(r.time, true), csv: r => r.time });
    return cols;
}

function cityTile(c, now, hours) {
    const city = now && now.city;
    if (!city) {
        replace(c.body, note(t('none')));
        return;
    }
    const lv = aqiLevel(city.aqi);
    const concRows = AIR_POLLUTANTS.map(p => h('div', { class: 'cc' },
        h('span', { class: 'cc-l' }, p.label),
        h('span', { class: 'cc-v' }, num(city.conc ? city.conc[p.key] : null, p.key === 'co' ? 1 : 0)),
        h('span', { class: 'cc-u' }, p.unit)));
    replace(c.body, h('div', { class: 'city', 'data-city-aqi': city.aqi === null ? '' : city.aqi },
        h('div', { class: 'city-top', style: { background: city.color || (lv ? lv.color : '#ccd'),
            color: lv ? lv.text : '#000' } },
        h('div', { class: 'city-aqi' }, city.aqi === null ? '—' : String(city.aqi)),
        h('div', { class: 'city-cat' }, getLang() === 'en' ? (city.category_en || (lv ? lv.en : '')) :
            (city.category || (lv ? lv.zh : '')))),
        h('div', { class: 'city-prim' }, h('span', { class: 'muted' }, t('ov.primary') + '：'),
            h('b', {}, (city.primary || []).join('、') || '—')),
        h('div', { class: 'city-time muted' }, time(city.time || now.time)),
        h('div', { class: 'city-conc' }, concRows), cityStrip(hours)));
}

// The city's last 24 hourly AQI values as coloured bars (the screen's "24 小时" strip).
function cityStrip(rows) {
    if (!Array.isArray(rows) || rows.length === 0)
        return null;
    const last = rows.slice(-24);
    const max = Math.max(100, ...last.map(r => r.aqi || 0));
    return h('div', { class: 'strip' },
        h('div', { class: 'strip-t muted' }, t('ov.last24')),
        h('div', { class: 'strip-bars' }, last.map(r => {
            const lv = aqiLevel(r.aqi);
            return h('i', { title: time(r.time, true) + '  AQI ' + (r.aqi === null ? '—' : r.aqi),
                style: { height: (r.aqi ? Math.max(4, r.aqi / max * 100) : 2) + '%', background: lv ? lv.color : '#ccd' } });
        })),
        h('div', { class: 'strip-x muted' }, h('span', {}, time(last[0].time, true).slice(6)),
            h('span', {}, time(last[last.length - 1].time, true).slice(6))));
}

function mapPoints(pts, stations, water, sources) {
    const st = byMn(stations);
    const sec = byMn(Array.isArray(water) ? water : []);
    const outlets = new Map();
    for (const e of Array.isArray(sources) ? sources : [])
        for (const o of e.outlets || [])
            outlets.set(o.mn, o);
    return pts.map(p => {
        if (p.kind === 'air') {
            const s = st.get(p.mn);
            const lv = s ? aqiLevel(s.aqi) : null;
            return { lat: p.lat, lon: p.lon, radius: 9, permanent: true, focus: true,
                color: lv ? (s.color || lv.color) : '#b8c2cc',
                label: p.name + (s && s.aqi !== null ? ' ' + s.aqi : '') };
        }
        if (p.kind === 'water') {
            const w = waterClass(sec.has(p.mn) ? sec.get(p.mn).class : null);
            return { lat: p.lat, lon: p.lon, radius: 7, square: true, color: w ? w.color : '#b8c2cc',
                tip: p.name + (w ? ' · ' + (getLang() === 'en' ? w.en : w.zh) : '') };
        }
        const o = outlets.get(p.mn);
        const bad = o && (o.values || []).some(v => v.exceeded);
        return { lat: p.lat, lon: p.lon, radius: 5,
            color: !o ? '#8a97a6' : bad ? '#e0201b' : o.online === false ? '#8a97a6' : '#2e9e5b',
            tip: (p.site ? p.site + ' · ' : '') + p.name + ' (' + pointKind(p.kind) + ')' };
    });
}

function alarmsPanel(c, alarms, pts) {
    if (failed(alarms))
        throw alarms.error;
    const names = byMn(pts);
    const today = cstToday();
    const list = alarms.slice().sort((a, b) => String(b.opened).localeCompare(String(a.opened)));
    const todays = list.filter(a => String(a.opened).startsWith(today)).length;
    const cols = [
        { key: 'opened', label: fieldLabel('opened'), render: a => time(a.opened, true), csv: a => a.opened },
        { key: 'point', label: fieldLabel('point'),
            render: a => a.point || (names.get(a.mn) || {}).name || a.mn },
        { key: 'kind', label: fieldLabel('kind'), render: a => h('span', { class: 'tag k-' + a.kind }, t('kind.' + a.kind)) },
        { key: 'factor', label: fieldLabel('factor'), render: a => (a.factor ? factorName(a.factor) : '—') },
        { key: 'multiple', label: fieldLabel('multiple'), cls: 'n', render: a => num(a.multiple, 2) },
    ];
    replace(c.tools.querySelector('.csvslot'), csvButton('open-alarms.csv', () => cols, () => list));
    replace(c.body, h('div', { class: 'kpis' },
        kpi(t('ov.open_alarms'), String(list.length), null, list.length ? 'bad' : 'ok'),
        kpi(t('ov.opened_today'), String(todays))),
    table(cols, list, { max: 8, rowClass: a => 'alarm-row', empty: t('none') }),
    h('a', { class: 'more', href: '#/alarms' }, t('nav.alarms') + ' →'));
}

function waterPanel(c, water) {
    if (failed(water))
        throw water.error;
    const counts = WATER_CLASSES.map(() => 0);
    let meet = 0;
    for (const s of water) {
        const w = waterClass(s.class);
        if (w)
            counts[w.n - 1]++;
        if (s.compliant)
            meet++;
    }
    const max = Math.max(1, ...counts);
    replace(c.tools.querySelector('.csvslot'), csvButton('water-classes.csv',
        () => [{ key: 'cls', label: fieldLabel('class') }, { key: 'n', label: t('count') }],
        () => WATER_CLASSES.map((w, i) => ({ cls: getLang() === 'en' ? w.en : w.zh, n: counts[i] }))));
    replace(c.body, h('div', { class: 'kpis' },
        kpi(t('ov.sections'), String(water.length)),
        kpi(t('ov.meets_target'), meet + '/' + water.length, null, meet === water.length ? 'ok' : 'warn')),
    h('div', { class: 'bars' }, WATER_CLASSES.map((w, i) => h('div', { class: 'bar' },
        h('span', { class: 'bar-l' }, getLang() === 'en' ? w.en : w.zh),
        h('span', { class: 'bar-t' }, h('i', { style: { width: (counts[i] / max * 100) + '%', background: w.color } })),
        h('span', { class: 'bar-v' }, String(counts[i]))))));
}

function sourcesPanel(c, sources) {
    if (failed(sources))
        throw sources.error;
    let outlets = 0, online = 0, exceeding = 0;
    for (const e of sources)
        for (const o of e.outlets || []) {
            outlets++;
            if (o.online)
                online++;
            if ((o.values || []).some(v => v.exceeded))
                exceeding++;
        }
    const share = outlets ? ((outlets - exceeding) / outlets * 100).toFixed(1) + '%' : '—';
    replace(c.tools.querySelector('.csvslot'), csvButton('sources-summary.csv',
        () => [{ key: 'k', label: t('factor') }, { key: 'v', label: t('value') }],
        () => [{ k: t('ov.outlets'), v: outlets }, { k: t('ov.online'), v: online },
            { k: t('ov.exceeding'), v: exceeding }, { k: t('ov.compliant'), v: share }]));
    replace(c.body, h('div', { class: 'kpis' },
        kpi(t('ov.compliant'), share, sources.length + ' ' + t('src.enterprise'), exceeding ? 'warn' : 'ok'),
        kpi(t('ov.exceeding'), String(exceeding), t('ov.outlets'), exceeding ? 'bad' : 'ok'),
        kpi(t('ov.online'), online + '/' + outlets, t('ov.outlets'))),
    h('a', { class: 'more', href: '#/sources' }, t('nav.sources') + ' →'));
}

function targetsPanel(c, targets) {
    if (failed(targets))
        throw targets.error;
    const rows = Array.isArray(targets) ? targets : Array.isArray(targets.targets) ? targets.targets : null;
    replace(c.tools.querySelector('.csvslot'), csvButton('air-targets.csv',
        () => [{ key: 0, label: 'key' }, { key: 1, label: 'value' }], () => flatten(targets)));
    replace(c.body, rows ? table(inferColumns(rows), rows) : any(targets));
}

function instrumentsPanel(c, ins, pts) {
    if (failed(ins))
        throw ins.error;
    const names = byMn(pts);
    const off = ins.filter(i => !i.online);
    replace(c.tools.querySelector('.csvslot'), csvButton('instruments.csv',
        () => inferColumns(ins), () => ins));
    replace(c.body, h('div', { class: 'kpis' },
        kpi(t('ov.online'), (ins.length - off.length) + '/' + ins.length, null, off.length ? 'warn' : 'ok'),
        kpi(t('ov.points'), String(pts.length))),
    off.length ? h('div', { class: 'offline-list' }, h('span', { class: 'muted' }, t('ov.offline') + '：'),
        off.map(i => h('span', { class: 'tag bad' }, (names.get(i.mn) || {}).name || i.mn))) : null,
    h('a', { class: 'more', href: '#/instruments' }, t('nav.instruments') + ' →'));
}

function withCsvSlot(c) {
    c.tools.appendChild(h('span', { class: 'csvslot' }));
    return c;
}

export async function render(view) {
    const s = view.signal;
    const city = withCsvSlot(card(t('ov.cityaqi'), { cls: 'ov-city', id: 'city' }));
    const stations = withCsvSlot(card(t('ov.stations'), { cls: 'ov-stations', id: 'stations', flush: true }));
    const mapc = card(t('ov.map'), { cls: 'ov-map', id: 'map', flush: true });
    const alarms = withCsvSlot(card(t('ov.alarms'), { cls: 'ov-alarms', id: 'alarms' }));
    const water = withCsvSlot(card(t('ov.water'), { cls: 'ov-water', id: 'water' }));
    const sources = withCsvSlot(card(t('ov.sources'), { cls: 'ov-sources', id: 'sources' }));
    const inst = withCsvSlot(card(t('ov.instruments'), { cls: 'ov-inst', id: 'instruments' }));
    const targets = withCsvSlot(card(t('ov.targets'), { cls: 'ov-targets', id: 'targets' }));
    view.el.appendChild(h('div', { class: 'ov' }, city.el, stations.el, mapc.el, alarms.el, water.el,
        sources.el, inst.el, targets.el));
    const mapEl = h('div', { class: 'map' });
    replace(mapc.body, mapEl);
    let map = null;

    async function load() {
        const d = await settle({
            pts: points(s), now: get('api/v1/air/now', s),
            hours: get('api/v1/air/aqi' + qs({ city: '1', period: 'hour',
                from: unixToCst(Date.now() / 1000 - 25 * 3600), to: unixToCst(Date.now() / 1000 + 3600) }), s),
            latest: latestByPoint(s, ['hour', 'minute', 'rtd']),
            alarms: get('api/v1/alarms?state=open', s), water: get('api/v1/water/sections', s),
            sources: get('api/v1/sources', s), targets: get('api/v1/air/targets', s),
            ins: get('api/v1/instruments', s),
        });
        if (s.aborted)
            return;
        const pts = failed(d.pts) ? [] : d.pts;
        const now = failed(d.now) ? null : d.now;
        const latest = failed(d.latest) ? new Map() : d.latest;
        const rows = stationRows(pts, now, latest);
        await Promise.all([
            fill(view, city, () => {
                if (failed(d.now))
                    throw d.now.error;
                cityTile(city, now, failed(d.hours) ? null : d.hours);
                replace(city.tools.querySelector('.csvslot'), csvButton('city-aqi.csv',
                    () => [{ key: 0, label: 'key' }, { key: 1, label: 'value' }], () => flatten(now.city)));
            }),
            fill(view, stations, () => {
                if (failed(d.pts))
                    throw d.pts.error;
                const cols = stationColumns();
                replace(stations.tools.querySelector('.csvslot'), csvButton('stations-aqi.csv', () => cols, () => rows));
                replace(stations.body, table(cols, rows, {
                    onRow: (r, tr) => { tr.dataset.mn = r.mn; tr.dataset.aqi = r.aqi === null ? '' : r.aqi; },
                }));
            }),
            fill(view, mapc, async () => {
                await tilesReady();
                const mp = mapPoints(pts, now ? now.stations : [], d.water, d.sources);
                if (map === null) {
                    map = pointMap(mapEl, mp);
                    legend(map.map, AQI_LEVELS.map(l => [l.color, getLang() === 'en' ? l.en : l.zh])
                        .concat([['#2e9e5b', t('src.outlet') + ' ' + t('ov.compliant')],
                            ['#e0201b', t('src.outlet') + ' ' + t('ov.exceeding')]]), 'AQI');
                } else {
                    map.update(mp);
                }
            }),
            fill(view, alarms, () => alarmsPanel(alarms, d.alarms, pts)),
            fill(view, water, () => waterPanel(water, d.water)),
            fill(view, sources, () => sourcesPanel(sources, d.sources)),
            fill(view, inst, () => instrumentsPanel(inst, d.ins, pts)),
            fill(view, targets, () => targetsPanel(targets, d.targets)),
        ]);
    }
    await load();
    // Every upload of the city's instruments is an event: refresh at most every 10 s.
    view.live(throttle(load, 10000));
}
