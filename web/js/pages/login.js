// SPDX-License-Identifier: MIT
// The sign-in view (#/login): name and password, the API's answer in words (a wrong password,
// a locked account, too many attempts), then back to the view that asked for it.
import { getLang } from '../i18n.js';
import { h, card, replace } from '../dom.js';
import { ApiError } from '../api.js';
import * as auth from '../auth.js';

const WORDS = {
    title: ['登录', 'Sign in'],
    name: ['用户名', 'User name'],
    password: ['密码', 'Password'],
    submit: ['登录', 'Sign in'],
    bad_credentials: ['用户名或密码错误', 'Wrong user name or password'],
    locked: ['登录失败次数过多，账号已临时锁定，请稍后再试或联系管理员',
        'Too many failed sign-ins: the account is locked for a while; try later or ask an admin'],
    rate_limited: ['尝试过于频繁，请稍后再试', 'Too many attempts; wait a little'],
    failed: ['登录失败', 'Sign-in failed'],
    hint: ['账号由管理员开通（envwatch user add）', 'Accounts are made by an admin (envwatch user add)'],
};

function w(key) {
    return WORDS[key][getLang() === 'en' ? 1 : 0];
}

// Where to go after signing in: the view that sent us here, else the overview.
export function next() {
    const m = /[?&]next=([a-z]+)/.exec(location.hash);
    return m ? m[1] : 'overview';
}

export async function render(view) {
    const c = card(w('title'), { id: 'login', cls: 'login-card' });
    const name = h('input', { id: 'login-name', name: 'username', autocomplete: 'username', required: true });
    const pw = h('input', { id: 'login-password', name: 'password', type: 'password',
        autocomplete: 'current-password', required: true });
    const msg = h('p', { id: 'login-error', class: 'error', role: 'alert' });
    const form = h('form', { class: 'login-form' },
        h('label', {}, w('name'), name), h('label', {}, w('password'), pw),
        h('button', { type: 'submit', id: 'login-submit' }, w('submit')), msg,
        h('p', { class: 'muted' }, w('hint')));
    form.addEventListener('submit', async ev => {
        ev.preventDefault();
        msg.textContent = '';
        try {
            await auth.login(name.value.trim(), pw.value);
            pw.value = '';
            location.hash = '#/' + next();
            view.signedIn();
        } catch (e) {
            const code = e instanceof ApiError ? e.code : '';
            msg.textContent = WORDS[code] ? w(code) : w('failed') + (e && e.message ? ': ' + e.message : '');
        }
    });
    replace(c.body, form);
    view.el.appendChild(c.el);
    name.focus();
}
