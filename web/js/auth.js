// SPDX-License-Identifier: MIT
// Who is signed in (docs/security.md). The session cookie is HttpOnly: the page never sees
// it. What the page keeps is the account (name, role, county ...) and the session's CSRF
// token, which api.js sends as X-CSRF-Token with every write. After a reload,
// GET /api/v1/auth/me tells both again.
import { get, post, setCsrf } from './api.js';

const STAFF = ['admin', 'operator', 'leader'];
let me = null;

// The signed-in account, or null.
export function current() {
    return me;
}

// Staff read everything, the live event stream included.
export function isStaff() {
    return me !== null && STAFF.includes(me.role);
}

export async function refresh() {
    const r = await get('api/v1/auth/me');
    me = r && r.user ? r.user : null;
    setCsrf(r && r.csrf ? r.csrf : null);
    return me;
}

export async function login(name, password) {
    const r = await post('api/v1/auth/login', { name, password });
    me = r.user;
    setCsrf(r.csrf);
    return me;
}

export async function logout() {
    try {
        await post('api/v1/auth/logout', {});
    } finally {
        me = null;
        setCsrf(null);
    }
}
