// SPDX-License-Identifier: MIT
// The dashboard's words in Chinese (the default) and English, the names and units of the
// HJ 212-2017 factor codes the platform receives, and the labels of the API's field names.
// A missing key shows the key itself, so a field the API adds later still appears, unnamed.

const STORE_KEY = 'envwatch.lang';

let lang = 'zh';
try {
    lang = localStorage.getItem(STORE_KEY) === 'en' ? 'en' : 'zh';
} catch (e) {
    lang = 'zh';
}

// key: [Chinese, English]
const WORDS = {
    // navigation
    'nav.overview': ['综合总览', 'Overview'],
    'nav.air': ['环境空气', 'Air'],
    'nav.water': ['地表水', 'Water'],
    'nav.sources': ['污染源', 'Sources'],
    'nav.alarms': ['报警处置', 'Alarms'],
    'nav.instruments': ['设备运维', 'Instruments'],
    'nav.ledger': ['台账', 'Ledgers'],
    'nav.assess': ['考核', 'Assessment'],
    'brand.title': ['生态环境监测监控平台', 'Environmental Monitoring Platform'],
    'lang.switch': ['EN', '中文'],
    'live.connecting': ['连接中', 'connecting'],
    'live.open': ['实时', 'live'],
    'live.closed': ['已断开', 'offline'],
    'foot.text': ['数据来源：HJ 212 在线监测 · 评价依据 HJ 633、HJ 663、GB 3838、GB 13223 等国家标准',
        'Data: HJ 212 online monitoring · Rules: HJ 633, HJ 663, GB 3838, GB 13223 and other national standards'],

    // generic
    'loading': ['加载中…', 'Loading…'],
    'none': ['暂无数据', 'No data'],
    'csv': ['下载 CSV', 'CSV'],
    'csv.hourly': ['CSV 小时值', 'CSV hourly'],
    'csv.daily': ['CSV 逐日', 'CSV daily'],
    'refresh': ['刷新', 'Refresh'],
    'updated': ['更新于', 'updated'],
    'error.load': ['数据加载失败', 'Could not load'],
    'error.missing': ['接口未提供此数据', 'The API does not offer this yet'],
    'all': ['全部', 'All'],
    'apply': ['查询', 'Apply'],
    'yes': ['是', 'yes'],
    'no': ['否', 'no'],
    'count': ['数量', 'count'],
    'from': ['起', 'from'],
    'to': ['止', 'to'],
    'station': ['站点', 'Station'],
    'county': ['区县', 'County'],
    'city': ['全市', 'City'],
    'time': ['时间', 'Time'],
    'factor': ['监测项目', 'Item'],
    'value': ['数值', 'Value'],
    'unit': ['单位', 'Unit'],
    'report.html': ['网页版', 'HTML'],
    'report.xlsx': ['Excel', 'Excel'],
    'map.notiles': ['未配置底图（[server] tile_url），按坐标显示站点', 'No tile server set ([server] tile_url): points by coordinates'],

    // overview
    'ov.cityaqi': ['全市空气质量指数 AQI', 'City AQI'],
    'ov.primary': ['首要污染物', 'Primary pollutant'],
    'ov.stations': ['国控站点实时 AQI', 'National stations, AQI now'],
    'ov.map': ['监测点位分布', 'Monitoring points'],
    'ov.alarms': ['今日未处置报警', "Today's open alarms"],
    'ov.water': ['断面水质类别', 'Water sections by class'],
    'ov.sources': ['污染源达标情况', 'Sources in compliance'],
    'ov.targets': ['年度目标进度', 'Annual targets'],
    'ov.instruments': ['设备在线', 'Instruments online'],
    'ov.points': ['监测点位', 'Points'],
    'ov.open_alarms': ['未处置报警', 'open alarms'],
    'ov.opened_today': ['今日新增', 'opened today'],
    'ov.compliant': ['达标', 'compliant'],
    'ov.exceeding': ['超标', 'exceeding'],
    'ov.outlets': ['排口', 'outlets'],
    'ov.online': ['在线', 'online'],
    'ov.offline': ['离线', 'offline'],
    'ov.sections': ['断面', 'sections'],
    'ov.meets_target': ['达到目标', 'meet target'],
    'ov.latest': ['最新数据', 'Latest values'],
    'ov.last24': ['近 24 小时 AQI', 'AQI, last 24 hours'],

    // air
    'air.trend': ['浓度与 AQI 趋势', 'Trends'],
    'air.calendar': ['空气质量日历', 'Daily level calendar'],
    'air.ranking': ['排名', 'Ranking'],
    'air.targets': ['年度目标', 'Targets'],
    'air.alerts': ['重污染天气预警', 'Heavy-pollution alerts'],
    'air.stats': ['统计', 'Statistics'],
    'air.reports': ['空气质量报表', 'Air quality reports'],
    'air.daily_report': ['日报', 'Daily report'],
    'air.monthly_report': ['月报', 'Monthly report'],
    'air.hourly': ['小时', 'hourly'],
    'air.daily': ['日均', 'daily'],
    'air.days': ['天数', 'days'],
    'air.period': ['周期', 'Period'],
    'air.month': ['月', 'month'],
    'air.year': ['年', 'year'],
    'air.by': ['排名依据', 'Ranked by'],
    'air.by.index': ['综合指数', 'comprehensive index'],
    'air.by.pm25': ['PM2.5 浓度', 'PM2.5'],
    'air.of': ['对象', 'Of'],
    'air.of.station': ['站点', 'stations'],
    'air.of.county': ['区县', 'counties'],
    'air.scope': ['范围', 'Scope'],
    'air.series': ['曲线', 'Series'],
    'air.range': ['时段', 'Range'],
    'air.range.2d': ['近 2 天', '2 days'],
    'air.range.7d': ['近 7 天', '7 days'],
    'air.range.30d': ['近 30 天', '30 days'],

    // water
    'water.map': ['断面分布（按水质类别）', 'Sections by class'],
    'water.sections': ['断面水质', 'Section water quality'],
    'water.trend': ['项目趋势', 'Trend per item'],
    'water.river': ['河流', 'River'],
    'water.target': ['目标', 'Target'],
    'water.class': ['类别', 'Class'],
    'water.daily': ['逐日水质类别', 'Daily class'],

    // sources
    'src.enterprises': ['企业与排口实时数据', 'Enterprises and outlets, real time'],
    'src.transmission': ['传输有效率', 'Transmission effective rate'],
    'src.totals': ['排放总量与许可量', 'Emission totals vs permitted quantity'],
    'src.exceedances': ['超标记录', 'Exceedances'],
    'src.reports': ['污染源月报', 'Monthly sources report'],
    'src.enterprise': ['企业', 'Enterprise'],
    'src.outlet': ['排口', 'Outlet'],
    'src.standard': ['执行标准', 'Standard'],
    'src.limit': ['限值', 'limit'],
    'src.exceeded': ['超标', 'exceeded'],
    'src.rate': ['传输有效率', 'transmission rate'],

    // alarms
    'al.list': ['报警列表', 'Alarms'],
    'al.state': ['状态', 'State'],
    'al.kind': ['类型', 'Kind'],
    'al.mn': ['设备 MN', 'MN'],
    'al.acknowledge': ['确认', 'Acknowledge'],
    'al.explain': ['说明', 'Explain'],
    'al.close': ['关闭', 'Close'],
    'al.note': ['处置意见', 'Note'],
    'al.submit': ['提交', 'Submit'],
    'al.cancel': ['取消', 'Cancel'],
    'al.history': ['处置记录', 'History'],
    'al.done': ['已提交', 'Done'],
    'al.failed': ['操作失败', 'Failed'],
    'al.note_default': ['已核实，通知企业处理', 'Checked; enterprise notified'],

    // instruments
    'ins.list': ['数采仪状态', 'Dataloggers'],
    'ins.pending': ['待审核设备（未登记 MN）', 'Pending instruments (unregistered MN)'],
    'ins.connections': ['当前连接', 'Live connections'],
    'ins.approve': ['审核通过', 'Approve'],
    'ins.approved': ['已登记', 'Registered'],
    'ins.drift_limit': ['时钟偏差超过 60 秒标红', 'Clock drift over 60 s in red'],

    // alarm states and kinds
    'state.open': ['未处置', 'open'],
    'state.acknowledged': ['已确认', 'acknowledged'],
    'state.explained': ['已说明', 'explained'],
    'state.closed': ['已关闭', 'closed'],
    'kind.exceedance': ['超标', 'exceedance'],
    'kind.offline': ['离线', 'offline'],
    'kind.constant': ['恒值', 'constant value'],
    'kind.zero-negative': ['零值/负值', 'zero or negative'],
    'kind.out-of-range': ['超量程', 'out of range'],
    'kind.flag': ['数据标记异常', 'abnormal flag'],

    // point kinds
    'pkind.air': ['环境空气', 'air'],
    'pkind.water': ['地表水', 'surface water'],
    'pkind.flue': ['废气', 'flue gas'],
    'pkind.wastewater': ['废水', 'wastewater'],
    'pkind.sewage': ['污水处理厂', 'sewage plant'],
    'pkind.dust': ['扬尘', 'dust'],
    'pkind.fume': ['油烟', 'cooking fume'],

    // field names of the API (column headers)
    'f.mn': ['MN', 'MN'],
    'f.name': ['名称', 'Name'],
    'f.kind': ['类型', 'Kind'],
    'f.site': ['站点/企业', 'Site'],
    'f.county': ['区县', 'County'],
    'f.lat': ['纬度', 'Lat'],
    'f.lon': ['经度', 'Lon'],
    'f.time': ['时间', 'Time'],
    'f.aqi': ['AQI', 'AQI'],
    'f.level': ['级别', 'Level'],
    'f.category': ['类别', 'Category'],
    'f.primary': ['首要污染物', 'Primary'],
    'f.online': ['在线', 'Online'],
    'f.connected': ['已连接', 'Connected'],
    'f.packets': ['报文数', 'Packets'],
    'f.drift_s': ['时钟偏差(秒)', 'Clock drift (s)'],
    'f.last_packet': ['最后报文', 'Last packet'],
    'f.last_data_time': ['最新数据时间', 'Last data time'],
    'f.st': ['系统编码 ST', 'ST'],
    'f.peer': ['来源地址', 'Peer'],
    'f.first_seen': ['首次出现', 'First seen'],
    'f.last_seen': ['最近出现', 'Last seen'],
    'f.opened': ['发生时间', 'Opened'],
    'f.closed': ['关闭时间', 'Closed'],
    'f.state': ['状态', 'State'],
    'f.factor': ['监测项目', 'Item'],
    'f.peak': ['峰值', 'Peak'],
    'f.limit': ['限值', 'Limit'],
    'f.multiple': ['超标倍数', 'Multiple'],
    'f.point': ['点位', 'Point'],
    'f.river': ['河流', 'River'],
    'f.target_class': ['目标类别', 'Target class'],
    'f.class': ['水质类别', 'Class'],
    'f.main_pollutants': ['主要污染指标', 'Main pollutants'],
    'f.label': ['评价', 'Assessment'],
    'f.compliant': ['达标', 'Meets target'],
    'f.enterprise': ['企业', 'Enterprise'],
    'f.standard': ['执行标准', 'Standard'],
    'f.transmission_rate': ['传输有效率', 'Transmission rate'],
    'f.rank': ['排名', 'Rank'],
    'f.value': ['数值', 'Value'],
    'f.version': ['协议版本', 'Version'],
    'f.reading': ['读取中', 'Reading'],
    'f.id': ['编号', 'ID'],
    'f.count': ['次数', 'Count'],
    'f.history': ['处置记录', 'History'],
    'f.by': ['处置人', 'By'],
    'f.at': ['时间', 'At'],
    'f.note': ['意见', 'Note'],
    'f.start': ['开始', 'Start'],
    'f.end': ['结束', 'End'],
    'f.year': ['年度', 'Year'],
    'f.date': ['日期', 'Date'],
    'f.month': ['月份', 'Month'],
    'f.item': ['项目', 'Item'],
    'f.unit': ['单位', 'Unit'],
    'f.target': ['目标', 'Target'],
    'f.actual': ['实际', 'Actual'],
    'f.good_days': ['优良天数', 'Good days'],
    'f.good_share_pct': ['优良天数比例(%)', 'Good-day share (%)'],
    'f.heavy_days': ['重污染天数', 'Heavy-pollution days'],
    'f.pm25': ['PM2.5', 'PM2.5'],
    'f.pm10': ['PM10', 'PM10'],
    'f.so2': ['SO₂', 'SO₂'],
    'f.no2': ['NO₂', 'NO₂'],
    'f.co': ['CO', 'CO'],
    'f.o3': ['O₃', 'O₃'],
    'f.o3_8h': ['O₃-8h', 'O₃-8h'],
    'f.quota': ['许可排放量', 'Permitted'],
    'f.total': ['排放量', 'Emitted'],
    'f.rate': ['比率', 'Rate'],
    'f.transmission': ['传输率', 'Transmission'],
    'f.effective': ['有效率', 'Effectiveness'],
    'f.outlets': ['排口', 'Outlets'],
    'f.exceeded': ['超标', 'Exceeded'],
};

// HJ 633-2012 table 2: the six levels, their categories and colours (RGB as in the standard's
// appendix A). Used where an API row carries only the AQI.
export const AQI_LEVELS = [
    { max: 50, zh: '优', en: 'Excellent', color: '#00e400', text: '#000' },
    { max: 100, zh: '良', en: 'Good', color: '#ffff00', text: '#000' },
    { max: 150, zh: '轻度污染', en: 'Lightly polluted', color: '#ff7e00', text: '#000' },
    { max: 200, zh: '中度污染', en: 'Moderately polluted', color: '#ff0000', text: '#fff' },
    { max: 300, zh: '重度污染', en: 'Heavily polluted', color: '#99004c', text: '#fff' },
    { max: Infinity, zh: '严重污染', en: 'Severely polluted', color: '#7e0023', text: '#fff' },
];

// GB 3838-2002 classes I..V and 劣V; the colours are the ones the national water reports use
// for class maps (blue shades for I-III, then yellow, orange, red) [mem: no standard fixes
// them].
// Written with Latin letters (I, V), not the Roman-numeral code points (Ⅰ, Ⅴ), which common
// CJK fonts lack in part.
export const WATER_CLASSES = [
    { n: 1, zh: 'I类', en: 'I', color: '#44c5f0' },
    { n: 2, zh: 'II类', en: 'II', color: '#2f8ae0' },
    { n: 3, zh: 'III类', en: 'III', color: '#1a9e4b' },
    { n: 4, zh: 'IV类', en: 'IV', color: '#f2c500' },
    { n: 5, zh: 'V类', en: 'V', color: '#ff7e00' },
    { n: 6, zh: '劣V类', en: 'worse than V', color: '#e0201b' },
];

// HJ 212-2017 codes (reference/hj212.md, appendix B): name and unit by the group of points
// that send them. Air-station pollutants are in µg/m3 (CO in mg/m3) as GB 3095 reports them;
// the same codes from a stack are in mg/m3 (DESIGN.md "Units").
const FACTORS = {
    a21026: { zh: '二氧化硫', en: 'SO₂', air: 'µg/m³', flue: 'mg/m³' },
    a21004: { zh: '二氧化氮', en: 'NO₂', air: 'µg/m³', flue: 'mg/m³' },
    a21005: { zh: '一氧化碳', en: 'CO', air: 'mg/m³', flue: 'mg/m³' },
    a05024: { zh: '臭氧', en: 'O₃', air: 'µg/m³' },
    a34002: { zh: 'PM10', en: 'PM10', air: 'µg/m³' },
    a34004: { zh: 'PM2.5', en: 'PM2.5', air: 'µg/m³' },
    a01001: { zh: '气温', en: 'Air temperature', unit: '°C' },
    a01002: { zh: '湿度', en: 'Humidity', unit: '%' },
    a01006: { zh: '气压', en: 'Pressure', unit: 'kPa' },
    a01007: { zh: '风速', en: 'Wind speed', unit: 'm/s' },
    a01008: { zh: '风向', en: 'Wind direction', unit: '°' },
    a21002: { zh: '氮氧化物', en: 'NOx', unit: 'mg/m³' },
    a34013: { zh: '烟尘', en: 'Dust', unit: 'mg/m³' },
    a19001: { zh: '氧含量', en: 'O₂', unit: '%' },
    a01011: { zh: '烟气流速', en: 'Gas velocity', unit: 'm/s' },
    a01012: { zh: '烟气温度', en: 'Gas temperature', unit: '°C' },
    a01013: { zh: '烟气压力', en: 'Gas pressure', unit: 'kPa' },
    a01014: { zh: '烟气湿度', en: 'Gas humidity', unit: '%' },
    a00000: { zh: '废气流量', en: 'Gas flow', unit: 'm³/s' },
    w01018: { zh: '化学需氧量', en: 'COD', unit: 'mg/L' },
    w21003: { zh: '氨氮', en: 'NH₃-N', unit: 'mg/L' },
    w21011: { zh: '总磷', en: 'TP', unit: 'mg/L' },
    w21001: { zh: '总氮', en: 'TN', unit: 'mg/L' },
    w01001: { zh: 'pH', en: 'pH', unit: '' },
    w00000: { zh: '废水流量', en: 'Water flow', unit: 'L/s' },
    w01009: { zh: '溶解氧', en: 'DO', unit: 'mg/L' },
    w01019: { zh: '高锰酸盐指数', en: 'CODMn', unit: 'mg/L' },
    w01010: { zh: '水温', en: 'Water temperature', unit: '°C' },
    w01014: { zh: '电导率', en: 'Conductivity', unit: 'µS/cm' },
    w01012: { zh: '悬浮物', en: 'SS', unit: 'mg/L' },
};

// The air pollutants in the order bureaus print them, with their factor codes and the keys
// of an AQI row's "conc" object.
export const AIR_POLLUTANTS = [
    { key: 'pm25', code: 'a34004', label: 'PM2.5', unit: 'µg/m³' },
    { key: 'pm10', code: 'a34002', label: 'PM10', unit: 'µg/m³' },
    { key: 'o3', code: 'a05024', label: 'O₃', unit: 'µg/m³' },
    { key: 'no2', code: 'a21004', label: 'NO₂', unit: 'µg/m³' },
    { key: 'so2', code: 'a21026', label: 'SO₂', unit: 'µg/m³' },
    { key: 'co', code: 'a21005', label: 'CO', unit: 'mg/m³' },
];

export function getLang() {
    return lang;
}

export function setLang(l) {
    lang = l === 'en' ? 'en' : 'zh';
    try {
        localStorage.setItem(STORE_KEY, lang);
    } catch (e) {
        // private mode: the choice lasts until the page is reloaded
    }
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}

export function t(key) {
    const w = WORDS[key];
    if (w === undefined)
        return key;
    return lang === 'en' ? w[1] : w[0];
}

// Column label of an API field: "f.<name>" when known, else the name itself.
export function fieldLabel(name) {
    return WORDS['f.' + name] ? t('f.' + name) : name;
}

export function has(key) {
    return WORDS[key] !== undefined;
}

export function factorName(code) {
    const f = FACTORS[code];
    if (f === undefined)
        return code;
    return lang === 'en' ? f.en : f.zh;
}

// Unit of a factor for a kind of point ("air", "flue", ...), or ''.
export function factorUnit(code, kind) {
    const f = FACTORS[code];
    if (f === undefined)
        return '';
    if (f.unit !== undefined)
        return f.unit;
    if (kind === 'air')
        return f.air || '';
    return f.flue || f.air || '';
}

export function pointKind(k) {
    return has('pkind.' + k) ? t('pkind.' + k) : k;
}

export function aqiLevel(aqi) {
    if (aqi === null || aqi === undefined || Number.isNaN(aqi))
        return null;
    return AQI_LEVELS.find(l => aqi <= l.max);
}

export function levelName(l) {
    return l === null ? '—' : (lang === 'en' ? l.en : l.zh);
}

// A class given as a number 1..6, a Roman numeral or "劣V": its entry in WATER_CLASSES.
export function waterClass(c) {
    if (c === null || c === undefined || c === '')
        return null;
    if (typeof c === 'number')
        return WATER_CLASSES[c - 1] || null;
    const s = String(c).trim().toUpperCase().replace('Ⅴ', 'V').replace('Ⅳ', 'IV')
        .replace('Ⅲ', 'III').replace('Ⅱ', 'II').replace('Ⅰ', 'I').replace('类', '');
    if (s.startsWith('劣') || s === '6' || s === 'VI' || s.includes('WORSE'))
        return WATER_CLASSES[5];
    const roman = { I: 1, II: 2, III: 3, IV: 4, V: 5 };
    const n = roman[s] || parseInt(s, 10);
    return WATER_CLASSES[n - 1] || null;
}

export function className(c) {
    const w = waterClass(c);
    if (w === null)
        return c === null || c === undefined ? '—' : String(c);
    return lang === 'en' ? 'Class ' + w.en : w.zh;
}
