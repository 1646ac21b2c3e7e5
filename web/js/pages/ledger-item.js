// SPDX-License-Identifier: MIT
// One ledger item in the 台账 tab: its fields, deadline and legal clock, the actions its state
// allows (each a form that POSTs the transition with a note; a refusal shows the API's
// reason), its history, comments, evidence files (download and upload) and links.
// GET /api/v1/ledger/items/{id} gives everything at once (docs/ledger.md section 7).
import { h, replace, note } from '../dom.js';
import { get, post, upload, qs, cstToday, ApiError } from '../api.js';
import { t } from '../i18n.js';
import { time, num } from '../fmt.js';
import { table, csvButton } from '../table.js';
import * as auth from '../auth.js';
import { w, fieldName, kindName, stateName, actionName, roleName, levelName, rolesFor,
    actionRoles, needsNote, ACTION_FIELDS, clockRule, clockRuns, isFinal } from './ledger-model.js';

const NAME_KEY = 'envwatch.ledger.actor';

// The name written into the history when no account is signed in (an account's name always
// replaces it on the server).
function actorName() {
    const u = auth.current();
    if (u !== null)
        return u.name;
    try {
        return localStorage.getItem(NAME_KEY) || roleName('operator');
    } catch (e) {
        return roleName('operator');
    }
}

// The actor of a write: {name, role, unit}; an officer acts for its account's unit.
export function actor(role, unit) {
    const u = auth.current();
    return { name: actorName(), role, unit: (u && u.unit) || unit || '' };
}

// A <select> of the ledger roles this account may act as, the preferred one chosen.
export function roleSelect(prefer) {
    const mine = rolesFor(auth.current());
    const pick = (prefer || []).find(r => mine.includes(r)) || mine[0] || '';
    return h('select', { name: 'role' }, mine.map(r => h('option', { value: r, selected: r === pick }, roleName(r))));
}

// The unit an officer acts for: its account's, fixed; others may name one (or none).
export function unitInput(value) {
    const u = auth.current();
    const own = u && u.unit ? u.unit : '';
    return h('input', { type: 'text', name: 'actor_unit', value: own || value || '', size: 14,
        readonly: own !== '' ? true : undefined });
}

// Days from today (CST) to the deadline's day: 0 today, < 0 late.
export function daysLeft(due) {
    if (typeof due !== 'string' || due.length < 10)
        return null;
    const d = s => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
    return Math.round((d(due) - d(cstToday())) / 86400000);
}

// The deadline as a tag: days left, due today, or days late; done items say when.
export function dueTag(it) {
    if (!it.due)
        return h('span', { class: 'muted' }, '—');
    if (it.done || isFinal(it.state) || !clockRuns(it.kind, it.state))
        return h('span', { class: 'muted' }, it.due.slice(0, 10));
    const n = daysLeft(it.due);
    const late = n < 0 || it.overdue;
    const text = n < 0 ? w('ld.days_late', { n: -n }) : n === 0 ? w('ld.today') : w('ld.days_left', { n });
    return h('span', { class: 'ldue' + (late ? ' late' : n <= 7 ? ' soon' : '') },
        it.due.slice(0, 10), ' ', h('small', {}, text));
}

export function stateTag(it) {
    return h('span', { class: 'tag ls-' + it.state + (isFinal(it.state) ? ' final' : '') },
        stateName(it.kind, it.state, it.state_label));
}

function fieldRows(it) {
    const keys = ['code', 'unit', 'county', 'leader', 'gov_leader', 'coop_units', 'category', 'source',
        'subject', 'level', 'qty_target', 'qty_done', 'penalty_yuan', 'penalty_days', 'parent_id',
        'opened', 'done', 'closed', 'updated'];
    const out = [];
    for (const k of keys) {
        let v = it[k];
        if (v === null || v === undefined || v === '' || ((k === 'level' || k === 'parent_id' ||
            k === 'penalty_days') && v === 0))
            continue;
        if (k === 'level')
            v = levelName(v);
        else if (k === 'parent_id')
            v = h('a', { href: '#/ledger?id=' + v }, '#' + v);
        else if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v))
            v = time(v);
        out.push(h('dt', {}, fieldName(k, it.kind)), h('dd', {}, v));
    }
    return h('dl', { class: 'kv lkv' }, out);
}

function clockBox(it) {
    const runs = clockRuns(it.kind, it.state);
    const rows = [
        h('dt', {}, fieldName('due', it.kind)), h('dd', {}, dueTag(it),
            it.overdue ? h('span', { class: 'tag bad' }, w('ld.overdue')) : null),
        h('dt', {}, w('ld.clock')), h('dd', {}, h('span', { class: 'tag ' + (runs ? 'warnt' : '') },
            runs ? w('ld.clock.runs') : w('ld.clock.stopped')), ' ', clockRule(it.kind, it.state)),
    ];
    if (it.mark)
        rows.push(h('dt', {}, fieldName('mark', it.kind)), h('dd', {}, time(it.mark)));
    if (it.extensions > 0)
        rows.push(h('dt', {}, fieldName('extensions', it.kind)), h('dd', {}, String(it.extensions)));
    return h('dl', { class: 'kv lkv lclock' }, rows);
}

function historyColumns(kind) {
    return [
        { key: 'at', label: t('time'), render: e => time(e.at), csv: e => e.at },
        { key: 'action', label: w('ld.step'), render: e => h('b', {}, actionName(kind, e.action)), csv: e => e.action },
        { key: 'to', label: w('ld.from_to'),
            render: e => (e.from === e.to || e.to === '' ? '' : (e.from ? stateName(kind, e.from) + ' → ' : '') + stateName(kind, e.to)),
            csv: e => (e.from || '') + '->' + (e.to || '') },
        { key: 'actor', label: w('ld.by'), render: e => [e.actor, h('span', { class: 'muted' }, ' · ' + roleName(e.role) +
            (e.unit ? ' · ' + e.unit : ''))], csv: e => [e.actor, e.role, e.unit].join(' ') },
        { key: 'note', label: w('ld.note'), cls: 'wrap' },
    ];
}

// The form of one action: acting role (and unit), note, and what the action needs.
function actionForm(it, action, done) {
    const extra = (ACTION_FIELDS[action] || []).map(f => h('label', {}, w('af.' + f),
        h('input', { name: f, type: f === 'due' ? 'date' : f === 'unit' ? 'text' : 'number',
            min: f === 'unit' || f === 'due' ? undefined : 0, size: f === 'unit' ? 16 : 8 })));
    const role = roleSelect(actionRoles(it.kind, action));
    const unit = unitInput(it.unit);
    const must = needsNote(it.kind, action);
    const noteIn = h('input', { type: 'text', name: 'note', size: 40, required: must ? true : undefined,
        placeholder: must ? w('ld.note.needed') : '' });
    const msg = h('span', { class: 'msg' });
    const form = h('form', { class: 'actform', 'data-action': action },
        h('label', {}, w('ld.as'), role), h('label', {}, w('ld.my_unit'), unit), extra,
        h('label', {}, w('ld.note'), noteIn),
        h('button', { type: 'submit', class: 'btn primary' }, w('ld.submit') + '：' + actionName(it.kind, action)),
        h('button', { type: 'button', class: 'btn', onclick: () => done(false) }, w('ld.cancel')), msg);
    form.addEventListener('submit', async e => {
        e.preventDefault();
        const body = { action, actor: actor(role.value, unit.value.trim()) };
        if (noteIn.value.trim() !== '')
            body.note = noteIn.value.trim();
        for (const f of ACTION_FIELDS[action] || []) {
            const v = form.elements[f].value.trim();
            if (v !== '')
                body[f] = f === 'unit' || f === 'due' ? v : Number(v);
        }
        msg.className = 'msg';
        msg.textContent = '…';
        try {
            await post('api/v1/ledger/items/' + it.id + '/actions', body);
            msg.textContent = w('ld.done');
            done(true);
        } catch (err) {
            msg.className = 'msg error';
            msg.textContent = w('ld.refused') + '：' + (err.message || err.code);
        }
    });
    return form;
}

function actionsBox(it, actions, onChange) {
    const slot = h('div', { class: 'lformslot' });
    if (actions.length === 0)
        return h('div', { class: 'lacts' }, h('span', { class: 'muted' }, w('ld.no_actions')));
    const buttons = actions.map(a => h('button', {
        type: 'button', class: 'btn small act-' + a.action, 'data-act': a.action,
        title: actionRoles(it.kind, a.action).map(roleName).join(' / ') + (a.to !== it.state ? ' → ' + stateName(it.kind, a.to) : ''),
        onclick: () => replace(slot, actionForm(it, a.action, ok => {
            replace(slot);
            if (ok)
                onChange();
        })),
    }, actionName(it.kind, a.action)));
    return h('div', {}, h('div', { class: 'lacts' }, buttons), slot);
}

function commentForm(it, onChange) {
    const role = roleSelect(['operator', 'leader', 'officer', 'inspector', 'chief']);
    const unit = unitInput(it.unit);
    const text = h('input', { type: 'text', name: 'comment', size: 48, required: true });
    const msg = h('span', { class: 'msg' });
    const form = h('form', { class: 'actform', id: 'ledger-comment' }, h('label', {}, w('ld.as'), role),
        h('label', {}, w('ld.comment'), text), h('button', { type: 'submit', class: 'btn' }, w('ld.submit')), msg);
    form.addEventListener('submit', async e => {
        e.preventDefault();
        try {
            await post('api/v1/ledger/items/' + it.id + '/comments',
                { note: text.value.trim(), actor: actor(role.value, unit.value.trim()) });
            onChange();
        } catch (err) {
            msg.className = 'msg error';
            msg.textContent = w('ld.refused') + '：' + (err.message || err.code);
        }
    });
    return form;
}

function sizeText(n) {
    return n >= 1048576 ? num(n / 1048576, 1) + ' MB' : n >= 1024 ? num(n / 1024, 0) + ' KB' : n + ' B';
}

function filesBox(it, files, onChange) {
    const cols = [
        { key: 'name', label: w('ld.name'), render: f => h('a', { href: 'api/v1/ledger/files/' + f.sha256,
            download: f.name, 'data-file': f.sha256 }, f.name) },
        { key: 'mime', label: t('f.kind'), render: f => f.mime.split(';')[0] },
        { key: 'size', label: w('ld.size'), cls: 'n', render: f => sizeText(f.size) },
        { key: 'by', label: w('ld.by') },
    ];
    const role = roleSelect(['officer', 'operator', 'inspector', 'leader', 'chief']);
    const unit = unitInput(it.unit);
    const input = h('input', { type: 'file', name: 'evidence',
        accept: '.pdf,.jpg,.jpeg,.png,.docx,.xlsx,.doc,.xls,.txt' });
    const msg = h('span', { class: 'msg' });
    const form = h('form', { class: 'actform', id: 'ledger-upload' }, h('label', {}, w('ld.as'), role), input,
        h('button', { type: 'submit', class: 'btn' }, w('ld.upload')), h('span', { class: 'muted' }, w('ld.files.hint')), msg);
    form.addEventListener('submit', async e => {
        e.preventDefault();
        const file = input.files[0];
        if (!file)
            return;
        const a = actor(role.value, unit.value.trim());
        try {
            await upload('api/v1/ledger/items/' + it.id + '/files' + qs({ name: file.name, actor: a.name,
                role: a.role, unit: a.unit }), file);
            onChange();
        } catch (err) {
            msg.className = 'msg error';
            msg.textContent = w('ld.refused') + '：' + (err.message || err.code);
        }
    });
    return h('div', {}, files.length ? table(cols, files) : null, form);
}

function linkTarget(k, pointNames) {
    if (k.type === 'item')
        return h('a', { href: '#/ledger?id=' + encodeURIComponent(k.target) }, '#' + k.target);
    if (k.type === 'point') {
        const p = pointNames.get(k.target);
        return h('span', {}, p ? p.name + ' ' : '', h('span', { class: 'mono muted' }, k.target));
    }
    if (k.type === 'alarm')
        return h('a', { href: '#/alarms' }, '#' + k.target);
    return k.target;
}

function linksBox(it, links, pointNames, onChange) {
    const type = h('select', { name: 'type' }, ['item', 'point', 'alarm', 'enterprise'].map(x =>
        h('option', { value: x }, w('lt.' + x))));
    const target = h('input', { type: 'text', name: 'target', size: 26, required: true });
    const rel = h('input', { type: 'text', name: 'relation', size: 12 });
    const msg = h('span', { class: 'msg' });
    const form = h('form', { class: 'actform', id: 'ledger-link' }, h('label', {}, w('ld.link.type'), type),
        h('label', {}, w('ld.link.target'), target), h('label', {}, w('ld.link.relation'), rel),
        h('button', { type: 'submit', class: 'btn' }, w('ld.link.add')), msg);
    form.addEventListener('submit', async e => {
        e.preventDefault();
        try {
            await post('api/v1/ledger/items/' + it.id + '/links', { type: type.value, target: target.value.trim(),
                relation: rel.value.trim() || undefined });
            onChange();
        } catch (err) {
            msg.className = 'msg error';
            msg.textContent = w('ld.refused') + '：' + (err.message || err.code);
        }
    });
    const list = links.length === 0 ? null : h('ul', { class: 'llinks' }, links.map(k =>
        h('li', {}, h('span', { class: 'tag' }, w('lt.' + k.type)), ' ', linkTarget(k, pointNames),
            k.relation ? h('span', { class: 'muted' }, '（' + k.relation + '）') : null)));
    return h('div', {}, list, form);
}

function section(title, ...body) {
    return h('section', { class: 'lsec' }, h('h3', {}, title), body);
}

// Loads item id into card c (from dom.card). ctx: {signal, pointNames, onChange(item)}.
export async function showItem(c, id, ctx) {
    let d;
    try {
        d = await get('api/v1/ledger/items/' + encodeURIComponent(id), ctx.signal);
    } catch (e) {
        if (!(e instanceof ApiError && e.status === 404))
            throw e;
        replace(c.tools);
        replace(c.body, note(w('ld.notfound', { id }), 'error'));
        return null;
    }
    const it = d.item;
    const reload = () => showItem(c, id, ctx).then(() => ctx.onChange(it)).catch(e => {
        replace(c.body, note(String(e.message || e), 'error'));
    });
    const hist = d.history || [];
    const comments = hist.filter(e => e.action === 'comment');
    const cols = historyColumns(it.kind);
    c.el.dataset.id = it.id;
    c.el.dataset.state = it.state;
    replace(c.tools, csvButton('ledger-' + it.id + '-history.csv', () => cols, () => hist));
    replace(c.body, h('div', { class: 'litem' },
        h('div', { class: 'lhead' }, h('span', { class: 'tag lk-' + it.kind }, kindName(it.kind, it.kind_label)),
            ' ', stateTag(it), ' ', h('b', { class: 'ltitle' }, it.title), ' ',
            it.code ? h('span', { class: 'muted mono' }, it.code) : null, h('span', { class: 'muted' }, ' #' + it.id)),
        it.body ? h('p', { class: 'lbody' }, it.body) : null,
        h('div', { class: 'lcols' }, fieldRows(it), clockBox(it)),
        section(w('ld.actions'), actionsBox(it, d.actions || [], reload)),
        section(w('ld.history'), table(cols, hist, { rowClass: e => 'ev-' + e.action,
            onRow: (e, tr) => { tr.dataset.action = e.action; } })),
        section(w('ld.comments') + ' (' + comments.length + ')', commentForm(it, reload)),
        section(w('ld.files') + ' (' + (d.files || []).length + ')', filesBox(it, d.files || [], reload)),
        section(w('ld.links') + ' (' + (d.links || []).length + ')', linksBox(it, d.links || [], ctx.pointNames, reload))));
    return it;
}

// The deadline's day, for CSV files.
export function plainDue(it) {
    return it.due ? it.due.slice(0, 10) : '';
}
