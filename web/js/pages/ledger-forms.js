// SPDX-License-Identifier: MIT
// The 台账 tab's two forms: registering a new item of any kind (POST /api/v1/ledger/items,
// with the fields that kind requires), and importing a workbook (POST /api/v1/ledger/import:
// a dry run that lists every bad row with its line, column and reason, then the real import).
import { h, replace } from '../dom.js';
import { post, upload, qs } from '../api.js';
import { table, csvButton } from '../table.js';
import * as auth from '../auth.js';
import { w, fieldName, kindName, levelName, rolesFor, KINDS, FORM_FIELDS, CHOICES, REGISTER_ROLES } from './ledger-model.js';
import { actor, roleSelect } from './ledger-item.js';

const NUMERIC = ['qty_target', 'parent_id'];

function fieldInput(kind, name, value) {
    if (name === 'level')
        return h('select', { name }, [1, 2, 3, 4, 5].map(n => h('option', { value: n, selected: n === 5 }, n + ' ' + levelName(n))));
    if (name === 'body')
        return h('textarea', { name, rows: 2, cols: 40 });
    if (name === 'due')
        return h('input', { name, type: 'date' });
    if (NUMERIC.includes(name))
        return h('input', { name, type: 'number', min: 0, size: 8 });
    const choices = (CHOICES[kind] || {})[name];
    const list = choices ? 'lchoice-' + kind + '-' + name : undefined;
    const input = h('input', { name, type: 'text', size: 18, list, value: value || '' });
    return choices ? [input, h('datalist', { id: list }, choices.map(c => h('option', { value: c })))] : input;
}

// The new-item form in body; onCreated(item) after the API registered it.
export function createForm(body, onCreated) {
    const u = auth.current();
    const own = { county: u && u.county ? u.county : '', unit: u && u.unit ? u.unit : '' };
    // the first kind this account may register (an officer: river problems, as a chief)
    const mine = rolesFor(u);
    let kind = ['complaint'].concat(KINDS).find(k => REGISTER_ROLES[k].some(r => mine.includes(r))) || 'complaint';
    const kindSel = h('select', { name: 'kind', onchange: e => { kind = e.target.value; draw(); } },
        KINDS.map(k => h('option', { value: k, selected: k === kind }, kindName(k))));
    const fields = h('div', { class: 'lfields' });
    const roleSlot = h('span');
    const msg = h('span', { class: 'msg', id: 'ledger-new-msg' });
    const form = h('form', { class: 'lform', id: 'ledger-new' },
        h('div', { class: 'actform' }, h('label', {}, fieldName('kind'), kindSel), roleSlot,
            h('span', { class: 'muted' }, w('ld.required'))),
        fields,
        h('div', { class: 'actform' }, h('button', { type: 'submit', class: 'btn primary' }, w('ld.create')), msg));

    function draw() {
        replace(roleSlot, h('label', {}, w('ld.as'), roleSelect(REGISTER_ROLES[kind])));
        replace(fields, FORM_FIELDS[kind].map(([name, req]) => h('label', { class: name === 'body' ? 'wide' : '' },
            fieldName(name, kind) + (req ? ' *' : ''), fieldInput(kind, name, own[name]))));
        for (const [name, req] of FORM_FIELDS[kind])
            if (req)
                form.elements[name].required = true;
    }
    form.addEventListener('submit', async e => {
        e.preventDefault();
        const item = { kind, actor: actor(form.elements.role.value, own.unit) };
        for (const [name] of FORM_FIELDS[kind]) {
            const v = form.elements[name].value.trim();
            if (v !== '')
                item[name] = NUMERIC.includes(name) || name === 'level' ? Number(v) : v;
        }
        msg.className = 'msg';
        msg.textContent = '…';
        try {
            const it = await post('api/v1/ledger/items', item);
            msg.textContent = w('ld.created', { id: it.id });
            for (const [name] of FORM_FIELDS[kind])
                if (name !== 'level' && name !== 'county' && name !== 'unit')
                    form.elements[name].value = '';
            onCreated(it);
        } catch (err) {
            msg.className = 'msg error';
            msg.textContent = w('ld.refused') + '：' + (err.message || err.code);
        }
    });
    draw();
    replace(body, form);
}

function problemsTable(res) {
    const cols = [
        { key: 'line', label: w('ld.imp.line'), cls: 'n' },
        { key: 'column', label: w('ld.imp.column') },
        { key: 'why', label: w('ld.imp.why'), cls: 'wrap' },
    ];
    return { cols, el: table(cols, res.problems || [], { onRow: (p, tr) => { tr.dataset.line = p.line; } }) };
}

// The import form in card c (body and tools); onImported() after a real import wrote rows.
export function importForm(c, onImported) {
    const kindSel = h('select', { name: 'kind' }, KINDS.map(k => h('option', { value: k }, kindName(k))));
    const file = h('input', { type: 'file', name: 'file', accept: '.xlsx,.csv' });
    const strict = h('input', { type: 'checkbox', name: 'strict' });
    const role = roleSelect(['operator', 'leader', 'inspector']);
    const real = h('button', { type: 'button', class: 'btn primary', name: 'real', disabled: true }, w('ld.real'));
    const dry = h('button', { type: 'submit', class: 'btn', name: 'dry' }, w('ld.dry'));
    const out = h('div', { class: 'limport-out' });
    const form = h('form', { class: 'actform', id: 'ledger-import' }, h('label', {}, fieldName('kind'), kindSel),
        h('label', {}, w('ld.file'), file), h('label', {}, strict, w('ld.strict')), h('label', {}, w('ld.as'), role),
        dry, real);
    // A real import only after a dry run of the same file, kind and options.
    const reset = () => { real.disabled = true; };
    for (const el of [kindSel, file, strict, role])
        el.addEventListener('change', reset);

    async function run(dryRun) {
        const f = file.files[0];
        if (!f) {
            replace(out, h('div', { class: 'error pad' }, w('ld.imp.nofile')));
            return;
        }
        const a = actor(role.value, '');
        const path = 'api/v1/ledger/import' + qs({ kind: kindSel.value, dry_run: dryRun ? 1 : '',
            strict: strict.checked ? 1 : '', actor: a.name, role: a.role, unit: a.unit });
        replace(out, h('div', { class: 'muted pad' }, '…'));
        try {
            const res = await upload(path, f);
            const p = problemsTable(res);
            replace(c.tools, res.problems && res.problems.length ? csvButton('ledger-import-problems.csv',
                () => p.cols, () => res.problems) : null);
            replace(out, h('div', { class: 'pad limp-sum', 'data-rows': res.rows, 'data-refused': res.refused,
                'data-imported': res.imported, 'data-dry': res.dry_run ? 1 : 0 },
            w('ld.imp.result', res) + (res.dry_run ? ' ' + w('ld.imp.dry') : '')), res.problems && res.problems.length ? p.el : null);
            real.disabled = !dryRun || (strict.checked && res.refused > 0);
            if (!dryRun && res.imported > 0)
                onImported();
        } catch (err) {
            replace(out, h('div', { class: 'error pad' }, w('ld.refused') + '：' + (err.message || err.code)));
        }
    }
    form.addEventListener('submit', e => {
        e.preventDefault();
        run(true);
    });
    real.addEventListener('click', () => {
        real.disabled = true;
        run(false);
    });
    replace(c.body, h('div', { class: 'pad muted' }, w('ld.imp.hint')), form, out);
}
