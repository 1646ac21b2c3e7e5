// SPDX-License-Identifier: MIT
// The water page in a real browser: every river section on the map and in the table with the
// class and target class of /water/sections, and the trend of an item at a chosen section.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openView, shot, get } from './lib.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

test('every section is listed and mapped, with the class the API gives', async () => {
    const pts = await get('api/v1/points?kind=water');
    assert.ok(pts.length >= 3, 'sections on the Tao, Wen and Mian');
    await openView(b.page, 'water', 'zh');
    const rows = await b.page.$$eval('#sections tr[data-mn]', trs => Object.fromEntries(trs.map(tr =>
        [tr.dataset.mn, Array.from(tr.children).map(td => td.textContent.trim())])));
    for (const p of pts)
        assert.equal(rows[p.mn] && rows[p.mn][0], p.name, 'section ' + p.name);
    const markers = await b.page.$$eval('#water-map path.leaflet-interactive', els => els.length);
    assert.equal(markers, pts.filter(p => typeof p.lat === 'number').length);
    const sections = await get('api/v1/water/sections');
    const names = ['I类', 'II类', 'III类', 'IV类', 'V类', '劣V类'];
    for (const s of sections) {
        const cls = rows[s.mn][4];
        if (typeof s.class === 'number')
            assert.equal(cls, names[s.class - 1], 'class of ' + s.name);
        else if (s.class)
            assert.ok(cls.length > 0, 'class of ' + s.name);
    }
    b.assertNoErrors('water');
});

test('clicking a section draws the trend of its items and the daily classes', async () => {
    const pts = await get('api/v1/points?kind=water');
    await openView(b.page, 'water');
    await b.page.click('#sections tr[data-mn="' + pts[1].mn + '"]');
    await b.page.waitForFunction(name => document.querySelector('#water-trend .controls b')?.textContent === name, pts[1].name);
    await b.page.waitForSelector('#water-trend .uplot canvas');
    const items = await b.page.$$eval('#water-trend .seg button', els => els.map(e => e.textContent));
    assert.ok(items.includes('氨氮'), 'NH3-N is one of the items: ' + items.join(','));
    await b.page.click('#water-trend .seg button:has-text("高锰酸盐指数")');
    await b.page.waitForSelector('#water-trend .seg button.on:has-text("高锰酸盐指数")');
    await b.page.waitForSelector('#water-trend .uplot canvas');
    assert.equal(await b.page.$$eval('#water-trend .daily .error', els => els.length), 0, 'daily trend loaded');
    await shot(b.page, 'water-zh');
    b.assertNoErrors('water trend');
});
