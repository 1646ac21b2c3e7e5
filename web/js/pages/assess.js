// SPDX-License-Identifier: MIT
// 考核 (assessment): the scorecard of counties or departments that the daemon publishes
// ([ledger] scorecard, docs/ledger.md section 5), for a month and for the year to date, each
// ranked by total; a click on a score shows its breakdown: the value, the data or ledger items
// behind it (item ids link to the 台账 tab), the target, the place and the arithmetic of the
// points. GET /api/v1/assess?period=YYYY-MM[&ytd=1]. CSV downloads of points and breakdown.
import { h, card, replace, note } from '../dom.js';
import { get, cstToday, ApiError } from '../api.js';
import { getLang } from '../i18n.js';
import { num } from '../fmt.js';
import { table, csvButton } from '../table.js';
import { fill } from './common.js';
import { w } from './ledger-model.js';

function indLabel(sc, name) {
    const ind = sc.indicators.find(i => i.name === name);
    return ind && ind.label ? ind.label : name;
}

function pointsColumns(sc, onCell) {
    const cols = [
        { key: 'rank', label: w('as.rank'), cls: 'c', render: u => h('span', { class: 'arank r' + u.rank }, String(u.rank)) },
        { key: 'unit', label: w('as.unit'), render: u => h('b', {}, u.unit) },
        { key: 'total', label: w('as.total'), cls: 'n', render: u => h('b', { class: 'atotal' }, num(u.total, 2)), csv: u => u.total },
    ];
    sc.indicators.forEach((ind, i) => {
        cols.push({
            key: ind.name, cls: 'n', title: ind.name,
            label: (ind.label || ind.name) + ' (' + num(ind.weight) + ')',
            render: u => {
                const c = u.cells[i];
                const none = c.value === null;
                const share = ind.weight > 0 ? Math.max(0, Math.min(1, c.points / ind.weight)) : 0;
                return h('button', { type: 'button', class: 'acell' + (none ? ' nodata' : ''), 'data-ind': ind.name,
                    title: c.how, onclick: () => onCell(u, ind.name) },
                h('i', { style: { width: Math.round(share * 100) + '%' } }), h('span', {}, num(c.points, 2)));
            },
            csv: u => u.cells[i].points,
        });
    });
    return cols;
}

// Turns the basis the daemon writes (English, with item or alarm ids) into words of the page;
// ids of ledger items become links. The original is the title.
function basisNodes(basis) {
    if (!basis)
        return h('span', { class: 'muted' }, w('as.nodata'));
    const zh = getLang() !== 'en';
    let m;
    let text = basis;
    let ids = [];
    let idKind = 'item';
    if ((m = /^(\d+) of (\d+) (items|complaints) due in the period done by the deadline(?:; late or open: (.*))?$/.exec(basis))) {
        text = zh ? '本期到期' + (m[3] === 'complaints' ? '信访件' : '事项') + ' ' + m[2] + ' 项，按期办结 ' + m[1] + ' 项' +
            (m[4] ? '；逾期或未办结：' : '') : basis.replace(/: .*$/, ': ');
        ids = m[4] ? m[4].split(',') : [];
    } else if ((m = /^(\d+) items past their deadline and not done at the end of the period(?:: (.*))?$/.exec(basis))) {
        text = zh ? '期末超过时限未办结 ' + m[1] + ' 项' + (m[2] ? '：' : '') : basis.replace(/: .*$/, ': ');
        ids = m[2] ? m[2].split(',') : [];
    } else if ((m = /^(\d+) exceedance alarms opened in (.+?)(?:: ids (.*))?$/.exec(basis))) {
        text = zh ? m[2] + ' 本期新发超标报警 ' + m[1] + ' 次' + (m[3] ? '，报警编号：' : '') : basis.replace(/: ids .*$/, ': ');
        ids = m[3] ? m[3].split(',') : [];
        idKind = 'alarm';
    } else if (zh && (m = /^mean of (\d+) daily PM2\.5 values of (.+?) \(/.exec(basis))) {
        text = m[2] + ' ' + m[1] + ' 个日均 PM2.5 值的平均值（HJ 663 日均值，取整）';
    } else if (zh && (m = /^(\d+) of (\d+) days with AQI <= 100 in (.+)$/.exec(basis))) {
        text = m[3] + ' 有效天数 ' + m[2] + ' 天，其中优良（AQI ≤ 100）' + m[1] + ' 天';
    }
    const links = ids.map(x => x.trim()).filter(Boolean).map((id, i) => [i ? '、' : '', id === '...' ? '…'
        : idKind === 'item' ? h('a', { href: '#/ledger?id=' + id, 'data-item': id }, '#' + id)
            : h('a', { href: '#/alarms', 'data-alarm': id }, '#' + id)]);
    return h('span', { title: basis }, text, links);
}

function breakdownColumns(sc) {
    return [
        { key: 'indicator', label: w('as.indicator'), render: c => h('b', {}, indLabel(sc, c.indicator)), csv: c => indLabel(sc, c.indicator) },
        { key: 'weight', label: w('as.weight'), cls: 'n', render: c => num(c.weight), csv: c => c.weight },
        { key: 'value', label: w('as.value'), cls: 'n', render: c => (c.value === null ? h('span', { class: 'muted' }, w('as.nodata')) : num(c.value, 2)) },
        { key: 'basis', label: w('as.basis'), cls: 'wrap', render: c => basisNodes(c.basis) },
        { key: 'target', label: w('as.target'), cls: 'n', render: c => (c.target === null ? '—' : num(c.target)) },
        { key: 'rank', label: w('as.irank'), cls: 'n', render: c => (c.rank ? String(c.rank) : '—') },
        { key: 'points', label: w('as.points'), cls: 'n', render: c => h('b', {}, num(c.points, 2)) },
        { key: 'how', label: w('as.how'), cls: 'wrap', render: c => h('span', { class: 'mono' },
            c.how === 'no data: 0' ? w('as.nodata') + ': 0' : c.how) },
    ];
}

// Every unit's cells as rows (for the breakdown CSV).
function allCells(sc) {
    return sc.units.flatMap(u => u.cells.map((c, i) => ({ unit: u.unit, weight: sc.indicators[i].weight, ...c })));
}

// The units in the order of their rank (ties keep the scorecard's order).
function byRank(sc) {
    return sc.units.map((u, i) => [u, i]).sort((a, b) => a[0].rank - b[0].rank || a[1] - b[1]).map(x => x[0]);
}

function ytdRange(period) {
    return w('as.range_ytd', { y: period.slice(0, 4), m: String(Number(period.slice(5, 7))) });
}

export async function render(view) {
    const s = view.signal;
    const m = /[?&]period=(\d{4}-\d{2})/.exec(location.hash);
    let period = m ? m[1] : cstToday().slice(0, 7);
    let pick = null;                    // {which: 'month'|'ytd', unit, ind}
    const data = { month: null, ytd: null };
    const month = h('input', { type: 'month', name: 'period', value: period, max: cstToday().slice(0, 7) });
    const bar = h('form', { class: 'toolbar', id: 'assess-filters' }, h('label', {}, w('as.period'), month),
        h('span', { class: 'muted' }, w('as.click')), h('span', { class: 'muted' }, w('as.rule')));
    const grid = h('div', { class: 'agrid' });
    const cards = {
        month: card(w('as.monthly'), { id: 'assess-month', cls: 'a-month', flush: true }),
        ytd: card(w('as.ytd'), { id: 'assess-ytd', cls: 'a-ytd', flush: true }),
    };
    const cBreak = card(w('as.breakdown'), { id: 'assess-breakdown', cls: 'a-break', flush: true });
    grid.append(cards.month.el, cards.ytd.el, cBreak.el);
    view.el.append(bar, grid);
    month.addEventListener('change', () => {
        if (!/^\d{4}-\d{2}$/.test(month.value))
            return;
        period = month.value;
        history.replaceState(null, '', '#/assess?period=' + period);
        load();
    });

    function drawBreakdown() {
        const sc = pick && data[pick.which];
        const u = sc && sc.units.find(x => x.unit === pick.unit);
        if (!u) {
            replace(cBreak.tools);
            replace(cBreak.body, note(w('as.click')));
            return;
        }
        const cols = breakdownColumns(sc);
        const rows = u.cells.map((c, i) => ({ weight: sc.indicators[i].weight, ...c }));
        const csvCols = [{ key: 'unit', label: w('as.unit') }].concat(cols.map(c => ({ ...c, csv: c.csv || (r => r[c.key]) })));
        replace(cBreak.el.querySelector('h2'), w('as.head', { a: w('as.breakdown'), b: w('as.of', { u: u.unit,
            p: pick.which === 'ytd' ? ytdRange(sc.period) : sc.period }) }) + ' · ' + w('as.total') + ' ' + num(u.total, 2) +
            ' · ' + w('as.rank') + ' ' + u.rank);
        replace(cBreak.tools, csvButton('assess-' + sc.period + (pick.which === 'ytd' ? '-ytd' : '') + '-breakdown.csv',
            () => csvCols, () => allCells(sc), undefined, w('as.csv_breakdown')));
        replace(cBreak.body, table(cols, rows, {
            rowClass: c => (c.indicator === pick.ind ? 'sel' : undefined),
            onRow: (c, tr) => { tr.dataset.ind = c.indicator; },
        }));
        cBreak.el.dataset.unit = u.unit;
        cBreak.el.dataset.which = pick.which;
    }

    function choose(which, unit, ind) {
        pick = { which, unit, ind };
        for (const k of ['month', 'ytd'])
            for (const tr of cards[k].body.querySelectorAll('tr[data-unit]'))
                tr.classList.toggle('sel', k === which && tr.dataset.unit === unit);
        drawBreakdown();
    }

    function drawCard(which) {
        const c = cards[which];
        const sc = data[which];
        const cols = pointsColumns(sc, (u, ind) => choose(which, u.unit, ind));
        replace(c.el.querySelector('h2'), w('as.of', { u: w(which === 'ytd' ? 'as.ytd' : 'as.monthly'),
            p: which === 'ytd' ? ytdRange(sc.period) : sc.period }) + ' · ' + sc.name);
        const stamp = c.tools.querySelector('.stamp');
        replace(c.tools, stamp, csvButton('assess-' + sc.period + (which === 'ytd' ? '-ytd' : '') + '.csv', () => cols,
            () => byRank(sc), undefined, w('as.csv_points')));
        replace(c.body, table(cols, byRank(sc), {
            onRow: (u, tr) => { Object.assign(tr.dataset, { unit: u.unit, rank: u.rank, total: u.total }); },
        }));
        c.el.dataset.period = sc.period;
        c.el.dataset.scope = sc.scope || '';
    }

    async function load() {
        await Promise.all(['month', 'ytd'].map(which => fill(view, cards[which], async () => {
            try {
                data[which] = await get('api/v1/assess?period=' + period + (which === 'ytd' ? '&ytd=1' : ''), s);
            } catch (e) {
                if (!(e instanceof ApiError && e.code === 'no_scorecard'))
                    throw e;
                data[which] = null;
                replace(cards[which].body, note(w('as.none'), 'error'));
                return;
            }
            drawCard(which);
        })));
        if (!pick || !data[pick.which]) {
            const first = data.month && byRank(data.month)[0];
            pick = first ? { which: 'month', unit: first.unit, ind: null } : null;
        }
        if (pick)
            choose(pick.which, pick.unit, pick.ind);
        else
            drawBreakdown();
    }
    await load();
}
