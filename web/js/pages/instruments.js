// SPDX-License-Identifier: MIT
// Instruments (设备运维): every datalogger seen since the daemon started, online or offline,
// with its clock drift; instruments whose MN is not registered, to approve in the page
// (POST /api/v1/pending/{mn}/approve); the live HJ 212 connections.
import { h, card, replace, select } from '../dom.js';
import { get, post } from '../api.js';
import { t, fieldLabel, pointKind } from '../i18n.js';
import { num, timeSec, yesNo } from '../fmt.js';
import { table, csvButton } from '../table.js';
import { throttle } from '../live.js';
import { fill, points, byMn, settle, failed, kpi } from './common.js';

// The daemon's default [instruments] clock_drift_limit_s: beyond it, it sends 1012 (set time).
const DRIFT_LIMIT_S = 120;
const KINDS = ['air', 'water', 'flue', 'wastewater', 'sewage', 'dust', 'fume'];
// HJ 212 system codes (ST) -> the point kind a new instrument most likely is.
const ST_KIND = { 21: 'water', 22: 'air', 31: 'flue', 32: 'wastewater' };

function insColumns(names) {
    return [
        { key: 'name', label: fieldLabel('name'), render: r => h('b', {}, (names.get(r.mn) || {}).name || '—'),
            csv: r => (names.get(r.mn) || {}).name || '' },
        { key: 'site', label: fieldLabel('site'), render: r => (names.get(r.mn) || {}).site || '', csv: r => (names.get(r.mn) || {}).site || '' },
        { key: 'kind', label: fieldLabel('kind'), render: r => pointKind((names.get(r.mn) || {}).kind || ''), csv: r => (names.get(r.mn) || {}).kind || '' },
        { key: 'mn', label: 'MN', cls: 'mono' },
        { key: 'online', label: fieldLabel('online'), cls: 'c',
            render: r => h('span', { class: 'tag ' + (r.online ? 'ok' : 'bad') }, r.online ? t('ov.online') : t('ov.offline')) },
        { key: 'connected', label: fieldLabel('connected'), cls: 'c', render: r => yesNo(r.connected) },
        { key: 'packets', label: fieldLabel('packets'), cls: 'n' },
        { key: 'drift_s', label: fieldLabel('drift_s'), cls: 'n',
            render: r => h('span', { class: Math.abs(r.drift_s) > DRIFT_LIMIT_S ? 'drift bad' : 'drift' }, num(r.drift_s, 0)) },
        { key: 'last_packet', label: fieldLabel('last_packet'), render: r => timeSec(r.last_packet), csv: r => r.last_packet },
        { key: 'last_data_time', label: fieldLabel('last_data_time'), render: r => timeSec(r.last_data_time), csv: r => r.last_data_time },
    ];
}

function pendingColumns() {
    return [
        { key: 'mn', label: 'MN', cls: 'mono' },
        { key: 'st', label: fieldLabel('st'), cls: 'c' },
        { key: 'peer', label: fieldLabel('peer'), cls: 'mono' },
        { key: 'first_seen', label: fieldLabel('first_seen'), render: r => timeSec(r.first_seen), csv: r => r.first_seen },
        { key: 'last_seen', label: fieldLabel('last_seen'), render: r => timeSec(r.last_seen), csv: r => r.last_seen },
        { key: 'packets', label: fieldLabel('packets'), cls: 'n' },
    ];
}

function connColumns(names) {
    return [
        { key: 'mn', label: 'MN', cls: 'mono' },
        { key: 'name', label: fieldLabel('name'), render: r => (names.get(r.mn) || {}).name || '—', csv: r => (names.get(r.mn) || {}).name || '' },
        { key: 'peer', label: fieldLabel('peer'), cls: 'mono' },
        { key: 'version', label: fieldLabel('version') },
        { key: 'opened', label: fieldLabel('opened'), render: r => timeSec(r.opened), csv: r => r.opened },
        { key: 'last_packet', label: fieldLabel('last_packet'), render: r => timeSec(r.last_packet), csv: r => r.last_packet },
    ];
}

// The approval form: what the registry needs to know of a new instrument.
function approveForm(p, done) {
    const f = {
        name: h('input', { name: 'name', required: true, size: 14, placeholder: fieldLabel('name') }),
        kind: select('kind', KINDS.map(k => [k, pointKind(k)]), ST_KIND[p.st] || 'flue', () => {}),
        site: h('input', { name: 'site', size: 14, placeholder: fieldLabel('site') }),
        county: h('input', { name: 'county', size: 8, placeholder: fieldLabel('county') }),
        lat: h('input', { name: 'lat', type: 'number', step: 'any', size: 8, placeholder: fieldLabel('lat') }),
        lon: h('input', { name: 'lon', type: 'number', step: 'any', size: 8, placeholder: fieldLabel('lon') }),
        pw: h('input', { name: 'pw', required: true, size: 8, placeholder: 'PW' }),
    };
    const msg = h('span', { class: 'msg' });
    const form = h('form', { class: 'actform approve', 'data-mn': p.mn }, Object.values(f),
        h('button', { type: 'submit', class: 'btn primary' }, t('ins.approve')), msg);
    form.addEventListener('submit', async e => {
        e.preventDefault();
        const body = { name: f.name.value, kind: f.kind.value, site: f.site.value, county: f.county.value, pw: f.pw.value };
        if (f.lat.value !== '')
            body.lat = Number(f.lat.value);
        if (f.lon.value !== '')
            body.lon = Number(f.lon.value);
        try {
            await post('api/v1/pending/' + encodeURIComponent(p.mn) + '/approve', body);
            msg.textContent = t('ins.approved');
            done();
        } catch (err) {
            msg.className = 'msg error';
            msg.textContent = t('al.failed') + ': ' + (err.message || err.code);
        }
    });
    return form;
}

function slot(c) {
    c.tools.appendChild(h('span', { class: 'csvslot' }));
    return c;
}

export async function render(view) {
    const s = view.signal;
    const summary = card(t('ins.list'), { cls: 'i-sum', id: 'ins-summary' });
    const ins = slot(card(t('ins.list'), { cls: 'i-list', id: 'instruments', flush: true }));
    const pend = slot(card(t('ins.pending'), { cls: 'i-pending', id: 'pending', flush: true }));
    const conns = slot(card(t('ins.connections'), { cls: 'i-conns', id: 'connections', flush: true }));
    summary.el.querySelector('h2').textContent = t('nav.instruments');
    view.el.appendChild(h('div', { class: 'igrid' }, summary.el, ins.el, pend.el, conns.el));

    async function load() {
        const d = await settle({ pts: points(s), ins: get('api/v1/instruments', s), pending: get('api/v1/pending', s),
            conns: get('api/v1/connections', s) });
        if (s.aborted)
            return;
        const names = byMn(failed(d.pts) ? [] : d.pts);
        await Promise.all([
            fill(view, summary, () => {
                if (failed(d.ins))
                    throw d.ins.error;
                const off = d.ins.filter(i => !i.online).length;
                const drift = d.ins.filter(i => Math.abs(i.drift_s) > DRIFT_LIMIT_S).length;
                replace(summary.body, h('div', { class: 'kpis' },
                    kpi(t('ov.online'), String(d.ins.length - off), '/ ' + d.ins.length, 'ok'),
                    kpi(t('ov.offline'), String(off), null, off ? 'bad' : 'ok'),
                    kpi(fieldLabel('drift_s'), String(drift), '> ' + DRIFT_LIMIT_S + ' s', drift ? 'warn' : 'ok'),
                    kpi(t('ins.pending'), failed(d.pending) ? '—' : String(d.pending.length), null,
                        !failed(d.pending) && d.pending.length ? 'warn' : 'ok')));
            }),
            fill(view, ins, () => {
                if (failed(d.ins))
                    throw d.ins.error;
                const rows = d.ins.slice().sort((a, b) => Number(a.online) - Number(b.online) || a.mn.localeCompare(b.mn));
                const cols = insColumns(names);
                replace(ins.tools.querySelector('.csvslot'), csvButton('instruments.csv', () => cols, () => rows));
                replace(ins.body, table(cols, rows, {
                    rowClass: r => (r.online ? '' : 'off'),
                    onRow: (r, tr) => { tr.dataset.mn = r.mn; tr.dataset.online = r.online; },
                }));
            }),
            fill(view, pend, () => {
                if (failed(d.pending))
                    throw d.pending.error;
                const cols = pendingColumns();
                // The approval form opens under the table (the table may scroll sideways).
                const box = h('div', { class: 'formbox', hidden: true });
                const act = { key: '_act', label: '', render: p => h('button', { type: 'button', class: 'btn small primary', 'data-approve': p.mn,
                    onclick: () => {
                        replace(box, h('div', { class: 'muted' }, 'MN ' + p.mn), approveForm(p, load));
                        box.hidden = false;
                        box.querySelector('input[name=name]').focus();
                    } }, t('ins.approve')) };
                replace(pend.tools.querySelector('.csvslot'), csvButton('pending.csv', () => cols, () => d.pending));
                replace(pend.body, table([act].concat(cols), d.pending, { onRow: (r, tr) => { tr.dataset.mn = r.mn; } }), box);
            }),
            fill(view, conns, () => {
                if (failed(d.conns))
                    throw d.conns.error;
                const cols = connColumns(names);
                replace(conns.tools.querySelector('.csvslot'), csvButton('connections.csv', () => cols, () => d.conns));
                replace(conns.body, table(cols, d.conns));
            }),
        ]);
    }
    await load();
    // Do not redraw under an open approval form.
    view.live(throttle(() => {
        const box = pend.body.querySelector('.formbox');
        if (!box || box.hidden)
            load();
    }, 5000));
}
