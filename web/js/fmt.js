// SPDX-License-Identifier: MIT
// Formatting for the dashboard: numbers, CST times as the API sends them, the AQI and water
// class badges, and CSV files made from what a panel shows.
import { h } from './dom.js';
import { aqiLevel, levelName, waterClass, className, getLang, t } from './i18n.js';

export function num(v, decimals) {
    if (v === null || v === undefined || v === '' || Number.isNaN(Number(v)))
        return '—';
    const n = Number(v);
    if (decimals === undefined)
        decimals = Math.abs(n) >= 100 || Number.isInteger(n) ? 0 : Math.abs(n) >= 10 ? 1 : 2;
    return n.toFixed(decimals);
}

export function pct(v, decimals = 1) {
    if (v === null || v === undefined || Number.isNaN(Number(v)))
        return '—';
    return Number(v).toFixed(decimals) + '%';
}

// "2019-01-01T08:00:00" -> "2019-01-01 08:00" (or "01-01 08:00" with short)
export function time(s, short = false) {
    if (typeof s !== 'string' || s === '')
        return '—';
    const v = s.replace('T', ' ').slice(0, 16);
    return short ? v.slice(5) : v;
}

// "2019-01-01T08:00:05" -> "01-01 08:00:05": for packets, where seconds matter.
export function timeSec(s) {
    if (typeof s !== 'string' || s === '')
        return '—';
    return s.replace('T', ' ').slice(5, 19);
}

// An AQI as a coloured badge; the API's colour wins over the HJ 633 table when given.
export function aqiBadge(aqi, color, big = false) {
    const lv = aqiLevel(aqi);
    if (lv === null || lv === undefined)
        return h('span', { class: 'aqi none' + (big ? ' big' : '') }, '—');
    return h('span', {
        class: 'aqi' + (big ? ' big' : ''), title: levelName(lv),
        style: { background: color || lv.color, color: lv.text },
    }, String(aqi));
}

export function levelBadge(aqi, category) {
    const lv = aqiLevel(aqi);
    if (lv === null || lv === undefined)
        return h('span', { class: 'lvl none' }, '—');
    const text = getLang() === 'en' ? lv.en : (category || lv.zh);
    return h('span', { class: 'lvl', style: { background: lv.color, color: lv.text } }, text);
}

export function classBadge(c) {
    const w = waterClass(c);
    if (w === null)
        return h('span', { class: 'wcls none' }, c === null || c === undefined ? '—' : String(c));
    return h('span', { class: 'wcls', style: { background: w.color } }, className(c));
}

export function yesNo(v, goodWhenTrue = true) {
    if (v === null || v === undefined)
        return h('span', { class: 'muted' }, '—');
    const good = Boolean(v) === goodWhenTrue;
    return h('span', { class: 'tag ' + (good ? 'ok' : 'bad') }, v ? t('yes') : t('no'));
}

// A value for a plain cell: arrays joined, objects as compact JSON, numbers trimmed.
export function plain(v) {
    if (v === null || v === undefined)
        return '';
    if (Array.isArray(v))
        return v.map(plain).join(' ');
    if (typeof v === 'object')
        return JSON.stringify(v);
    if (typeof v === 'number')
        return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
    return String(v);
}

function csvField(v) {
    const s = plain(v);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

// rows: array of arrays (the first the header). A UTF-8 BOM so that Excel reads the Chinese.
export function toCsv(rows) {
    return '\ufeff' + rows.map(r => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function download(filename, text, type = 'text/csv;charset=utf-8') {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = h('a', { href: url, download: filename });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
}
