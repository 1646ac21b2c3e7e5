// SPDX-License-Identifier: MIT
// Air (环境空气): trends of AQI and concentrations for a station, a county or the city; the
// daily level calendar of a month; statistics, rankings, the year's targets and the
// heavy-pollution alerts; links to the daily and monthly reports (HTML and Excel).
import { h, card, replace, note, select, segmented } from '../dom.js';
import { get, qs, cstToUnix, cstToday, unixToCst } from '../api.js';
import { t, getLang, fieldLabel, AIR_POLLUTANTS, AQI_LEVELS, aqiLevel, levelName } from '../i18n.js';
import { aqiBadge, levelBadge, num, time } from '../fmt.js';
import { table, csvButton, any, inferColumns, flatten } from '../table.js';
import { timeChart, pivotReadings, color } from '../chart.js';
import { throttle } from '../live.js';
import { fill, points } from './common.js';

const RANGES = { '2d': 2, '7d': 7, '30d': 30 };

// The API's scope parameters for the selected scope "city", "county:NAME" or "station:MN".
function scopeParams(scope) {
    if (scope.startsWith('station:'))
        return { station: scope.slice(8) };
    if (scope.startsWith('county:'))
        return { county: scope.slice(7) };
    return { city: '1' };
}

function monthBounds(ym) {
    const [y, m] = ym.split('-').map(Number);
    const next = m === 12 ? (y + 1) + '-01' : y + '-' + String(m + 1).padStart(2, '0');
    return { from: ym + '-01', to: next + '-01', days: new Date(Date.UTC(y, m, 0)).getUTCDate(), y, m };
}

function shiftMonth(ym, by) {
    let [y, m] = ym.split('-').map(Number);
    m += by;
    while (m < 1) { m += 12; y--; }
    while (m > 12) { m -= 12; y++; }
    return y + '-' + String(m).padStart(2, '0');
}

function aqiRowColumns() {
    const cols = [
        { key: 'time', label: t('time'), render: r => time(r.time), csv: r => r.time },
        { key: 'aqi', label: 'AQI', cls: 'c', render: r => aqiBadge(r.aqi, r.color) },
        { key: 'category', label: fieldLabel('category'), render: r => levelBadge(r.aqi, r.category),
            csv: r => r.category || levelName(aqiLevel(r.aqi) || null) },
        { key: 'primary', label: fieldLabel('primary'), render: r => (r.primary || []).join(' ') || '—',
            csv: r => (r.primary || []).join(' ') },
    ];
    for (const p of AIR_POLLUTANTS)
        cols.push({ key: p.key, label: p.label + ' (' + p.unit + ')', cls: 'n',
            render: r => num(r.conc ? r.conc[p.key] : null, p.key === 'co' ? 1 : 0),
            csv: r => (r.conc ? r.conc[p.key] : null) });
    return cols;
}

// The AQI chart (with the HJ 633 level bands) and the concentrations chart of one scope.
async function drawTrend(view, c, state) {
    const s = view.signal;
    const now = Date.now() / 1000;
    const from = unixToCst(Math.floor(now / 3600) * 3600 - RANGES[state.range] * 86400);
    const to = unixToCst(Math.ceil(now / 3600) * 3600);
    const params = Object.assign(scopeParams(state.scope), { period: 'hour', from, to });
    const aqiPath = 'api/v1/air/aqi' + qs(params);
    for (const ch of c.charts || [])
        ch.destroy();
    c.charts = [];
    const aqiEl = h('div', { class: 'chart' });
    const concEl = h('div', { class: 'chart' });
    const tools = h('span', { class: 'csvslot' });
    replace(c.body, h('div', { class: 'chart-title' }, 'AQI · ' + t('air.hourly')), aqiEl,
        h('div', { class: 'chart-title' }, t('value')), concEl);
    replace(c.tools.querySelector('.csvslot'), tools);
    const [aqiRows, readings] = await Promise.all([
        get(aqiPath, s).catch(e => ({ error: e })),
        state.scope.startsWith('station:')
            ? get('api/v1/points/' + encodeURIComponent(state.scope.slice(8)) + '/readings' +
                qs({ kind: 'hour', from, to }), s).catch(e => ({ error: e }))
            : Promise.resolve(null),
    ]);
    if (s.aborted)
        return;
    const cleanup = [];
    if (Array.isArray(aqiRows)) {
        const x = aqiRows.map(r => cstToUnix(r.time));
        const ch = timeChart(aqiEl, {
            x, height: 190, yLabel: 'AQI',
            series: [{ label: 'AQI', values: aqiRows.map(r => r.aqi), color: '#34495e', width: 2 }],
            bands: AQI_LEVELS.slice(0, 5).map((l, i) => ({ from: i ? AQI_LEVELS[i - 1].max : 0, to: l.max, color: l.color + '22' })),
        });
        if (ch)
            cleanup.push(ch);
        tools.appendChild(csvButton('aqi-hourly.csv', aqiRowColumns, () => aqiRows, aqiPath.replace('?', '?format=csv&')));
    } else {
        aqiEl.appendChild(note(view.errorText(aqiRows.error), 'error'));
    }
    // Concentrations: the station's own hourly readings when a station is chosen, else the
    // concentrations of the county's or city's AQI rows.
    let x = [], series = [];
    if (Array.isArray(readings)) {
        const pv = pivotReadings(readings, cstToUnix);
        x = pv.x;
        series = AIR_POLLUTANTS.filter(p => pv.byFactor[p.code]).map((p, i) => ({
            label: p.label + (p.key === 'co' ? ' (mg/m³)' : ''), values: pv.byFactor[p.code],
            color: color(i), scale: p.key === 'co' ? 'y2' : 'y' }));
        const rpath = 'api/v1/points/' + encodeURIComponent(state.scope.slice(8)) + '/readings' +
            qs({ kind: 'hour', from, to, format: 'csv' });
        tools.appendChild(csvButton('readings-hourly.csv', null, null, rpath));
    } else if (Array.isArray(aqiRows)) {
        x = aqiRows.map(r => cstToUnix(r.time));
        series = AIR_POLLUTANTS.map((p, i) => ({
            label: p.label + (p.key === 'co' ? ' (mg/m³)' : ''),
            values: aqiRows.map(r => (r.conc && typeof r.conc[p.key] === 'number' ? r.conc[p.key] : null)),
            color: color(i), scale: p.key === 'co' ? 'y2' : 'y' }));
    } else if (readings && readings.error) {
        concEl.appendChild(note(view.errorText(readings.error), 'error'));
    }
    if (x.length) {
        const ch = timeChart(concEl, { x, series, height: 220, yLabel: 'µg/m³', y2Label: 'CO mg/m³' });
        if (ch)
            cleanup.push(ch);
    } else if (!concEl.firstChild) {
        concEl.appendChild(note(t('none')));
    }
    c.charts = cleanup;
}

// A month of daily AQI as a calendar, Monday first, each day in its level's colour.
async function drawCalendar(view, c, state) {
    const mb = monthBounds(state.month);
    const params = Object.assign(scopeParams(state.scope), { period: 'day', from: mb.from, to: mb.to });
    const path = 'api/v1/air/aqi' + qs(params);
    const rows = (await get(path, view.signal)).filter(r => String(r.time).startsWith(state.month));
    const byDay = new Map(rows.map(r => [Number(String(r.time).slice(8, 10)), r]));
    const first = new Date(Date.UTC(mb.y, mb.m - 1, 1)).getUTCDay();
    const lead = (first + 6) % 7;
    const names = getLang() === 'en' ? ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] :
        ['一', '二', '三', '四', '五', '六', '日'];
    const cells = names.map(n => h('div', { class: 'cal-h' }, n));
    for (let i = 0; i < lead; i++)
        cells.push(h('div', { class: 'cal-d empty' }));
    const counts = AQI_LEVELS.map(() => 0);
    for (let d = 1; d <= mb.days; d++) {
        const r = byDay.get(d);
        const lv = r ? aqiLevel(r.aqi) : null;
        if (lv)
            counts[AQI_LEVELS.indexOf(lv)]++;
        cells.push(h('div', {
            class: 'cal-d' + (lv ? '' : ' nodata'), title: r ? (r.category || levelName(lv)) + ' ' + (r.primary || []).join(' ') : '',
            style: lv ? { background: lv.color, color: lv.text } : undefined, 'data-day': d,
        }, h('span', { class: 'cal-n' }, String(d)), h('span', { class: 'cal-a' }, r && r.aqi !== null ? String(r.aqi) : '')));
    }
    replace(c.tools.querySelector('.csvslot'), csvButton('aqi-daily-' + state.month + '.csv', aqiRowColumns, () => rows,
        path.replace('?', '?format=csv&')));
    const good = counts[0] + counts[1];
    replace(c.body, h('div', { class: 'cal-nav' },
        h('button', { type: 'button', class: 'btn small', onclick: () => state.setMonth(shiftMonth(state.month, -1)) }, '‹'),
        h('b', {}, state.month),
        h('button', { type: 'button', class: 'btn small', onclick: () => state.setMonth(shiftMonth(state.month, 1)) }, '›'),
        h('span', { class: 'muted' }, fieldLabel('good_days') + ' ' + good + '/' + rows.length)),
    h('div', { class: 'cal' }, cells),
    h('div', { class: 'cal-legend' }, AQI_LEVELS.map((l, i) => h('span', {},
        h('i', { style: { background: l.color } }), (getLang() === 'en' ? l.en : l.zh) + ' ' + counts[i]))));
}

async function drawRanking(view, c, state) {
    const date = state.rankPeriod === 'year' ? state.month.slice(0, 4) : state.month;
    const path = 'api/v1/air/ranking' + qs({ period: state.rankPeriod, date, by: state.rankBy, of: state.rankOf });
    const rows = await get(path, view.signal);
    const cols = inferColumns(rows).map(col => (col.key === 'value'
        ? Object.assign(col, { cls: 'n', render: r => num(r.value, state.rankBy === 'index' ? 2 : 0) })
        : col.key === 'name' ? Object.assign(col, { render: r => h('b', {}, r.name) }) : col));
    replace(c.tools.querySelector('.csvslot'), csvButton('ranking-' + date + '.csv', () => cols, () => rows));
    replace(c.body, rankControls(state), table(cols, rows));
}

function rankControls(state) {
    return h('div', { class: 'controls' },
        segmented([['month', t('air.month')], ['year', t('air.year')]], state.rankPeriod, v => state.setRank({ rankPeriod: v })),
        segmented([['index', t('air.by.index')], ['pm25', t('air.by.pm25')]], state.rankBy, v => state.setRank({ rankBy: v })),
        segmented([['station', t('air.of.station')], ['county', t('air.of.county')]], state.rankOf, v => state.setRank({ rankOf: v })));
}

async function drawGeneric(view, c, path, file) {
    const data = await get(path, view.signal);
    const rows = Array.isArray(data) ? data : null;
    replace(c.tools.querySelector('.csvslot'), rows && rows.length && typeof rows[0] === 'object'
        ? csvButton(file, () => inferColumns(rows), () => rows)
        : csvButton(file, () => [{ key: 0, label: 'key' }, { key: 1, label: 'value' }], () => flatten(data)));
    replace(c.body, rows ? table(inferColumns(rows), rows) : any(data));
}

function reportLinks(state) {
    const yday = cstToday(-1);
    const dateIn = h('input', { type: 'date', value: yday, name: 'report-date' });
    const monthIn = h('input', { type: 'month', value: state.month, name: 'report-month' });
    const href = (kind, fmt) => (kind === 'daily'
        ? 'api/v1/reports/air-daily' + qs({ date: dateIn.value, format: fmt })
        : 'api/v1/reports/air-monthly' + qs({ month: monthIn.value, format: fmt }));
    const links = [];
    const link = (kind, fmt) => {
        const a = h('a', { class: 'btn small', target: fmt === 'html' ? '_blank' : undefined,
            'data-report': kind + '-' + fmt, href: href(kind, fmt) }, t(fmt === 'html' ? 'report.html' : 'report.xlsx'));
        links.push([a, kind, fmt]);
        return a;
    };
    const update = () => links.forEach(([a, kind, fmt]) => { a.href = href(kind, fmt); });
    dateIn.addEventListener('input', update);
    monthIn.addEventListener('input', update);
    return h('div', { class: 'reports' },
        h('div', { class: 'rep' }, h('b', {}, t('air.daily_report')), dateIn, link('daily', 'html'), link('daily', 'xlsx')),
        h('div', { class: 'rep' }, h('b', {}, t('air.monthly_report')), monthIn, link('monthly', 'html'), link('monthly', 'xlsx')));
}

function slot(c) {
    c.tools.appendChild(h('span', { class: 'csvslot' }));
    return c;
}

export async function render(view) {
    const s = view.signal;
    const pts = await points(s, 'air').catch(() => []);
    const counties = [...new Set(pts.map(p => p.county).filter(Boolean))];
    const state = {
        scope: 'city', range: '7d', month: cstToday().slice(0, 7),
        rankPeriod: 'month', rankBy: 'index', rankOf: 'station',
    };
    const trend = slot(card(t('air.trend'), { cls: 'air-trend', id: 'trend' }));
    const cal = slot(card(t('air.calendar'), { cls: 'air-cal', id: 'calendar' }));
    const stats = slot(card(t('air.stats'), { cls: 'air-stats', id: 'stats' }));
    const rank = slot(card(t('air.ranking'), { cls: 'air-rank', id: 'ranking' }));
    const targets = slot(card(t('air.targets'), { cls: 'air-targets', id: 'targets' }));
    const alerts = slot(card(t('air.alerts'), { cls: 'air-alerts', id: 'alerts' }));
    const reports = card(t('air.reports'), { cls: 'air-reports', id: 'reports' });

    const scopeOpts = [['city', t('city')]]
        .concat(counties.map(c => ['county:' + c, t('county') + ' · ' + c]))
        .concat(pts.map(p => ['station:' + p.mn, t('station') + ' · ' + p.name]));
    const bar = h('div', { class: 'toolbar' },
        h('label', {}, t('air.scope'), select('scope', scopeOpts, state.scope, v => { state.scope = v; redraw(); })),
        h('label', {}, t('air.range'), segmented(Object.keys(RANGES).map(k => [k, t('air.range.' + k)]), state.range,
            v => { state.range = v; fill(view, trend, () => drawTrend(view, trend, state)); })));
    view.el.appendChild(bar);
    view.el.appendChild(h('div', { class: 'airgrid' }, trend.el, cal.el, stats.el, rank.el, targets.el, alerts.el, reports.el));
    replace(reports.body, reportLinks(state));

    const statsPath = () => 'api/v1/air/stats' + qs({
        scope: state.scope.startsWith('city') ? 'city' : state.scope, period: 'month', date: state.month });
    state.setMonth = m => {
        state.month = m;
        fill(view, cal, () => drawCalendar(view, cal, state));
        fill(view, stats, () => drawGeneric(view, stats, statsPath(), 'air-stats-' + state.month + '.csv'));
    };
    state.setRank = p => {
        Object.assign(state, p);
        fill(view, rank, () => drawRanking(view, rank, state));
    };
    function redraw() {
        return Promise.all([
            fill(view, trend, () => drawTrend(view, trend, state)),
            fill(view, cal, () => drawCalendar(view, cal, state)),
            fill(view, stats, () => drawGeneric(view, stats, statsPath(), 'air-stats-' + state.month + '.csv')),
        ]);
    }
    view.cleanup(() => (trend.charts || []).forEach(ch => ch.destroy()));
    await Promise.all([
        redraw(),
        fill(view, rank, () => drawRanking(view, rank, state)),
        fill(view, targets, () => drawGeneric(view, targets, 'api/v1/air/targets', 'air-targets.csv')),
        fill(view, alerts, () => drawGeneric(view, alerts, 'api/v1/air/alerts', 'air-alerts.csv')),
    ]);
    // A new hourly AQI or an alert change: redraw the trend and the alerts (not the controls).
    const onAqi = throttle(() => fill(view, trend, () => drawTrend(view, trend, state)), 10000);
    const onAlert = throttle(() => fill(view, alerts, () => drawGeneric(view, alerts, 'api/v1/air/alerts', 'air-alerts.csv')), 5000);
    view.live(type => {
        if (type === 'aqi')
            onAqi();
        else if (type === 'air-alert')
            onAlert();
    });
}
