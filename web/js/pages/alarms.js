// SPDX-License-Identifier: MIT
// Alarms (报警处置): the list with filters (state, kind, county, MN, time), and the lifecycle in
// the page: acknowledge (确认), explain (说明, the enterprise's 异常申报) and close (关闭), each
// with a note, as POST /api/v1/alarms/{id}/<action> {"note"}; the history names the signed-in
// account that acted (the server takes it from the session, never from the page).
import { h, card, replace, note, select } from '../dom.js';
import { get, post, qs, cstToday } from '../api.js';
import { t, fieldLabel, factorName } from '../i18n.js';
import { num, time, plain } from '../fmt.js';
import { table, csvButton } from '../table.js';
import { throttle } from '../live.js';
import { fill, points, byMn } from './common.js';

const STATES = ['open', 'acknowledged', 'explained', 'closed'];
const KINDS = ['exceedance', 'offline', 'constant', 'zero-negative', 'out-of-range', 'flag'];
// What may follow each state (docs/api.md: 409 "state" for anything else).
const NEXT = {
    open: ['acknowledge', 'explain', 'close'],
    acknowledged: ['explain', 'close'],
    explained: ['close'],
    closed: [],
};
function columns(names) {
    return [
        { key: 'id', label: fieldLabel('id'), cls: 'n' },
        { key: 'opened', label: fieldLabel('opened'), render: a => time(a.opened), csv: a => a.opened },
        { key: 'last_seen', label: fieldLabel('last_seen'), render: a => time(a.last_seen, true), csv: a => a.last_seen },
        { key: 'point', label: fieldLabel('point'), render: a => h('b', {}, a.point || (names.get(a.mn) || {}).name || a.mn) },
        { key: 'mn', label: 'MN', cls: 'mono' },
        { key: 'county', label: fieldLabel('county') },
        { key: 'kind', label: fieldLabel('kind'), render: a => h('span', { class: 'tag k-' + a.kind }, t('kind.' + a.kind)) },
        { key: 'factor', label: fieldLabel('factor'), render: a => (a.factor ? factorName(a.factor) : '—') },
        { key: 'peak', label: fieldLabel('peak'), cls: 'n', render: a => num(a.peak) },
        { key: 'limit', label: fieldLabel('limit'), cls: 'n', render: a => num(a.limit) },
        { key: 'multiple', label: fieldLabel('multiple'), cls: 'n', render: a => num(a.multiple, 2) },
        { key: 'count', label: fieldLabel('count'), cls: 'n' },
        { key: 'state', label: fieldLabel('state'), render: a => h('span', { class: 'tag s-' + a.state }, t('state.' + a.state)),
            csv: a => a.state },
        { key: 'history', label: fieldLabel('history'),
            render: a => h('div', { class: 'hist' }, (a.history || []).map(x =>
                h('div', {}, h('span', { class: 'muted' }, time(x.at, true)), ' ', t('state.' + x.state), ' · ', x.by || '', x.note ? '：' + x.note : ''))),
            csv: a => (a.history || []).map(x => [x.at, x.state, x.by, x.note].map(plain).join(' ')).join(' | ') },
    ];
}

// The form that opens under a row for one action.
function actionForm(alarm, action, done) {
    const noteIn = h('input', { type: 'text', name: 'note', value: t('al.note_default'), size: 36 });
    const msg = h('span', { class: 'msg' });
    const form = h('form', { class: 'actform', 'data-action': action },
        h('label', {}, t('al.note'), noteIn),
        h('button', { type: 'submit', class: 'btn primary' }, t('al.submit') + '：' + t('al.' + action)),
        h('button', { type: 'button', class: 'btn', onclick: () => done(false) }, t('al.cancel')), msg);
    form.addEventListener('submit', async e => {
        e.preventDefault();
        try {
            await post('api/v1/alarms/' + encodeURIComponent(alarm.id) + '/' + action, { note: noteIn.value });
            msg.textContent = t('al.done');
            done(true);
        } catch (err) {
            msg.className = 'msg error';
            msg.textContent = t('al.failed') + ': ' + (err.message || err.code);
        }
    });
    return form;
}

export async function render(view) {
    const s = view.signal;
    const f = { state: 'open', kind: '', county: '', mn: '', from: cstToday(-30), to: '' };
    const list = card(t('al.list'), { cls: 'a-list', id: 'alarms', flush: true });
    list.tools.appendChild(h('span', { class: 'csvslot' }));
    const pts = await points(s).catch(() => []);
    const names = byMn(pts);
    const counties = [...new Set(pts.map(p => p.county).filter(Boolean))];
    const mnIn = h('input', { type: 'text', name: 'mn', placeholder: 'MN', size: 26 });
    const fromIn = h('input', { type: 'date', name: 'from', value: f.from });
    const toIn = h('input', { type: 'date', name: 'to' });
    const bar = h('form', { class: 'toolbar', id: 'alarm-filters' },
        h('label', {}, fieldLabel('state'), select('state', [['', t('all')]].concat(STATES.map(x => [x, t('state.' + x)])), f.state, v => { f.state = v; reload(); })),
        h('label', {}, fieldLabel('kind'), select('kind', [['', t('all')]].concat(KINDS.map(x => [x, t('kind.' + x)])), f.kind, v => { f.kind = v; reload(); })),
        h('label', {}, fieldLabel('county'), select('county', [['', t('all')]].concat(counties.map(x => [x, x])), f.county, v => { f.county = v; reload(); })),
        h('label', {}, 'MN', mnIn), h('label', {}, t('from'), fromIn), h('label', {}, t('to'), toIn),
        h('button', { type: 'submit', class: 'btn primary' }, t('apply')));
    bar.addEventListener('submit', e => {
        e.preventDefault();
        f.mn = mnIn.value.trim();
        f.from = fromIn.value;
        f.to = toIn.value;
        reload();
    });
    view.el.appendChild(bar);
    view.el.appendChild(list.el);
    let rows = [];
    const cols = columns(names);

    function draw() {
        replace(list.tools.querySelector('.csvslot'), csvButton('alarms.csv', () => cols, () => rows));
        const actionCol = { key: '_act', label: '', render: a => h('div', { class: 'acts' }, NEXT[a.state] ? NEXT[a.state].map(act =>
            h('button', { type: 'button', class: 'btn small act-' + act, 'data-act': act, onclick: e => openForm(e, a, act) }, t('al.' + act))) : null) };
        replace(list.body, table(cols.concat([actionCol]), rows, {
            rowClass: a => 'alarm-row s-' + a.state,
            onRow: (a, tr) => { tr.dataset.id = a.id; tr.dataset.state = a.state; tr.dataset.kind = a.kind; },
        }));
    }

    function openForm(e, alarm, action) {
        const tr = e.currentTarget.closest('tr');
        const old = list.body.querySelector('tr.formrow');
        if (old)
            old.remove();
        const formRow = h('tr', { class: 'formrow' }, h('td', { colspan: cols.length + 1 }));
        formRow.firstChild.appendChild(actionForm(alarm, action, ok => {
            formRow.remove();
            if (ok)
                reload();
        }));
        tr.after(formRow);
        formRow.querySelector('input[name=note]').focus();
    }

    async function reload() {
        await fill(view, list, async () => {
            const to = f.to ? f.to + 'T23:59:59' : '';
            rows = await get('api/v1/alarms' + qs({ state: f.state, kind: f.kind, county: f.county, mn: f.mn, from: f.from, to }), s);
            rows.sort((a, b) => String(b.opened).localeCompare(String(a.opened)));
            draw();
        });
    }
    await reload();
    // An alarm opened or changed: reload unless a form is open (do not wipe what is typed).
    const onAlarm = throttle(() => {
        if (!list.body.querySelector('tr.formrow'))
            reload();
    }, 3000);
    view.live(type => {
        if (type === 'alarm')
            onAlarm();
    });
}
