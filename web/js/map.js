// SPDX-License-Identifier: MIT
// Maps with Leaflet (vendor/leaflet.js, global L). Tiles only when the daemon's
// [server] tile_url is set (bureau networks run their own tile servers, and the dashboard
// must work with no internet); without tiles the points are drawn by their coordinates on a
// plain background with a graticule, labelled and coloured, which is still a usable map.
// Coordinates are WGS84/CGCS2000 as the registry stores them; a GCJ-02 tile source (AMap,
// Tencent) would show them offset by 50-700 m (reference/clibs.md section 15).
import { h } from './dom.js';
import { t } from './i18n.js';

let tileUrl = '';
let tilesKnown = Promise.resolve();

// u: the URL, or a promise of it (the health request, which the views do not wait for).
export function setTileUrl(u) {
    tilesKnown = Promise.resolve(u).then(v => { tileUrl = typeof v === 'string' ? v : ''; },
        () => { tileUrl = ''; });
}

// Resolves once the tile URL is known; a view awaits it before its first map.
export function tilesReady() {
    return tilesKnown;
}

// Lines every 'step' degrees over the bounds, with their values at the edges.
function graticule(bounds, step) {
    const g = L.layerGroup();
    const s = bounds.getSouth() - step, n = bounds.getNorth() + step;
    const w = bounds.getWest() - step, e = bounds.getEast() + step;
    const style = { color: '#9fb3c8', weight: 0.6, opacity: 0.7, interactive: false };
    for (let lat = Math.floor(s / step) * step; lat <= n; lat += step)
        g.addLayer(L.polyline([[lat, w], [lat, e]], style));
    for (let lon = Math.floor(w / step) * step; lon <= e; lon += step)
        g.addLayer(L.polyline([[s, lon], [n, lon]], style));
    return g;
}

// points: [{lat, lon, color, label, tip, radius, square, onclick, permanent, direction, focus}]
// Returns {map, layer, update(points)}.
export function pointMap(el, points, opts = {}) {
    const map = L.map(el, {
        zoomControl: true, attributionControl: tileUrl !== '', zoomSnap: 0.25,
        scrollWheelZoom: opts.scrollWheelZoom !== false,
    });
    el.classList.toggle('notiles', tileUrl === '');
    if (tileUrl !== '') {
        L.tileLayer(tileUrl, { maxZoom: 18, attribution: opts.attribution || '' }).addTo(map);
    } else {
        const info = L.control({ position: 'bottomleft' });
        info.onAdd = () => h('div', { class: 'map-note' }, t('map.notiles'));
        info.addTo(map);
    }
    L.control.scale({ imperial: false }).addTo(map);
    const layer = L.layerGroup().addTo(map);
    let grid = null, fitted = false;

    function update(list) {
        layer.clearLayers();
        const ll = [], focus = [];
        // Permanent labels alternate right and left in order of longitude, so that neighbours
        // (stations in a city centre, sections along a river) do not cover each other.
        const labelled = list.filter(p => p.permanent && p.label && typeof p.lon === 'number')
            .sort((a, b) => a.lon - b.lon);
        // Drawn in order of radius, so that the big markers (stations) lie on top.
        for (const p of list.slice().sort((a, b) => (a.radius || 7) - (b.radius || 7))) {
            if (typeof p.lat !== 'number' || typeof p.lon !== 'number' ||
                Number.isNaN(p.lat) || Number.isNaN(p.lon))
                continue;
            ll.push([p.lat, p.lon]);
            if (p.focus)
                focus.push([p.lat, p.lon]);
            const m = L.circleMarker([p.lat, p.lon], {
                radius: p.radius || 7, color: p.stroke || '#1f2d3d', weight: p.square ? 2 : 1,
                fillColor: p.color || '#8899aa', fillOpacity: 0.95,
                dashArray: p.square ? '3 2' : undefined,
            });
            if (p.label || p.tip) {
                const dir = p.direction || (labelled.indexOf(p) % 2 ? 'right' : 'left');
                m.bindTooltip(p.label || p.tip, {
                    permanent: Boolean(p.permanent && p.label), direction: dir,
                    offset: [dir === 'left' ? -8 : 8, 0], className: p.permanent ? 'maplabel' : 'maptip',
                });
            }
            if (p.onclick)
                m.on('click', p.onclick);
            layer.addLayer(m);
        }
        if (ll.length > 0) {
            const b = L.latLngBounds(ll);
            // Fit once (a live refresh must not undo the user's zoom): to the points marked
            // focus when there are some (the overview's stations), else to all.
            if (!fitted)
                map.fitBounds(focus.length > 1 ? L.latLngBounds(focus).pad(0.35) : b.pad(0.3), { maxZoom: 13 });
            fitted = true;
            if (tileUrl === '' && grid === null) {
                const span = Math.max(b.getNorth() - b.getSouth(), b.getEast() - b.getWest());
                grid = graticule(b.pad(0.5), span > 1 ? 0.5 : span > 0.3 ? 0.1 : 0.05).addTo(map);
            }
        } else if (!fitted) {
            map.setView([opts.lat || 37.86, opts.lon || 113.58], opts.zoom || 10);
        }
    }

    update(points);
    // The container may have been laid out after creation (grid cells): measure again.
    requestAnimationFrame(() => map.invalidateSize());
    return { map, layer, update };
}

// A legend control: [[color, label], ...]
export function legend(map, items, title) {
    const c = L.control({ position: 'topright' });
    c.onAdd = () => h('div', { class: 'map-legend' }, title ? h('b', {}, title) : null,
        items.map(([color, label]) => h('div', {}, h('i', { style: { background: color } }), label)));
    c.addTo(map);
    return c;
}
