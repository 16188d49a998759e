import { GIVEN_CHARS, ROADS, SURNAMES } from '../seed/names.ts'
import type { Rng } from './random.ts'

/**
 * Words the simulated people use: report descriptions per 小类, reasons for each step, ratings'
 * comments, names and phone numbers. Every phone number is in the fictional block 1700000xxxx,
 * which is also how the simulator recognises its own cases after a restart.
 */
export const SIM_PHONE_PREFIX = '1700000'

export const simPhone = (r: Rng) => `${SIM_PHONE_PREFIX}${String(r.int(0, 9999)).padStart(4, '0')}`
export const personName = (r: Rng) => r.pick(SURNAMES) + r.pick(GIVEN_CHARS) + (r.chance(0.6) ? r.pick(GIVEN_CHARS) : '')
export const address = (r: Rng) => r.chance(0.5)
  ? `${r.pick(ROADS)}${r.int(1, 199)}号附近`
  : `${r.pick(ROADS)}与${r.pick(ROADS)}交叉口${r.pick(['东北角', '西北角', '东南角', '西南角'])}`

/** What people say when they report a case of a 小类; others fall back to the category's name. */
const DESCRIPTIONS: Record<string, string[]> = {
  E0102: ['垃圾桶旁堆放生活垃圾，已有异味', '路边有一堆装修垃圾无人清理', '小区门口垃圾满溢，散落一地', '绿化带里扔了很多塑料袋和饭盒'],
  E0201: ['电线杆上贴满了开锁、办证小广告', '楼道和单元门上喷涂了小广告', '公交站牌上贴了很多疏通下水道的广告', '墙面上有大片牛皮癣小广告'],
  E0104: ['路面有大片油污和泥浆', '人行道上落叶和垃圾很多，长时间没人清扫'],
  E0502: ['门店把货物摆到人行道上经营', '饭店在门外摆桌，占用人行道'],
  E0504: ['机动车长时间停在人行道上，行人无法通过', '消防通道被私家车堵住'],
  E0505: ['共享单车和电动车乱停，堵住了盲道', '地铁口非机动车堆放杂乱'],
  E0501: ['流动摊贩在路口占道卖水果', '夜间有无证摊点占道经营'],
  E0108: ['夜间有露天烧烤，油烟很大', '小区外烧烤摊烟熏火燎'],
  E0301: ['工地夜间施工噪音很大，影响休息', '凌晨还在打桩'],
  E0302: ['工地裸土未覆盖，扬尘严重'],
  E0404: ['下水道堵塞，污水漫到路面', '雨后下水口返水'],
  C0101: ['上水井盖破损，有人踩空的危险'], C0102: ['污水井盖缺失，非常危险'], C0103: ['雨水井盖松动，车辆经过有响声'],
  C0107: ['一排路灯晚上不亮', '路灯白天一直亮着'],
  C0302: ['垃圾箱破损，垃圾外溢'],
  G0101: ['楼上漏水导致邻里发生争执', '邻居因为占用楼道堆放杂物发生纠纷'],
  G0304: ['有居民在楼道里给电动车充电', '电动车电瓶拉进家里充电'],
  G0201: ['独居老人几天没见出门，请网格员上门看看'],
  G0401: ['咨询养老补贴的申请条件'],
}
const PATROL_PREFIX = ['巡查发现：', '日常巡查中发现', '']
const HOTLINE_PREFIX = ['12345热线转办：市民来电反映', '市民来电反映', '12345工单：']
const SENSOR_PREFIX = ['视频智能识别：', '物联感知告警：', '智能发现：']

export function description(r: Rng, code: string, name: string, source: string): string {
  const said = DESCRIPTIONS[code] ? r.pick(DESCRIPTIONS[code]) : r.pick([`发现${name}问题，请尽快处理`, `${name}，影响周边居民`, `这里有${name}的情况`])
  if (source === 'patrol') return r.pick(PATROL_PREFIX) + said
  if (source === 'hotline') return r.pick(HOTLINE_PREFIX) + said
  if (source === 'sensor') return `${r.pick(SENSOR_PREFIX)}疑似${name}`
  return said
}

export const NOTES = {
  reject: ['不属于城市管理问题，已告知来电人', '信息不全，无法定位', '已由其他渠道处理完毕'],
  void: ['重复上报，已并入在办案件', '同一问题重复上报'],
  escalate: ['本级无法处置，需上级协调', '涉及多个单位，申请上级处理', '需执法力量配合'],
  whistle: ['问题复杂，街道吹哨，请相关部门报到', '涉及多部门职责，召集部门现场会商'],
  reportIn: ['已报到，派员前往现场', '收到，马上安排'],
  reply: ['已派员处置完毕', '已现场核实并处理', '已协调解决，后续持续跟进'],
  handle: ['已清理完毕', '已处置，现场恢复正常', '已联系当事人整改到位', '已安排人员处理完成'],
  checkFail: ['现场核查仍未处理到位', '核查发现问题反弹，需返工', '照片与现场不符，重新处置'],
  extension: ['需要物业配合，申请延期', '需采购配件，申请延期', '涉及多方协调，申请延长办理时限'],
  denyExtension: ['时限内可以完成，不予延期'],
  supervise: ['超期未办，请立即处置', '案件已超时，督办', '领导关注，限期办结'],
  happy: ['处理很及时，点赞', '网格员很负责', '满意', '速度很快，谢谢'],
  unhappy: ['处理不彻底，问题又出现了', '拖了很久才处理', '只是拍照应付，没有真正解决', '态度不好，问题依旧'],
  meToo: ['我也看到了这个问题', '同样的问题，希望尽快处理'],
}
