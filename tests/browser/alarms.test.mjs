// SPDX-License-Identifier: MIT
// The alarms page in a real browser: the exceedance the simulator provoked is in the list,
// the filters narrow the list as the API does, and an operator acknowledges, explains and
// closes the alarm through the page, which the API then shows with its history, each step in
// the name of the account signed in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openView, shot, get, until, EXCEED_MN, SILENT_MN, USER } from './lib.mjs';

let b;
let alarm;
before(async () => {
    b = await launch();
    alarm = await until(async () => (await get('api/v1/alarms?state=open&kind=exceedance&mn=' + EXCEED_MN))[0],
        90000, 'an open exceedance alarm for ' + EXCEED_MN);
});
after(async () => { await b.close(); });

test('the provoked exceedance alarm is listed with its point, factor and multiple', async () => {
    await openView(b.page, 'alarms', 'zh');
    const row = '#alarms tr[data-id="' + alarm.id + '"]';
    await b.page.waitForSelector(row);
    const cells = await b.page.$eval(row, tr => Array.from(tr.children).map(td => td.textContent.trim()));
    assert.ok(cells.includes(EXCEED_MN), 'MN shown');
    assert.ok(cells.includes('二氧化硫'), 'factor SO2 shown by name: ' + cells.join('|'));
    assert.ok(cells.includes('超标'), 'kind shown');
    assert.ok(cells.includes('未处置'), 'state shown');
    await shot(b.page, 'alarms-zh');
    b.assertNoErrors('alarms');
});

test('the filters ask the API for what they say', async () => {
    await openView(b.page, 'alarms');
    await b.page.selectOption('select[name=state]', '');
    await b.page.selectOption('select[name=kind]', 'exceedance');
    await b.page.fill('input[name=mn]', EXCEED_MN);
    await b.page.click('#alarm-filters button[type=submit]');
    await b.page.waitForFunction(mn => {
        const rows = Array.from(document.querySelectorAll('#alarms tr[data-id]'));
        return rows.length > 0 && rows.every(r => r.dataset.kind === 'exceedance' && r.textContent.includes(mn));
    }, EXCEED_MN);
    const from = await b.page.$eval('input[name=from]', el => el.value);
    const want = await get('api/v1/alarms?kind=exceedance&mn=' + EXCEED_MN + '&from=' + from);
    const got = await b.page.$$eval('#alarms tr[data-id]', trs => trs.map(tr => Number(tr.dataset.id)));
    assert.deepEqual(got.sort((x, y) => x - y), want.map(a => a.id).sort((x, y) => x - y));
    assert.ok(got.includes(alarm.id));
    if (SILENT_MN) {
        await b.page.selectOption('select[name=kind]', 'offline');
        await b.page.fill('input[name=mn]', SILENT_MN);
        await b.page.click('#alarm-filters button[type=submit]');
        await until(async () => (await get('api/v1/alarms?kind=offline&mn=' + SILENT_MN)).length > 0, 60000,
            'an offline alarm for the silent outlet ' + SILENT_MN);
        await b.page.click('#alarm-filters button[type=submit]');
        await b.page.waitForSelector('#alarms tr[data-kind="offline"]');
    }
    b.assertNoErrors('alarm filters');
});

async function act(action, note, wantState) {
    await openView(b.page, 'alarms');
    await b.page.selectOption('select[name=state]', '');
    await b.page.waitForSelector('#alarms:not([data-loading])');
    const row = '#alarms tr[data-id="' + alarm.id + '"]';
    await b.page.waitForSelector(row);
    await b.page.click(row + ' button[data-act="' + action + '"]');
    assert.equal(await b.page.$('form.actform[data-action="' + action + '"] input[name=by]'), null,
        'the page asks for no name: the server records the signed-in account');
    await b.page.fill('form.actform[data-action="' + action + '"] input[name=note]', note);
    await b.page.click('form.actform[data-action="' + action + '"] button[type=submit]');
    await b.page.waitForSelector(row + '[data-state="' + wantState + '"]');
    const a = (await get('api/v1/alarms?mn=' + EXCEED_MN)).find(x => x.id === alarm.id);
    assert.equal(a.state, wantState, 'the API shows the alarm ' + wantState);
    const h = a.history.find(x => x.state === wantState);
    assert.ok(h, 'history has the ' + wantState + ' step');
    assert.equal(h.by, USER, 'the step names the account signed in, not a typed name');
    assert.equal(h.note, note);
}

test('an operator acknowledges the alarm in the page, and the API shows it acknowledged', async () => {
    await act('acknowledge', '已电话通知企业核查脱硫设施', 'acknowledged');
    await shot(b.page, 'alarms-acknowledged-zh');
    b.assertNoErrors('acknowledge');
});

test('the enterprise explanation and the closing are recorded the same way', async () => {
    await act('explain', '脱硫塔循环泵故障，已抢修', 'explained');
    await act('close', '复核数据恢复正常，关闭', 'closed');
    const buttons = await b.page.$$eval('#alarms tr[data-id="' + alarm.id + '"] button[data-act]', els => els.length);
    assert.equal(buttons, 0, 'a closed alarm offers no action');
    b.assertNoErrors('explain and close');
});
