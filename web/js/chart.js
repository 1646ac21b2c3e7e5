// SPDX-License-Identifier: MIT
// Time-series charts with uPlot (vendor/uPlot.iife.min.js, global uPlot). Times are Unix
// seconds shown in China Standard Time whatever the browser's zone, as the API's are.
import { h } from './dom.js';
import { t } from './i18n.js';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2',
    '#17becf', '#bcbd22', '#7f7f7f'];

export function color(i) {
    return PALETTE[i % PALETTE.length];
}

function cstDate(ts) {
    return uPlot.tzDate(new Date(ts * 1000), 'Asia/Shanghai');
}

const pad = n => String(n).padStart(2, '0');

// Tick labels in the form Chinese bureaus write: "11-28" at midnight, "06:00" otherwise (the
// first tick and each new day carry the date too). d is already shifted to CST by tzDate.
function tickLabels(u, splits) {
    let lastDay = '';
    return splits.map(ts => {
        const d = cstDate(ts);
        const day = pad(d.getMonth() + 1) + '-' + pad(d.getDate());
        const hm = pad(d.getHours()) + ':' + pad(d.getMinutes());
        const label = hm === '00:00' ? day : day !== lastDay ? day + '\n' + hm : hm;
        lastDay = day;
        return label;
    });
}

function legendTime(u, ts) {
    if (ts === null || ts === undefined)
        return '—';
    const d = cstDate(ts);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' +
        pad(d.getHours()) + ':' + pad(d.getMinutes());
}

// spec: {x: [unix s], series: [{label, values: [...], color, dash, scale, width, points}],
//        height, yLabel, y2Label, bands: [{from, to, color}] (horizontal shading on y)}
// Returns {plot, destroy()}; null (with a note in el) when there is nothing to draw.
export function timeChart(el, spec) {
    if (!spec.x || spec.x.length === 0 || spec.series.length === 0) {
        el.appendChild(h('div', { class: 'muted pad' }, t('none')));
        return null;
    }
    const hasY2 = spec.series.some(s => s.scale === 'y2');
    const opts = {
        width: Math.max(el.clientWidth || 600, 200),
        height: spec.height || 240,
        tzDate: cstDate,
        cursor: { drag: { x: true, y: false } },
        legend: { live: true },
        scales: { x: { time: true } },
        axes: [
            { stroke: '#445', grid: { stroke: '#e6ebf1' }, ticks: { stroke: '#cfd8e3' }, values: tickLabels, size: 42 },
            { stroke: '#445', label: spec.yLabel, grid: { stroke: '#e6ebf1' }, size: 52 },
        ],
        series: [{ label: t('time'), value: legendTime }],
        hooks: {},
    };
    if (hasY2)
        opts.axes.push({ side: 1, scale: 'y2', label: spec.y2Label, stroke: '#445', grid: { show: false }, size: 52 });
    spec.series.forEach((s, i) => {
        opts.series.push({
            label: s.label, stroke: s.color || color(i), width: s.width || 1.5,
            scale: s.scale || 'y', dash: s.dash, spanGaps: false,
            points: { show: s.points === true },
            value: (u, v) => (v === null || v === undefined ? '—' : (Math.round(v * 100) / 100).toString()),
        });
    });
    if (spec.bands && spec.bands.length) {
        opts.hooks.drawClear = [u => {
            const ctx = u.ctx;
            for (const b of spec.bands) {
                const y0 = u.valToPos(b.from, 'y', true), y1 = u.valToPos(b.to, 'y', true);
                ctx.fillStyle = b.color;
                ctx.fillRect(u.bbox.left, Math.min(y0, y1), u.bbox.width, Math.abs(y1 - y0));
            }
        }];
    }
    const data = [spec.x, ...spec.series.map(s => s.values)];
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => {
        const w = el.clientWidth;
        if (w > 0 && Math.abs(w - plot.width) > 2)
            plot.setSize({ width: w, height: opts.height });
    });
    ro.observe(el);
    return { plot, destroy() { ro.disconnect(); plot.destroy(); } };
}

// Rows [{time, factor, value}] of the readings API -> {x, byFactor: {code: values[]}}
export function pivotReadings(rows, toUnix) {
    const times = [...new Set(rows.map(r => r.time))].sort();
    const idx = new Map(times.map((tm, i) => [tm, i]));
    const byFactor = {};
    for (const r of rows) {
        if (!byFactor[r.factor])
            byFactor[r.factor] = new Array(times.length).fill(null);
        byFactor[r.factor][idx.get(r.time)] = typeof r.value === 'number' ? r.value : null;
    }
    return { x: times.map(toUnix), byFactor };
}
