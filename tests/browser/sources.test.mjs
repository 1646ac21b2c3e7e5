// SPDX-License-Identifier: MIT
// The sources page in a real browser: every enterprise outlet with its real-time values, the
// stack the simulator drives over its SO2 limit marked as exceeding (values against limits
// from /sources), the exceedance list, 传输有效率 and totals, the monthly report link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openView, shot, get, until, EXCEED_MN } from './lib.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

const SOURCE_KINDS = ['flue', 'wastewater', 'sewage'];

test('every outlet is listed under its enterprise with its latest values', async () => {
    const pts = (await get('api/v1/points')).filter(p => SOURCE_KINDS.includes(p.kind));
    assert.ok(pts.length >= 20, 'about twenty enterprises with stacks and outlets');
    await openView(b.page, 'sources', 'zh');
    const rows = await b.page.$$eval('#outlets tr[data-mn]', trs => Object.fromEntries(trs.map(tr =>
        [tr.dataset.mn, { cells: Array.from(tr.children).map(td => td.textContent.trim()),
            chips: tr.querySelectorAll('.vchip').length }])));
    // An outlet shows value chips exactly when the store holds readings of it (an instrument
    // approved by another test after sending only while pending has none: nothing was stored).
    const withData = new Set((await get('api/v1/latest')).map(r => r.point_id));
    let shown = 0;
    for (const p of pts) {
        assert.ok(rows[p.mn], 'outlet ' + p.name);
        assert.ok(rows[p.mn].cells[2].length > 0, 'outlet name of ' + p.mn);
        if (withData.has(p.id)) {
            assert.ok(rows[p.mn].chips > 0, 'values of ' + p.name);
            shown++;
        } else {
            assert.equal(rows[p.mn].chips, 0, 'no invented values for ' + p.name);
        }
    }
    assert.ok(shown >= 20, 'the demo outlets with data show their values (' + shown + ')');
    b.assertNoErrors('sources');
});

test('the provoked stack shows its SO2 over the limit, and the exceedance is listed', async () => {
    assert.ok(EXCEED_MN, 'EW_EXCEED_MN is set');
    await until(async () => {
        const src = await get('api/v1/sources');
        const o = src.flatMap(e => e.outlets).find(x => x.mn === EXCEED_MN);
        return o && o.values.some(v => v.factor === 'a21026' && v.exceeded);
    }, 60000, '/api/v1/sources marks the SO2 of ' + EXCEED_MN + ' exceeded');
    await openView(b.page, 'sources');
    const row = '#outlets tr[data-mn="' + EXCEED_MN + '"]';
    assert.ok(await b.page.$eval(row, tr => tr.classList.contains('over')), 'the row is marked');
    const chip = await b.page.$eval(row + ' .vchip[data-factor="a21026"]', el => ({
        over: el.classList.contains('over'), limit: el.querySelector('.vchip-l')?.textContent || '' }));
    assert.equal(chip.over, true);
    assert.match(chip.limit, /^\/\d/, 'the limit is shown beside the value');
    const listed = await b.page.$$eval('#exceedances tbody tr', trs => trs.map(tr => tr.textContent));
    const alarms = await get('api/v1/alarms?kind=exceedance&mn=' + EXCEED_MN);
    assert.ok(alarms.length >= 1, 'an exceedance alarm exists');
    assert.ok(listed.length >= 1 && listed.some(t => t.includes(alarms[0].point || '')), 'the exceedance is listed');
    b.assertNoErrors('sources exceedance');
});

test('transmission rates and totals panels load, the report link answers', async () => {
    const month = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
    await get('api/v1/sources/transmission?month=' + month);
    await get('api/v1/sources/totals?year=' + month.slice(0, 4));
    await openView(b.page, 'sources');
    for (const id of ['transmission', 'totals'])
        assert.equal(await b.page.$$eval('#' + id + ' .error', els => els.length), 0, id + ' panel loaded');
    const href = await b.page.$eval('a[data-report="sources-monthly-html"]', a => a.href);
    const r = await fetch(href);
    assert.equal(r.status, 200);
    await shot(b.page, 'sources-zh');
    b.assertNoErrors('sources panels');
});
