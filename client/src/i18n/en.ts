import type zh from './zh-CN.ts'

/** English, for visitors and foreign partners; same keys as the Chinese. */
const en: typeof zh = {
  app: { name: 'Gezhi', wall: 'City Operations Command Centre', map: 'Grid map', district: 'Jinshui District, Zhengzhou' },
  status: { connecting: 'Connecting', syncing: 'Syncing', live: 'Live', offline: 'Offline', lastUpdated: 'Last updated', reconnecting: 'Reconnecting…' },
  kpi: {
    reported: 'Reported today', closed: 'Closed today', closureRate: 'Closure rate', onTimeClosureRate: 'On-time closure', overdueNow: 'Overdue now',
    satisfaction: 'Satisfaction', vsYesterday: 'vs yesterday', vsLastWeek: 'vs same day last week', noData: 'n/a',
  },
  choropleth: {
    title: 'Shading', onTimeClosureRate: 'On-time closure rate', closureRate: 'Closure rate', overdueNow: 'Overdue cases', casesPer1000Households: 'Cases per 1,000 households', reported: 'Reported',
  },
  layers: { cases: 'Cases', density: 'Density', households: 'Households', party: 'Party-member households', grids: 'Grids' },
  panels: {
    trend: 'Reports by hour today (vs yesterday)', today: 'Today', yesterday: 'Yesterday', categories: 'Cases by category', overdueGrids: 'Grids with most overdue cases',
    ticker: 'Live events', overdueList: 'Overdue and due soon', alerts: 'Alerts', nothing: 'Nothing',
  },
  due: { overdueBy: 'overdue {t}', dueIn: '{t} left', hours: '{h} h {m} min', minutes: '{m} min' },
  alerts: { overdueSurge: 'Overdue surge: {n} cases overdue within 10 minutes', repeat: 'Repeat: {category} at {place}, {n} times in 30 days' },
  playback: { title: 'Playback', day: 'Day', speed: 'Speed', play: 'Play', pause: 'Pause', live: 'Back to live', playing: 'Playing back', at: 'Playback time' },
  focus: { all: 'Whole district', up: 'Up one level' },
  language: { switch: '中文' },
  login: { title: 'Sign in to the command centre', username: 'Username', password: 'Password', submit: 'Sign in', failed: 'Unknown username or wrong password', demo: 'Demo account: commander / gezhi-demo' },
  states: {
    reported: 'Reported', filed: 'Filed', dispatched: 'Dispatched', accepted: 'Accepted', coordinating: 'Departments called in', appealed: 'Appealed', rework: 'Rework',
    deferred: 'Deferred', handled: 'Handled', closed: 'Closed', evaluated: 'Evaluated', rejected: 'Rejected', voided: 'Voided',
  },
  events: {
    reported: 'reported', file: 'filed', reject: 'rejected', void: 'voided', self_handle: 'fixed on the spot', dispatch: 'dispatched', return: 'returned', accept: 'accepted',
    escalate: 'escalated', whistle: 'departments called in', report_in: 'department reported in', reply: 'department replied', handle: 'handled', check_pass: 'check passed',
    check_fail: 'check failed', request_extension: 'extension requested', approve_extension: 'extension approved', deny_extension: 'extension denied', defer: 'deferred',
    resume: 'resumed', appeal: 'appealed', uphold_appeal: 'appeal upheld', dismiss_appeal: 'appeal dismissed', supervise: 'supervised', evaluate: 'evaluated',
    joined: 'me too', warned: 'due soon', overdue: 'overdue', repeat_flagged: 'repeat place',
  },
}
export default en
