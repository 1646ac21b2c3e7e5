// SPDX-License-Identifier: MIT
// The air page in a real browser: the hourly trend charts of the city and of a station, the
// month's daily level calendar against /air/aqi, the ranking against /air/ranking, the
// statistics, targets and alerts panels, and the report links (HTML and a real .xlsx).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openView, shot, get, api, BASE } from './lib.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

function thisMonth() {
    return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
}

test('the city trend draws the hourly AQI and the concentrations', async () => {
    await openView(b.page, 'air', 'zh');
    const charts = await b.page.$$eval('#trend .uplot canvas', els => els.length);
    assert.equal(charts, 2, 'AQI chart and concentration chart');
    const legend = await b.page.$$eval('#trend .u-legend .u-label', els => els.map(e => e.textContent));
    assert.ok(legend.includes('AQI') && legend.includes('PM2.5'), legend.join(','));
    b.assertNoErrors('air');
});

test('choosing a station draws its own hourly readings, with the API CSV link', async () => {
    const pts = await get('api/v1/points?kind=air');
    await openView(b.page, 'air');
    await b.page.selectOption('select[name=scope]', 'station:' + pts[0].mn);
    await b.page.waitForSelector('#trend a[data-csv="readings-hourly.csv"]');
    const href = await b.page.$eval('#trend a[data-csv="readings-hourly.csv"]', a => a.href);
    const r = await fetch(href);
    assert.equal(r.status, 200);
    const text = await r.text();
    assert.match(text, /^time,kind,factor,value,flag/);
    assert.ok(text.includes(',a34004,'), 'PM2.5 rows in the CSV');
    assert.equal(await b.page.$$eval('#trend .uplot canvas', els => els.length), 2);
    b.assertNoErrors('air station');
});

test('the calendar colours every day that has a daily AQI in /air/aqi', async () => {
    const month = thisMonth();
    const [y, m] = month.split('-').map(Number);
    const next = m === 12 ? (y + 1) + '-01' : y + '-' + String(m + 1).padStart(2, '0');
    const rows = (await get('api/v1/air/aqi?city=1&period=day&from=' + month + '-01&to=' + next + '-01'))
        .filter(r => String(r.time).startsWith(month) && r.aqi !== null);
    await openView(b.page, 'air');
    const days = await b.page.$$eval('#calendar .cal-d[data-day]', els => els.map(e => ({
        day: Number(e.dataset.day), aqi: e.querySelector('.cal-a').textContent, nodata: e.classList.contains('nodata'),
    })));
    assert.equal(days.length, new Date(Date.UTC(y, m, 0)).getUTCDate(), 'one cell per day of ' + month);
    for (const r of rows) {
        const d = days.find(x => x.day === Number(String(r.time).slice(8, 10)));
        assert.equal(d.aqi, String(r.aqi), 'AQI of ' + r.time);
        assert.equal(d.nodata, false);
    }
    assert.equal(days.filter(d => !d.nodata).length, rows.length);
    b.assertNoErrors('air calendar');
});

test('ranking, statistics, targets and alerts come from the API', async () => {
    const month = thisMonth();
    const ranking = await get('api/v1/air/ranking?period=month&date=' + month + '&by=index&of=station');
    await get('api/v1/air/stats?scope=city&period=month&date=' + month);
    await get('api/v1/air/targets');
    await get('api/v1/air/alerts');
    await openView(b.page, 'air');
    const n = await b.page.$$eval('#ranking tbody tr', els => els.length);
    assert.equal(n, ranking.length);
    for (const id of ['stats', 'targets', 'alerts'])
        assert.equal(await b.page.$$eval('#' + id + ' .error', els => els.length), 0, id + ' panel loaded');
    await shot(b.page, 'air-zh');
    b.assertNoErrors('air panels');
});

test('the report links give an HTML page and an .xlsx workbook', async () => {
    await openView(b.page, 'air');
    for (const k of ['daily-html', 'monthly-html']) {
        const href = await b.page.$eval('a[data-report="' + k + '"]', a => a.href);
        assert.ok(href.startsWith(BASE), href);
        const r = await fetch(href);
        assert.equal(r.status, 200, k);
        assert.match(r.headers.get('content-type'), /text\/html/);
    }
    for (const k of ['daily-xlsx', 'monthly-xlsx']) {
        const href = await b.page.$eval('a[data-report="' + k + '"]', a => a.href);
        const r = await fetch(href);
        assert.equal(r.status, 200, k);
        const bytes = new Uint8Array(await r.arrayBuffer());
        assert.equal(String.fromCharCode(bytes[0], bytes[1]), 'PK', k + ' is a zip (xlsx)');
    }
    const r = await api('api/v1/reports/air-daily?date=2000-13-40&format=html');
    assert.equal(r.status, 400, 'a bad date is refused');
    b.assertNoErrors('air reports');
});
