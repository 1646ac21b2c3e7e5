// SPDX-License-Identifier: MIT
// The instruments page in a real browser: every datalogger with its online state and clock
// drift as /api/v1/instruments gives them, the outlet the simulator silenced shown offline,
// and an unknown instrument (played by this test over real TCP) approved in the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openView, shot, get, api, until, sendUnknown, SILENT_MN } from './lib.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

test('every instrument is listed with its name, online state and packets', async () => {
    const pts = await get('api/v1/points');
    await openView(b.page, 'instruments', 'zh');
    const ins = await get('api/v1/instruments');
    const rows = await b.page.$$eval('#instruments tr[data-mn]', trs => Object.fromEntries(trs.map(tr =>
        [tr.dataset.mn, { online: tr.dataset.online, cells: Array.from(tr.children).map(td => td.textContent.trim()) }])));
    assert.equal(Object.keys(rows).length, ins.length);
    for (const p of pts) {
        const i = ins.find(x => x.mn === p.mn);
        assert.ok(i, p.mn + ' has been seen');
        assert.equal(rows[p.mn].cells[0], p.name);
        assert.equal(rows[p.mn].online, String(i.online));
    }
    b.assertNoErrors('instruments');
});

test('the silenced outlet turns offline', async () => {
    assert.ok(SILENT_MN, 'EW_SILENT_MN is set');
    await until(async () => (await get('api/v1/instruments')).some(i => i.mn === SILENT_MN && !i.online),
        60000, SILENT_MN + ' offline in the API');
    await openView(b.page, 'instruments');
    const state = await b.page.$eval('#instruments tr[data-mn="' + SILENT_MN + '"]', tr => ({
        online: tr.dataset.online, tag: tr.querySelector('.tag.bad')?.textContent }));
    assert.equal(state.online, 'false');
    assert.equal(state.tag, '离线');
    const kpi = await b.page.$$eval('#ins-summary .kpi-v', els => els.map(e => e.textContent));
    assert.ok(Number(kpi[1]) >= 1, 'offline count ' + kpi[1]);
    b.assertNoErrors('instruments offline');
});

test('an unknown instrument appears as pending and is approved in the page', async () => {
    const mn = '0101403000000320000T9901';
    await sendUnknown(mn);
    await until(async () => (await get('api/v1/pending')).some(p => p.mn === mn), 20000, mn + ' pending');
    await openView(b.page, 'instruments');
    await b.page.click('button[data-approve="' + mn + '"]');
    const form = 'form.approve[data-mn="' + mn + '"]';
    await b.page.fill(form + ' input[name=name]', '测试排口');
    await b.page.selectOption(form + ' select[name=kind]', 'wastewater');
    await b.page.fill(form + ' input[name=site]', '阳泉测试化工有限公司');
    await b.page.fill(form + ' input[name=county]', '郊区');
    await b.page.fill(form + ' input[name=lat]', '37.87');
    await b.page.fill(form + ' input[name=lon]', '113.52');
    await b.page.fill(form + ' input[name=pw]', '123456');
    await shot(b.page, 'instruments-approve-zh');
    await b.page.click(form + ' button[type=submit]');
    // Approved: the page reloads the list, where the instrument is no longer pending.
    await b.page.waitForFunction(m => !document.querySelector('#pending tr[data-mn="' + m + '"]'), mn);
    const p = await api('api/v1/points/' + mn);
    assert.equal(p.status, 200);
    assert.equal(p.body.name, '测试排口');
    assert.equal(p.body.kind, 'wastewater');
    assert.equal(p.body.county, '郊区');
    assert.equal((await get('api/v1/pending')).some(x => x.mn === mn), false, 'no longer pending');
    await shot(b.page, 'instruments-zh');
    b.assertNoErrors('approve');
});
