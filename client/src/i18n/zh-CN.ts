/** Simplified Chinese: the default language of every screen. */
export default {
  app: { name: '格治', wall: '城市运行指挥中心', map: '网格一张图', district: '郑州市金水区' },
  status: { connecting: '连接中', syncing: '同步中', live: '实时', offline: '已断开', lastUpdated: '最后更新', reconnecting: '正在重连…' },
  kpi: {
    reported: '今日上报', closed: '今日结案', closureRate: '结案率', onTimeClosureRate: '按期结案率', overdueNow: '当前超期',
    satisfaction: '满意率', vsYesterday: '较昨日', vsLastWeek: '较上周同日', noData: '暂无',
  },
  choropleth: {
    title: '分级着色', onTimeClosureRate: '按期结案率', closureRate: '结案率', overdueNow: '超期案件数', casesPer1000Households: '每千户案件数', reported: '上报量',
  },
  layers: { cases: '案件', density: '热力', households: '住户', party: '党员中心户', grids: '网格' },
  panels: {
    trend: '今日分时上报（对比昨日）', today: '今日', yesterday: '昨日', categories: '案件分类', overdueGrids: '超期案件最多的网格',
    ticker: '实时动态', overdueList: '超期与临期案件', alerts: '预警', nothing: '暂无',
  },
  due: { overdueBy: '超期 {t}', dueIn: '剩余 {t}', hours: '{h}小时{m}分', minutes: '{m}分钟' },
  alerts: { overdueSurge: '超期激增：10分钟内 {n} 件案件超期', repeat: '重复发生：{place} {category} 30天内 {n} 次' },
  playback: { title: '回放', day: '日期', speed: '倍速', play: '播放', pause: '暂停', live: '返回实时', playing: '回放中', at: '回放时刻' },
  focus: { all: '全区', up: '返回上级' },
  language: { switch: 'English' },
  login: { title: '登录指挥中心', username: '用户名', password: '密码', submit: '登录', failed: '用户名或密码错误', demo: '演示账号：commander / gezhi-demo' },
  states: {
    reported: '已上报', filed: '已立案', dispatched: '已派遣', accepted: '已签收', coordinating: '协调中', appealed: '申诉中', rework: '返工',
    deferred: '缓办', handled: '已处置', closed: '已结案', evaluated: '已评价', rejected: '不予立案', voided: '已作废',
  },
  events: {
    reported: '上报', file: '立案', reject: '不予立案', void: '作废', self_handle: '自行处置', dispatch: '派遣', return: '退回', accept: '签收',
    escalate: '上报上级', whistle: '街道吹哨', report_in: '部门报到', reply: '部门回复', handle: '处置', check_pass: '核查通过',
    check_fail: '核查不通过', request_extension: '申请延期', approve_extension: '批准延期', deny_extension: '驳回延期', defer: '缓办',
    resume: '恢复办理', appeal: '申诉', uphold_appeal: '申诉成立', dismiss_appeal: '申诉驳回', supervise: '督办', evaluate: '评价',
    joined: '群众附议', warned: '临期预警', overdue: '超期', repeat_flagged: '重复发生',
  },
}
