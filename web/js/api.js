// SPDX-License-Identifier: MIT
// The HTTP API of envwatch (docs/api.md) as the dashboard uses it: JSON in and out, errors as
// ApiError with the API's stable code, and local China time (CST, UTC+8) on the wire.

export class ApiError extends Error {
    constructor(status, code, message) {
        super(message || code || ('HTTP ' + status));
        this.status = status;
        this.code = code || 'http_' + status;
    }
}

// The CSRF token of the signed-in session (auth.js sets it): every write carries it.
let csrf = null;

export function setCsrf(token) {
    csrf = token;
}

// POST of a file as the body (a workbook to import, an evidence file), with the session's
// CSRF token like every write; JSON answer, errors as ApiError.
export async function upload(path, file, signal) {
    const headers = { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' };
    if (csrf)
        headers['X-CSRF-Token'] = csrf;
    const r = await fetch(path, { method: 'POST', headers, body: file, signal });
    if (r.status === 401)
        window.dispatchEvent(new CustomEvent('ew-unauthorized', { detail: path }));
    const data = await r.json().catch(() => null);
    if (!r.ok) {
        const err = data && data.error ? data.error : {};
        throw new ApiError(r.status, err.code, err.message);
    }
    return data;
}

async function request(method, path, body, signal) {
    const init = { method, headers: { Accept: 'application/json' }, signal };
    if (body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    if (method !== 'GET' && csrf)
        init.headers['X-CSRF-Token'] = csrf;
    const r = await fetch(path, init);
    // Not signed in (or the session ended): the shell shows the sign-in view.
    if (r.status === 401)
        window.dispatchEvent(new CustomEvent('ew-unauthorized', { detail: path }));
    const text = await r.text();
    let data = null;
    if (text !== '') {
        try {
            data = JSON.parse(text);
        } catch (e) {
            throw new ApiError(r.status, 'bad_json', 'not JSON: ' + path);
        }
    }
    if (!r.ok) {
        const err = data && data.error ? data.error : {};
        throw new ApiError(r.status, err.code, err.message);
    }
    return data;
}

export function get(path, signal) {
    return request('GET', path, undefined, signal);
}

export function post(path, body, signal) {
    return request('POST', path, body, signal);
}

// Query string from an object, leaving out empty values.
export function qs(params) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(params))
        if (v !== undefined && v !== null && v !== '')
            p.set(k, v);
    const s = p.toString();
    return s === '' ? '' : '?' + s;
}

const CST_MS = 8 * 3600 * 1000;

// "2019-01-01T08:00:00" (CST, no zone) -> Unix seconds; NaN when not a time.
export function cstToUnix(s) {
    if (typeof s !== 'string')
        return NaN;
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(s);
    if (m === null)
        return NaN;
    const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0), +(m[6] || 0));
    return (ms - CST_MS) / 1000;
}

// Unix seconds -> "2019-01-01T08:00" (CST), the form the API takes as a parameter.
export function unixToCst(s, withSeconds = false) {
    const iso = new Date(s * 1000 + CST_MS).toISOString();
    return withSeconds ? iso.slice(0, 19) : iso.slice(0, 16);
}

// Today's date in China, "YYYY-MM-DD".
export function cstToday(offsetDays = 0) {
    return unixToCst(Date.now() / 1000 + offsetDays * 86400).slice(0, 10);
}
