// SPDX-License-Identifier: MIT
// The overview in a real browser: the six national stations by name with the AQI the API
// gives, the city AQI with its colour and primary pollutant, every point on the map, and the
// panels of alarms, water, sources, instruments and targets, with no console error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openView, shot, get, rowsBy } from './lib.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

test('the six national air stations are listed by name, with their county', async () => {
    const pts = await get('api/v1/points?kind=air');
    assert.equal(pts.length, 6, 'the demo registry has six national stations');
    await openView(b.page, 'overview', 'zh');
    const rows = await rowsBy(b.page, '#stations tr[data-mn]', 'mn');
    for (const p of pts) {
        assert.ok(rows[p.mn], 'station ' + p.name + ' (' + p.mn + ') is in the table');
        assert.equal(rows[p.mn][0], p.name);
        assert.equal(rows[p.mn][1], p.county);
    }
    assert.equal(Object.keys(rows).length, 6);
    b.assertNoErrors('overview');
});

test('each station shows the AQI of GET /api/v1/air/now, and the city tile the city AQI', async () => {
    // The page's request falls between these two: its value is one of theirs (an hour may
    // close in between).
    const before_ = await get('api/v1/air/now');
    await openView(b.page, 'overview');
    const after_ = await get('api/v1/air/now');
    const label = v => (v === null || v === undefined ? '—' : String(v));
    const shown = await b.page.$$eval('#stations tr[data-mn]', trs => Object.fromEntries(
        trs.map(tr => [tr.dataset.mn, tr.querySelector('.aqi').textContent.trim()])));
    assert.ok(before_.stations.length >= 6, 'air/now has the six stations');
    let numeric = 0;
    for (const s of before_.stations) {
        const s2 = after_.stations.find(x => x.mn === s.mn) || s;
        assert.ok([label(s.aqi), label(s2.aqi)].includes(shown[s.mn]),
            'AQI of ' + s.name + ': page ' + shown[s.mn] + ', API ' + label(s.aqi) + '/' + label(s2.aqi));
        if (typeof s.aqi === 'number')
            numeric++;
    }
    assert.ok(numeric >= 1, 'at least one station has an AQI after the back-fill');
    const city = await b.page.$eval('#city .city', el => ({
        aqi: el.dataset.cityAqi, color: getComputedStyle(el.querySelector('.city-top')).backgroundColor,
        primary: el.querySelector('.city-prim b').textContent,
    }));
    const cityAqi = [before_, after_].map(n => (n.city.aqi === null ? '' : String(n.city.aqi)));
    assert.ok(cityAqi.includes(city.aqi), 'city AQI: page ' + city.aqi + ', API ' + cityAqi.join('/'));
    assert.notEqual(city.color, 'rgba(0, 0, 0, 0)', 'the city tile carries the level colour');
    if (before_.city.aqi > 50 && before_.city.primary && before_.city.primary.length)
        assert.ok(city.primary.includes(before_.city.primary[0]) || city.primary.includes((after_.city.primary || [])[0]),
            'the primary pollutant is named');
    b.assertNoErrors('overview');
});

test('the map shows every registered point with coordinates, stations labelled', async () => {
    const pts = await get('api/v1/points');
    const placed = pts.filter(p => typeof p.lat === 'number' && typeof p.lon === 'number');
    await openView(b.page, 'overview');
    const markers = await b.page.$$eval('#map path.leaflet-interactive', els => els.length);
    assert.equal(markers, placed.length);
    const labels = await b.page.$$eval('#map .maplabel', els => els.map(e => e.textContent));
    for (const p of pts.filter(x => x.kind === 'air'))
        assert.ok(labels.some(l => l.startsWith(p.name)), 'label of ' + p.name);
    b.assertNoErrors('overview map');
});

test('the panels show open alarms, water classes, sources, instruments and targets', async () => {
    await openView(b.page, 'overview');
    const open = await get('api/v1/alarms?state=open');
    const kpi = await b.page.$eval('#alarms .kpi .kpi-v', el => el.textContent);
    assert.equal(kpi, String(open.length));
    const ins = await get('api/v1/instruments');
    const online = ins.filter(i => i.online).length;
    assert.equal(await b.page.$eval('#instruments .kpi .kpi-v', el => el.textContent), online + '/' + ins.length);
    const sections = await get('api/v1/water/sections');
    const bars = await b.page.$$eval('#water .bar-v', els => els.reduce((n, e) => n + Number(e.textContent), 0));
    assert.equal(bars, sections.filter(s => s.class !== null && s.class !== undefined && s.class !== '').length);
    await get('api/v1/sources');
    await get('api/v1/air/targets');
    for (const id of ['sources', 'targets'])
        assert.equal(await b.page.$$eval('#' + id + ' .error', els => els.length), 0, id + ' panel loaded');
    await shot(b.page, 'overview-zh');
    b.assertNoErrors('overview panels');
});
