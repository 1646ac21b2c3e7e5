// SPDX-License-Identifier: MIT
// Building DOM nodes without innerHTML (nothing from the API is ever parsed as HTML), and the
// card frame every panel of the dashboard uses.
import { t } from './i18n.js';

// h('div', {class: 'x', onclick: fn, dataset: {id: 1}}, child, 'text', [more]) -> Element
export function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
        if (v === undefined || v === null || v === false)
            continue;
        if (k.startsWith('on') && typeof v === 'function')
            el.addEventListener(k.slice(2), v);
        else if (k === 'dataset')
            Object.assign(el.dataset, v);
        else if (k === 'style' && typeof v === 'object')
            Object.assign(el.style, v);
        else if (k === 'value' || k === 'checked' || k === 'selected')
            el[k] = v;
        else
            el.setAttribute(k, v === true ? '' : String(v));
    }
    append(el, children);
    return el;
}

function append(el, children) {
    for (const c of children) {
        if (c === undefined || c === null || c === false)
            continue;
        if (Array.isArray(c))
            append(el, c);
        else if (c instanceof Node)
            el.appendChild(c);
        else
            el.appendChild(document.createTextNode(String(c)));
    }
}

export function clear(el) {
    while (el.firstChild)
        el.removeChild(el.firstChild);
    return el;
}

export function replace(el, ...children) {
    clear(el);
    append(el, children);
    return el;
}

// A panel: title bar (title, optional tools on the right) and a body. Returns {el, body, tools}.
export function card(title, opts = {}) {
    const tools = h('div', { class: 'card-tools' });
    const body = h('div', { class: 'card-body' + (opts.flush ? ' flush' : '') },
        h('div', { class: 'muted pad' }, t('loading')));
    const el = h('section', { class: 'card ' + (opts.cls || ''), id: opts.id },
        h('header', { class: 'card-head' }, h('h2', {}, title), tools), body);
    return { el, body, tools };
}

// A message inside a card body for an error or an empty result.
export function note(text, cls = 'muted') {
    return h('div', { class: cls + ' pad' }, text);
}

// A <select> from [[value, label], ...]
export function select(name, options, value, onchange) {
    return h('select', { name, onchange: e => onchange(e.target.value) },
        options.map(([v, l]) => h('option', { value: v, selected: String(v) === String(value) }, l)));
}

// A segmented button group from [[value, label], ...]
export function segmented(options, value, onchange) {
    const g = h('div', { class: 'seg', role: 'group' });
    for (const [v, l] of options) {
        g.appendChild(h('button', {
            type: 'button', class: String(v) === String(value) ? 'on' : '', dataset: { v },
            onclick: () => {
                for (const b of g.children)
                    b.classList.toggle('on', b.dataset.v === String(v));
                onchange(v);
            },
        }, l));
    }
    return g;
}
