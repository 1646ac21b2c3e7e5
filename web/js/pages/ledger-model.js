// SPDX-License-Identifier: MIT
// What the 台账 (ledgers) and 考核 (assessment) tabs know of the ledger model, and their words
// in Chinese and English. The model is the daemon's (src/ledger/model.c and workflow.c,
// docs/ledger.md): the five kinds, the states each kind uses in the order of its chain, the
// states where an item's clock stops, the legal deadlines, the fields each kind requires,
// and which ledger roles an account's role may act as (src/api/auth_policy.c). The API stays
// the judge: a page that offers something the API refuses shows the API's reason.
import { getLang } from '../i18n.js';

export const KINDS = ['task', 'rectify', 'complaint', 'case', 'river'];

// Each kind's states, in the order of its workflow chain, then its side states
// (src/ledger/model.c kind_states; standards.md section 7).
export const KIND_STATES = {
    task: ['not_started', 'in_progress', 'submitted', 'closed', 'returned', 'long_term'],
    rectify: ['not_started', 'in_progress', 'submitted', 'accepted', 'publicity', 'closed', 'returned',
        'long_term', 'rebounded'],
    complaint: ['registered', 'admitted', 'assigned', 'handling', 'reviewing', 'replied', 'closed',
        'rejected', 'duplicate'],
    case: ['registered', 'filed', 'investigating', 'decided', 'executing', 'closed', 'dismissed'],
    river: ['reported', 'dispatched', 'handling', 'verifying', 'closed', 'returned'],
};

// Final states (the item is closed) and the states where the unit's part is done, so the
// deadline no longer runs (src/ledger/model.c final_states, stopped_states).
const FINAL = ['closed', 'rejected', 'duplicate', 'dismissed'];
const STOPPED = {
    task: ['submitted', 'closed', 'long_term'],
    rectify: ['submitted', 'accepted', 'publicity', 'closed', 'long_term'],
    complaint: ['replied', 'closed', 'rejected', 'duplicate'],
    case: ['closed', 'dismissed'],
    river: ['verifying', 'closed'],
};

export function isFinal(state) {
    return FINAL.includes(state);
}

export function clockRuns(kind, state) {
    return !(STOPPED[kind] || []).includes(state);
}

// The ledger roles an account may act as (auth_policy.c ledger_role_allowed): nobody acts
// above its account's role. Without an account (a daemon without sign-in) every role is
// offered and the workflow decides.
const ACCOUNT_ROLES = {
    admin: ['operator'],
    operator: ['operator', 'inspector'],
    leader: ['leader', 'inspector'],
    officer: ['officer', 'chief'],
};
export const ROLES = ['operator', 'leader', 'officer', 'inspector', 'chief'];

export function rolesFor(account) {
    if (account === null || account === undefined)
        return ROLES;
    return ACCOUNT_ROLES[account.role] || [];
}

// The fields of a new item of each kind, required ones marked (docs/ledger.md section 1:
// "required besides a title"; src/ledger/model.c ew_ledger_item_check).
export const FORM_FIELDS = {
    task: [['title', 1], ['code'], ['unit', 1], ['county'], ['coop_units'], ['qty_target'], ['due'],
        ['category'], ['body']],
    rectify: [['title', 1], ['code'], ['unit', 1], ['county'], ['leader', 1], ['gov_leader', 1],
        ['source', 1], ['coop_units'], ['due'], ['parent_id'], ['body']],
    complaint: [['title', 1], ['code'], ['source', 1], ['category', 1], ['county'], ['subject'],
        ['body']],
    case: [['title', 1], ['code'], ['source', 1], ['subject', 1], ['county'], ['unit'], ['body']],
    river: [['title', 1], ['code'], ['subject', 1], ['leader', 1], ['level', 1], ['county'], ['unit'],
        ['due'], ['body']],
};

// Choices offered for some fields (free text is accepted too, except level).
export const CHOICES = {
    complaint: {
        source: ['12369', '12345', '微信公众号', '来信', '来访', '网络'],
        category: ['大气', '水', '噪声', '固废', '辐射', '生态'],
    },
    case: { source: ['在线监控报警', '信访举报', '现场检查', '督察交办', '上级交办'] },
};

// What an action takes besides a note (docs/ledger.md section 2, "needs"). Fields: qty, unit,
// days, amount_yuan, due, ref_id.
export const ACTION_FIELDS = {
    progress: ['qty'],
    assign: ['unit', 'due'],
    dispatch: ['due'],
    extend: ['days'],
    daily_penalty: ['days'],
    decide: ['amount_yuan'],
    duplicate: ['ref_id'],
    rebound: ['due'],
};

// Actions that refuse to go without a note (workflow.c F_NOTE).
const NEEDS_NOTE = {
    task: ['submit', 'return', 'long_term'],
    rectify: ['progress', 'apply_close', 'return', 'long_term', 'rebound'],
    complaint: ['reject', 'finish', 'return', 'reply', 'extend', 'supervise'],
    case: ['dismiss', 'decide', 'daily_penalty'],
    river: ['finish', 'return', 'escalate'],
};

export function needsNote(kind, action) {
    return (NEEDS_NOTE[kind] || []).includes(action);
}

// Which ledger roles may take each action (workflow.c rules_table), used to preselect the
// acting role and to say on the button who may; the API decides.
const ACTION_ROLES = {
    task: { start: 'officer operator', progress: 'officer operator', submit: 'officer',
        accept: 'operator leader', return: 'operator leader', resume: 'officer operator', long_term: 'leader' },
    rectify: { start: 'officer operator', progress: 'officer operator', apply_close: 'officer',
        accept: 'inspector leader', return: 'inspector leader', resume: 'officer operator',
        publicize: 'inspector operator', close: 'inspector leader', long_term: 'inspector leader',
        rebound: 'inspector leader' },
    complaint: { admit: 'operator', reject: 'operator', duplicate: 'operator', assign: 'operator',
        start: 'officer', finish: 'officer', return: 'operator', reply: 'operator', archive: 'operator',
        extend: 'leader', supervise: 'leader' },
    case: { file: 'leader', dismiss: 'leader', investigate: 'operator officer', decide: 'leader',
        execute: 'operator officer', daily_penalty: 'leader', close: 'leader' },
    river: { dispatch: 'operator chief', start: 'officer chief', finish: 'officer chief',
        verify: 'chief operator', return: 'chief operator', escalate: 'chief operator' },
};

export function actionRoles(kind, action) {
    const s = (ACTION_ROLES[kind] || {})[action];
    return s ? s.split(' ') : [];
}

// Who may register an item of each kind (workflow.c register_roles).
export const REGISTER_ROLES = {
    task: ['operator', 'leader'],
    rectify: ['operator', 'inspector', 'leader'],
    complaint: ['operator', 'public'],
    case: ['operator', 'leader'],
    river: ['operator', 'chief', 'public'],
};

// The legal or planned clock of an item in its state, as a sentence with its source; the
// numbers are the daemon's defaults (struct ew_ledger_rules). Those marked [M] in
// docs/ledger.md are unconfirmed local readings, and the page says so.
export function clockRule(kind, state) {
    const R = {
        complaint: {
            registered: 'clock.complaint.accept',
            admitted: 'clock.complaint.close', assigned: 'clock.complaint.close',
            handling: 'clock.complaint.close', reviewing: 'clock.complaint.close',
        },
        case: { registered: 'clock.case.register', filed: 'clock.case.decide', investigating: 'clock.case.decide' },
        rectify: { publicity: 'clock.rectify.publicity' },
        river: { reported: 'clock.river.dispatch' },
    };
    const k = (R[kind] || {})[state];
    if (k)
        return w(k);
    if (kind === 'river' && !isFinal(state))
        return w('clock.river.handle');
    if (kind === 'case' && (state === 'decided' || state === 'executing'))
        return w('clock.case.execute');
    return w('clock.plan');
}

// Chinese state labels as each kind calls them (model.c kind_labels), English alongside.
const STATE_WORDS = {
    not_started: ['未启动', 'Not started'],
    in_progress: ['整改中', 'In progress'],
    submitted: ['已完成待验收', 'Awaiting acceptance'],
    accepted: ['验收通过', 'Accepted'],
    publicity: ['公示中', 'In publicity'],
    closed: ['已办结', 'Closed'],
    returned: ['退回', 'Returned'],
    long_term: ['长期坚持', 'Long-term'],
    rebounded: ['反弹', 'Rebounded'],
    registered: ['登记', 'Registered'],
    admitted: ['已受理', 'Admitted'],
    rejected: ['不予受理', 'Not admitted'],
    duplicate: ['重复件', 'Duplicate'],
    assigned: ['已交办', 'Assigned'],
    handling: ['办理中', 'Handling'],
    reviewing: ['办结待审', 'Under review'],
    replied: ['已答复', 'Replied'],
    filed: ['已立案', 'Filed'],
    investigating: ['调查取证', 'Investigating'],
    decided: ['已决定', 'Decided'],
    executing: ['执行中', 'Executing'],
    dismissed: ['不予立案', 'Not filed'],
    reported: ['已上报', 'Reported'],
    dispatched: ['已分派', 'Dispatched'],
    verifying: ['办结待核', 'Awaiting verification'],
};
const KIND_STATE_WORDS = {
    'task.in_progress': ['推进中', 'In progress'],
    'task.closed': ['已完成', 'Completed'],
    'rectify.closed': ['已销号', 'Closed (销号)'],
    'complaint.closed': ['归档', 'Archived'],
    'case.registered': ['线索登记', 'Lead registered'],
    'case.closed': ['结案', 'Case closed'],
    'river.handling': ['处理中', 'Handling'],
    'river.closed': ['已核销', 'Verified and closed'],
};

const ACTION_WORDS = {
    register: ['登记', 'registered'],
    import: ['导入', 'imported'],
    comment: ['意见', 'comment'],
    attach: ['上传证据', 'evidence'],
    overdue: ['逾期', 'overdue'],
    start: ['开始办理', 'Start'],
    progress: ['报进展', 'Report progress'],
    submit: ['申请验收', 'Submit for acceptance'],
    accept: ['验收通过', 'Accept'],
    return: ['退回', 'Return'],
    resume: ['重新办理', 'Resume'],
    long_term: ['列为长期坚持', 'Make long-term'],
    apply_close: ['申请销号', 'Apply to close (销号)'],
    publicize: ['公示', 'Publicize'],
    close: ['办结', 'Close'],
    rebound: ['反弹重开', 'Rebound'],
    admit: ['受理', 'Admit'],
    reject: ['不予受理', 'Do not admit'],
    duplicate: ['重复件', 'Mark duplicate'],
    assign: ['交办', 'Assign'],
    finish: ['办结报审', 'Finish'],
    reply: ['答复', 'Reply'],
    archive: ['归档', 'Archive'],
    extend: ['延期', 'Extend'],
    supervise: ['督办', 'Supervise'],
    file: ['立案', 'File'],
    dismiss: ['不予立案', 'Do not file'],
    investigate: ['调查取证', 'Investigate'],
    decide: ['作出处罚决定', 'Decide'],
    execute: ['执行', 'Execute'],
    daily_penalty: ['按日连续处罚', 'Daily penalty'],
    dispatch: ['分派', 'Dispatch'],
    verify: ['核销', 'Verify'],
    escalate: ['升级', 'Escalate'],
};
const KIND_ACTION_WORDS = {
    'rectify.close': ['销号', 'Close (销号)'],
    'case.close': ['结案', 'Close the case'],
    'river.finish': ['办结报核', 'Finish'],
    'river.start': ['开始处理', 'Start'],
};

const ROLE_WORDS = {
    operator: ['调度员', 'operator'],
    leader: ['局领导', 'leader'],
    officer: ['责任单位', 'officer'],
    inspector: ['督察办', 'inspector'],
    chief: ['河长', 'river chief'],
    public: ['公众', 'public'],
    system: ['系统', 'system'],
};

const WORDS = {
    // tabs and panels
    'ld.list': ['台账事项', 'Ledger items'],
    'ld.counts': ['按状态统计', 'Items by state'],
    'ld.detail': ['事项详情', 'Item'],
    'ld.due': ['逾期与临期（按责任单位）', 'Overdue and due soon, per unit'],
    'ld.new': ['新建事项', 'New item'],
    'ld.import': ['导入台账（Excel / CSV）', 'Import a ledger (Excel / CSV)'],
    'ld.notfound': ['没有序号为 {id} 的事项（或无权查看）', 'No item {id} (or not yours to see)'],
    'ld.pick': ['点击列表中的事项查看详情', 'Click an item in the list to see it'],
    // filters
    'ld.kind': ['类别', 'Kind'],
    'ld.state': ['状态', 'State'],
    'ld.county': ['区县', 'County'],
    'ld.unit': ['责任单位', 'Unit'],
    'ld.deadline': ['时限', 'Deadline'],
    'ld.dl.open': ['未办结', 'open'],
    'ld.dl.overdue': ['已逾期', 'overdue'],
    'ld.dl.soon': ['7日内到期', 'due within 7 days'],
    'ld.q': ['搜索', 'Search'],
    'ld.q.ph': ['编号、标题、内容、企业', 'code, title, text, enterprise'],
    'ld.reset': ['重置', 'Reset'],
    // list
    'ld.page': ['第 {a}–{b} 条，共 {n} 条', '{a}–{b} of {n}'],
    'ld.prev': ['上一页', 'Previous'],
    'ld.next': ['下一页', 'Next'],
    'ld.xlsx': ['导出 Excel', 'Excel'],
    'ld.csv_all': ['导出 CSV', 'CSV (all)'],
    'ld.total': ['合计', 'Total'],
    'ld.left': ['剩余', 'Left'],
    'ld.days_left': ['剩 {n} 天', '{n} d left'],
    'ld.days_late': ['超期 {n} 天', '{n} d late'],
    'ld.today': ['今日到期', 'due today'],
    'ld.overdue': ['逾期', 'overdue'],
    'ld.due_soon': ['临期', 'due soon'],
    // fields
    'f.id': ['序号', 'ID'],
    'f.code': ['编号', 'Code'],
    'f.kind': ['类别', 'Kind'],
    'f.title': ['标题', 'Title'],
    'f.body': ['内容', 'Details'],
    'f.unit': ['责任单位', 'Responsible unit'],
    'f.county': ['区县', 'County'],
    'f.leader': ['责任领导', 'Leader'],
    'f.gov_leader': ['政府责任领导', 'Government leader'],
    'f.coop_units': ['配合单位', 'Cooperating units'],
    'f.category': ['类型', 'Category'],
    'f.source': ['来源', 'Source'],
    'f.subject': ['涉及企业/对象', 'Subject'],
    'f.due': ['完成时限', 'Deadline'],
    'f.state': ['状态', 'State'],
    'f.opened': ['登记时间', 'Opened'],
    'f.done': ['完成时间', 'Done'],
    'f.closed': ['办结时间', 'Closed'],
    'f.updated': ['更新时间', 'Updated'],
    'f.mark': ['公示截止', 'Publicity ends'],
    'f.qty_target': ['目标数量', 'Target quantity'],
    'f.qty_done': ['完成数量', 'Quantity done'],
    'f.penalty_yuan': ['罚款金额（元）', 'Penalty (yuan)'],
    'f.penalty_days': ['按日计罚天数', 'Days of daily penalty'],
    'f.level': ['级别', 'Level'],
    'f.extensions': ['延期次数', 'Extensions'],
    'f.parent_id': ['上级事项序号', 'Parent item ID'],
    'f.overdue': ['逾期', 'Overdue'],
    // the same fields as each kind calls them
    'f.rectify.leader': ['党委责任领导', 'Party leader'],
    'f.rectify.source': ['督察批次', 'Inspection round'],
    'f.rectify.title': ['问题', 'Issue'],
    'f.rectify.body': ['反馈问题', 'Feedback text'],
    'f.complaint.source': ['渠道', 'Channel'],
    'f.complaint.subject': ['被投诉单位', 'Complained-of party'],
    'f.complaint.unit': ['办理单位', 'Handling unit'],
    'f.complaint.body': ['投诉内容', 'Complaint'],
    'f.case.source': ['案件来源', 'Case source'],
    'f.case.subject': ['当事人', 'Party'],
    'f.case.unit': ['承办单位', 'Handling unit'],
    'f.river.subject': ['河段', 'Reach'],
    'f.river.leader': ['河长', 'River chief'],
    'f.river.level': ['河长级别', 'Chief level'],
    'f.task.title': ['任务名称', 'Task'],
    'f.task.unit': ['牵头单位', 'Lead unit'],
    // detail
    'ld.clock': ['时限与法定时钟', 'Deadline and legal clock'],
    'ld.clock.runs': ['计时中', 'clock running'],
    'ld.clock.stopped': ['已停止计时', 'clock stopped'],
    'ld.history': ['办理记录', 'History'],
    'ld.step': ['环节', 'Step'],
    'ld.actions': ['可办理操作', 'Actions'],
    'ld.no_actions': ['当前状态无可办理操作', 'No action in this state'],
    'ld.comments': ['意见', 'Comments'],
    'ld.comment': ['添加意见', 'Add a comment'],
    'ld.files': ['证据材料', 'Evidence files'],
    'ld.upload': ['上传', 'Upload'],
    'ld.files.hint': ['PDF、JPEG、PNG、Word/Excel、文本，≤ 20 MB', 'PDF, JPEG, PNG, Word/Excel, text; ≤ 20 MB'],
    'ld.links': ['关联', 'Links'],
    'ld.link.add': ['添加关联', 'Add a link'],
    'ld.link.type': ['类型', 'Type'],
    'ld.link.target': ['对象', 'Target'],
    'ld.link.relation': ['关系', 'Relation'],
    'lt.item': ['台账事项', 'ledger item'],
    'lt.point': ['监测点位', 'point'],
    'lt.alarm': ['报警', 'alarm'],
    'lt.enterprise': ['企业', 'enterprise'],
    'ld.as': ['办理身份', 'Acting as'],
    'ld.my_unit': ['所在单位', 'My unit'],
    'ld.note': ['办理意见', 'Note'],
    'ld.note.needed': ['必填', 'required'],
    'ld.submit': ['提交', 'Submit'],
    'ld.cancel': ['取消', 'Cancel'],
    'ld.done': ['已提交', 'Done'],
    'ld.refused': ['未通过', 'Refused'],
    'ld.by': ['办理人', 'By'],
    'ld.role': ['身份', 'Role'],
    'ld.from_to': ['状态变化', 'State'],
    'ld.size': ['大小', 'Size'],
    'ld.name': ['文件名', 'File'],
    'af.qty': ['已完成数量', 'Quantity done'],
    'af.unit': ['承办单位', 'Handling unit'],
    'af.days': ['天数', 'Days'],
    'af.amount_yuan': ['罚款金额（元）', 'Penalty (yuan)'],
    'af.due': ['新时限', 'New deadline'],
    'af.ref_id': ['原件序号', 'Original item ID'],
    // create and import
    'ld.create': ['登记', 'Register'],
    'ld.created': ['已登记，序号 {id}', 'Registered as item {id}'],
    'ld.required': ['* 为必填项', '* required'],
    'ld.file': ['文件', 'File'],
    'ld.strict': ['有错误行时全部不导入', 'Import nothing if any row is bad'],
    'ld.dry': ['检查（试导入）', 'Check (dry run)'],
    'ld.real': ['正式导入', 'Import'],
    'ld.imp.result': ['共 {rows} 行，有问题 {bad} 行，已导入 {imported} 行', '{rows} rows, {bad} refused, {imported} imported'],
    'ld.imp.dry': ['（试导入，未写入）', '(dry run: nothing written)'],
    'ld.imp.line': ['行号', 'Line'],
    'ld.imp.column': ['列', 'Column'],
    'ld.imp.why': ['原因', 'Why'],
    'ld.imp.hint': ['表头按名称识别（编号、标题、责任单位、完成时限、状态……，见 docs/ledger.md 第4节）；先检查，再正式导入',
        'Headers are matched by name (编号, 标题, 责任单位, 完成时限, 状态 …, docs/ledger.md section 4); check first, then import'],
    'ld.imp.nofile': ['请选择文件', 'Choose a file'],
    // digest
    'ld.due.date': ['统计日期 {d}：逾期 {o} 项，{n} 日内到期 {s} 项', 'On {d}: {o} overdue, {s} due within {n} days'],
    'ld.due.more': ['另有 {n} 项未列出', '{n} more not listed'],
    // legal clocks (docs/ledger.md section 3)
    'clock.complaint.accept': ['收到之日起 15 日内决定是否受理（环境保护部令第15号）',
        'Decide on acceptance within 15 days of receipt (MEP Order No. 15)'],
    'clock.complaint.close': ['受理之日起 60 日内办结，可延期一次不超过 30 日（环境保护部令第15号；按自然日计 [待确认]）',
        'Close within 60 days of acceptance; one extension of at most 30 days (MEP Order No. 15; calendar days [unconfirmed])'],
    'clock.case.register': ['线索登记后由局领导决定是否立案', 'A leader decides whether to file the case'],
    'clock.case.decide': ['立案后 90 日内作出处理决定 [待确认]', 'Decide within 90 days of filing [unconfirmed]'],
    'clock.case.execute': ['按处罚决定执行；拒不改正的按日连续处罚（环境保护法第59条）[待确认]',
        'Execute the decision; daily continuous penalty if not corrected (Environmental Protection Law art. 59) [unconfirmed]'],
    'clock.rectify.publicity': ['公示 5 个工作日后方可销号 [待确认：地方做法]',
        'Close (销号) after 5 working days of publicity [unconfirmed: local practice]'],
    'clock.river.dispatch': ['1 个工作日内分派（standards.md 7.1）', 'Dispatch within 1 working day (standards.md 7.1)'],
    'clock.river.handle': ['每级 10 个工作日内处理，逾期升级至上一级河长 [待确认]',
        '10 working days at each level, then escalated to the next chief [unconfirmed]'],
    'clock.plan': ['按整改方案或实施方案确定的完成时限', 'The deadline set by the plan'],
    // assessment
    'as.monthly': ['月度考核', 'Monthly scorecard'],
    'as.ytd': ['年度累计考核', 'Year to date'],
    'as.breakdown': ['得分明细', 'Breakdown'],
    'as.period': ['考核月份', 'Month'],
    'as.rank': ['排名', 'Rank'],
    'as.unit': ['单位', 'Unit'],
    'as.total': ['总分', 'Total'],
    'as.indicator': ['指标', 'Indicator'],
    'as.weight': ['分值', 'Weight'],
    'as.value': ['数值', 'Value'],
    'as.basis': ['依据（数据与事项）', 'Basis (data and items)'],
    'as.target': ['目标', 'Target'],
    'as.irank': ['名次', 'Place'],
    'as.points': ['得分', 'Points'],
    'as.how': ['计算过程', 'Arithmetic'],
    'as.nodata': ['无数据', 'no data'],
    'as.of': ['{u}（{p}）', '{u} ({p})'],
    'as.none': ['未发布考核方案：在 envwatch.ini 的 [ledger] scorecard 指定考核文件（见 docs/ledger.md 第5节）',
        'No scorecard published: name the scorecard file in [ledger] scorecard of envwatch.ini (docs/ledger.md section 5)'],
    'as.head': ['{a}：{b}', '{a}: {b}'],
    'as.range_ytd': ['{y}年1月至{m}月', 'Jan–{m} {y}'],
    'as.csv_points': ['下载 CSV 得分', 'CSV points'],
    'as.csv_breakdown': ['下载 CSV 明细', 'CSV breakdown'],
    'as.click': ['点击得分查看明细', 'Click a score for its breakdown'],
    'as.rule': ['考核办法由本局考核文件确定（[ledger] scorecard），非国家统一公式', "The weights and rules are the bureau's own scorecard file ([ledger] scorecard), not a national formula"],
    'as.items': ['事项', 'items'],
    'as.alarms': ['报警', 'alarms'],
};

function pick(pair) {
    return getLang() === 'en' ? pair[1] : pair[0];
}

// A word of these tabs; {name} placeholders are filled from vars.
export function w(key, vars) {
    const p = WORDS[key];
    let s = p === undefined ? key : pick(p);
    for (const [k, v] of Object.entries(vars || {}))
        s = s.split('{' + k + '}').join(String(v));
    return s;
}

// A field's label as this kind calls it.
export function fieldName(field, kind) {
    const k = WORDS['f.' + kind + '.' + field] || WORDS['f.' + field];
    return k ? pick(k) : field;
}

export function kindName(kind, apiLabel) {
    const zh = { task: '攻坚任务', rectify: '督察整改', complaint: '信访投诉', case: '执法案件', river: '河长制问题' };
    const en = { task: 'Task', rectify: 'Rectification', complaint: 'Complaint', case: 'Case',
        river: 'River problem' };
    if (getLang() === 'en')
        return en[kind] || kind;
    return apiLabel || zh[kind] || kind;
}

// The state as the kind calls it; the API's own label wins in Chinese.
export function stateName(kind, state, apiLabel) {
    if (getLang() !== 'en' && apiLabel)
        return apiLabel;
    const p = KIND_STATE_WORDS[kind + '.' + state] || STATE_WORDS[state];
    return p ? pick(p) : state;
}

export function actionName(kind, action) {
    const p = KIND_ACTION_WORDS[kind + '.' + action] || ACTION_WORDS[action];
    return p ? pick(p) : action;
}

export function roleName(role) {
    const p = ROLE_WORDS[role];
    return p ? pick(p) : role;
}

// A river chief's level (1 province … 5 village).
export function levelName(n) {
    const zh = ['', '省级', '市级', '县级', '乡级', '村级'];
    const en = ['', 'province', 'city', 'county', 'township', 'village'];
    return (getLang() === 'en' ? en : zh)[n] || (n ? String(n) : '—');
}
