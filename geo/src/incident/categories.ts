import { invalid, VALID, type Validation } from '../validate/result.ts'
import { validateTimeLimit, type TimeLimit } from './working-time.ts'

/**
 * The default case taxonomy (案件分类): 事件 (events), 部件 (components) and the grid-governance
 * items (综治与民生) that grid work adds to digital urban management.
 *
 * Codes follow the structure of GB/T 30428.2 (formerly CJ/T 214): a kind letter, a two-digit
 * 大类 and a two-digit 小类 — E0102 is event 01 市容环境 / 02 暴露垃圾. The 大类 of events and
 * components are the standard's; 小类 numbers follow it where we know them (0101 私搭乱建,
 * 0102 暴露垃圾, 0104 道路不洁, 0201 非法小广告 …) and are otherwise our own sequence. G (grid
 * governance: GB/T 31000 "9+X" disputes, special groups, public security, plus service requests)
 * is outside that standard. This is a starting list: a city extends or replaces it as data,
 * never in code.
 *
 * Departments are the demo district's (server/src/seed/names.ts). Where the real owner is not in
 * that list — the gas company, telecom operators, the bus company, the emergency-management or
 * human-resources bureau, the courts — the nearest regulator stands in, with a comment; a city's
 * data names the real owner.
 */

export type CategoryKind = 'event' | 'component' | 'governance'

export const CATEGORY_KINDS = [
  { key: 'event', letter: 'E', name: '事件', nameEn: 'Event' },
  { key: 'component', letter: 'C', name: '部件', nameEn: 'Component' },
  { key: 'governance', letter: 'G', name: '综治与民生', nameEn: 'Grid governance and services' },
] as const satisfies ReadonlyArray<{ key: CategoryKind; letter: string; name: string; nameEn: string }>

/** 4 micro-grid, 3 grid, 2 community, 1 street, 0 district departments ("四级问题联结"). */
export type HandlingLevel = 0 | 1 | 2 | 3 | 4

export interface CategoryDefinition {
  /** Kind letter + 2-digit 大类 + 2-digit 小类, e.g. 'E0102'. */
  code: string
  kind: CategoryKind
  /** Kind letter + 大类, e.g. 'E01'. */
  majorCode: string
  majorName: string
  name: string
  nameEn: string
  /** Level that normally handles it: 4 micro-grid, 3 grid, 2 community, 1 street, 0 district departments. */
  handlingLevel: HandlingLevel
  /** Department codes responsible, first = lead. May be empty for grid-level matters. */
  departments: string[]
  /** dispatch = 立案+派遣 from report, handle = 处置 from dispatch, check = 核查 from handling. */
  limits: { dispatch: TimeLimit; handle: TimeLimit; check: TimeLimit }
  /** Open cases of this category within this radius (metres) are offered as duplicates ("me too"); 0 = never merge. */
  duplicateRadiusM: number
  /** Relative frequency in a realistic report mix (the simulator draws from it); 0 = never drawn. */
  weight: number
  /** For 矛盾纠纷, the class of "三类三级一庭": 1 neighbour/family, 2 complex & petitions, 3 specialised. */
  disputeClass?: 1 | 2 | 3
}

export const CATEGORY_CODE_PATTERN = /^[ECG]\d{4}$/

const uh = (amount: number): TimeLimit => ({ clock: 'urgent_hours', amount })
const wh = (amount: number): TimeLimit => ({ clock: 'working_hours', amount })
const wd = (amount: number): TimeLimit => ({ clock: 'working_days', amount })
const nd = (amount: number): TimeLimit => ({ clock: 'natural_days', amount })

/** 立案+派遣: 10 min for urgent cases, 30 min otherwise, round the clock (the command centre never closes). */
const DISPATCH_URGENT = uh(1 / 6)
const DISPATCH_NORMAL = uh(0.5)
/** Governance items are filed by community staff in office hours, so their dispatch runs on working time. */
const DISPATCH_GOVERNANCE = wh(2)
/** On-site check 1 h in the city (2 h is the rural figure); governance items are checked by a return visit. */
const CHECK_URBAN = uh(1)
const CHECK_GOVERNANCE = wh(2)

/** One 小类 in the table below; everything not given takes the 大类's default. */
interface Row {
  n: string
  name: string
  en: string
  level: HandlingLevel
  dept?: string[]
  handle: TimeLimit
  weight: number
  /** Dispatched within 10 min instead of the kind's default. */
  urgent?: boolean
  dispatch?: TimeLimit
  radiusM?: number
  disputeClass?: 1 | 2 | 3
}

const LETTER: Record<CategoryKind, string> = { event: 'E', component: 'C', governance: 'G' }

function major(kind: CategoryKind, nn: string, majorName: string, rows: Row[], radiusM = 100): CategoryDefinition[] {
  const majorCode = LETTER[kind] + nn
  return rows.map((r) => {
    const dispatch = r.dispatch ?? (r.urgent ? DISPATCH_URGENT : kind === 'governance' ? DISPATCH_GOVERNANCE : DISPATCH_NORMAL)
    const check = kind === 'governance' ? CHECK_GOVERNANCE : CHECK_URBAN
    const c: CategoryDefinition = {
      code: majorCode + r.n,
      kind,
      majorCode,
      majorName,
      name: r.name,
      nameEn: r.en,
      handlingLevel: r.level,
      departments: Object.freeze([...(r.dept ?? [])]) as string[],
      limits: Object.freeze({ dispatch, handle: Object.freeze(r.handle), check }),
      duplicateRadiusM: r.radiusM ?? radiusM,
      weight: r.weight,
    }
    if (r.disputeClass) c.disputeClass = r.disputeClass
    return Object.freeze(c)
  })
}

const EVENTS: CategoryDefinition[] = [
  ...major('event', '01', '市容环境', [
    // Stop in 4 working hours, demolish in 20 working days: we keep the demolition limit.
    { n: '01', name: '私搭乱建', en: 'Illegal construction', level: 1, dept: ['CGJ', 'ZJJ'], handle: wd(20), weight: 2 },
    { n: '02', name: '暴露垃圾', en: 'Exposed rubbish', level: 4, dept: ['CGJ'], handle: wh(4), weight: 20 },
    { n: '03', name: '积存垃圾渣土', en: 'Accumulated rubbish or spoil', level: 1, dept: ['CGJ'], handle: wd(2), weight: 3 },
    { n: '04', name: '道路不洁', en: 'Dirty road', level: 3, dept: ['CGJ'], handle: wh(2), weight: 6 },
    { n: '05', name: '水域不洁', en: 'Dirty water surface', level: 1, dept: ['CGJ'], handle: wd(2), weight: 0.5 },
    { n: '06', name: '绿地脏乱', en: 'Littered green space', level: 3, dept: ['YLJ'], handle: wh(4), weight: 2 },
    { n: '07', name: '废弃车辆', en: 'Abandoned vehicle', level: 1, dept: ['JTDD', 'CGJ'], handle: wd(5), weight: 1 },
    // Barbecues happen in the evening, so the limit runs on natural hours.
    { n: '08', name: '露天烧烤', en: 'Open-air barbecue', level: 3, dept: ['CGJ'], handle: uh(2), weight: 2 },
    { n: '09', name: '焚烧垃圾树叶', en: 'Burning rubbish or leaves', level: 3, dept: ['CGJ', 'HBJ'], handle: uh(1), weight: 0.5, urgent: true },
  ]),
  ...major('event', '02', '宣传广告', [
    { n: '01', name: '非法小广告', en: 'Illegal small advertisement', level: 4, dept: ['CGJ'], handle: wh(4), weight: 25 },
    { n: '02', name: '违章张贴悬挂宣传品', en: 'Unauthorised posters or banners', level: 3, dept: ['CGJ'], handle: wd(1), weight: 3 },
    { n: '03', name: '占道广告牌', en: 'Advertising board on the road', level: 3, dept: ['CGJ'], handle: wd(1), weight: 2 },
    { n: '04', name: '街头散发广告', en: 'Leafleting in the street', level: 3, dept: ['CGJ'], handle: wh(2), weight: 1 },
  ]),
  // Noise and dust spread, so the first two merge duplicates over 200 m.
  ...major('event', '03', '施工管理', [
    // Uncertain owner: construction noise is enforced by 城管 in Zhengzhou's consolidated enforcement, by 生态环境 elsewhere.
    { n: '01', name: '施工扰民', en: 'Construction noise', level: 1, dept: ['CGJ', 'HBJ'], handle: uh(2), weight: 3, radiusM: 200 },
    { n: '02', name: '工地扬尘', en: 'Construction-site dust', level: 1, dept: ['ZJJ', 'HBJ'], handle: wh(4), weight: 2, radiusM: 200 },
    { n: '03', name: '道路遗撒', en: 'Spillage on the road', level: 1, dept: ['CGJ'], handle: wh(2), weight: 2 },
    { n: '04', name: '施工废弃料', en: 'Construction waste', level: 1, dept: ['CGJ', 'ZJJ'], handle: wd(1), weight: 1 },
    { n: '05', name: '违规占道施工', en: 'Roadworks without permit', level: 1, dept: ['CGJ', 'JTDD'], handle: wd(1), weight: 1 },
    { n: '06', name: '无证掘路', en: 'Unlicensed road excavation', level: 0, dept: ['CGJ'], handle: uh(4), weight: 0.5, urgent: true },
  ]),
  // Handle = make safe and restore service; permanent repair is the owner's own work order.
  ...major('event', '04', '突发事件', [
    // Zhengzhou's municipal roads are under 城管局; where 住建 holds roads, swap the lead.
    { n: '01', name: '路面塌陷', en: 'Road collapse', level: 0, dept: ['CGJ', 'ZJJ'], handle: uh(2), weight: 0.3, urgent: true },
    { n: '02', name: '自来水管破裂', en: 'Burst water main', level: 0, dept: ['SWJT'], handle: uh(4), weight: 0.5, urgent: true },
    // The gas company is not a demo department; 住建 regulates gas (in some cities 城管 does).
    { n: '03', name: '燃气管道破裂', en: 'Gas pipe rupture', level: 0, dept: ['ZJJ', 'GAFJ'], handle: uh(1), weight: 0.2, urgent: true },
    // Drainage belongs to the water group in some cities, to 城管's municipal drainage in others.
    { n: '04', name: '下水道堵塞或破损', en: 'Blocked or broken sewer', level: 0, dept: ['SWJT', 'CGJ'], handle: uh(4), weight: 1.5, urgent: true },
    { n: '05', name: '热力管道破裂', en: 'Burst heating pipe', level: 0, dept: ['RLGS'], handle: uh(4), weight: 0.2, urgent: true },
    { n: '06', name: '道路积水', en: 'Flooded road', level: 0, dept: ['CGJ', 'SWJT'], handle: uh(2), weight: 0.5, urgent: true },
    // Main roads cleared within 12 h of the snow stopping (Baotou winters).
    { n: '07', name: '道路积雪结冰', en: 'Snow or ice on the road', level: 1, dept: ['CGJ'], handle: uh(12), weight: 0.5 },
    { n: '08', name: '供电设施故障停电', en: 'Power outage from failed equipment', level: 0, dept: ['GDGS'], handle: uh(5), weight: 0.4, urgent: true },
    // In public space (sparking overhead lines, combustibles piled in the street); inside buildings see G0302 消防隐患.
    { n: '09', name: '火灾隐患', en: 'Fire hazard in public space', level: 1, dept: ['GAFJ'], handle: uh(2), weight: 0.5, urgent: true },
  ]),
  ...major('event', '05', '街面秩序', [
    { n: '01', name: '无照经营游商', en: 'Unlicensed street vending', level: 1, dept: ['CGJ', 'SCJG'], handle: wh(2), weight: 4 },
    { n: '02', name: '店外经营', en: 'Trading outside the shop', level: 3, dept: ['CGJ'], handle: wh(2), weight: 7 },
    { n: '03', name: '占道废品收购', en: 'Scrap collection on the pavement', level: 3, dept: ['CGJ'], handle: wh(4), weight: 1 },
    { n: '04', name: '机动车乱停放', en: 'Illegally parked car', level: 0, dept: ['JTDD'], handle: wh(2), weight: 8 },
    { n: '05', name: '非机动车乱停放', en: 'Badly parked bicycles or e-bikes', level: 4, handle: wh(2), weight: 5 },
    { n: '06', name: '乞讨卖艺', en: 'Begging or busking', level: 1, dept: ['MZJ', 'GAFJ'], handle: wh(2), weight: 0.5 },
  ]),
  ...major('event', '06', '其他事件', [
    { n: '01', name: '其他事件', en: 'Other event', level: 1, handle: wd(3), weight: 1 },
  ]),
]

// A limit on a component is the worst case of its 小类: a missing cover, not a rattling one.
const COMPONENTS: CategoryDefinition[] = [
  ...major('component', '01', '公用设施', [
    { n: '01', name: '上水井盖', en: 'Water-supply manhole cover', level: 0, dept: ['SWJT'], handle: uh(2), weight: 1, urgent: true },
    { n: '02', name: '污水井盖', en: 'Sewer manhole cover', level: 0, dept: ['SWJT', 'CGJ'], handle: uh(2), weight: 1, urgent: true },
    { n: '03', name: '雨水井盖', en: 'Storm-drain manhole cover', level: 0, dept: ['CGJ', 'SWJT'], handle: uh(2), weight: 1, urgent: true },
    { n: '04', name: '电力井盖', en: 'Power manhole cover', level: 0, dept: ['GDGS'], handle: uh(2), weight: 0.5, urgent: true },
    { n: '05', name: '燃气井盖', en: 'Gas manhole cover', level: 0, dept: ['ZJJ'], handle: uh(2), weight: 0.3, urgent: true },
    { n: '06', name: '热力井盖', en: 'Heating manhole cover', level: 0, dept: ['RLGS'], handle: uh(2), weight: 0.3, urgent: true },
    // "Three street lights out in a row: 1 working day."
    { n: '07', name: '路灯', en: 'Street light', level: 0, dept: ['CGJ'], handle: wd(1), weight: 3 },
    // Municipal hydrants are maintained by the water supplier.
    { n: '08', name: '消防栓', en: 'Fire hydrant', level: 0, dept: ['SWJT'], handle: wd(2), weight: 0.5 },
    // Owned by the telecom operators (not demo departments); 城管 relays.
    { n: '09', name: '通信交接箱', en: 'Telecom cabinet', level: 0, dept: ['CGJ'], handle: wd(3), weight: 0.5 },
    { n: '10', name: '变压器箱', en: 'Transformer box', level: 0, dept: ['GDGS'], handle: wd(1), weight: 0.3 },
  ], 50),
  ...major('component', '02', '道路交通', [
    // The bus company is not a demo department; 城管 relays.
    { n: '01', name: '公交站亭', en: 'Bus shelter', level: 0, dept: ['CGJ'], handle: wd(2), weight: 0.5 },
    { n: '02', name: '交通信号灯', en: 'Traffic signal', level: 0, dept: ['JTDD'], handle: uh(2), weight: 0.5, urgent: true },
    { n: '03', name: '交通标志牌', en: 'Traffic sign', level: 0, dept: ['JTDD'], handle: wd(2), weight: 0.5 },
    { n: '04', name: '护栏', en: 'Guardrail', level: 0, dept: ['CGJ', 'JTDD'], handle: wd(2), weight: 1, radiusM: 100 },
    // Place names are 民政's (地名管理).
    { n: '05', name: '路名牌', en: 'Street-name sign', level: 0, dept: ['MZJ'], handle: wd(5), weight: 0.3 },
    { n: '06', name: '停车设施', en: 'Parking facility', level: 0, dept: ['JTDD', 'CGJ'], handle: wd(3), weight: 0.5, radiusM: 100 },
  ], 50),
  ...major('component', '03', '市容环境', [
    { n: '01', name: '公共厕所', en: 'Public toilet', level: 0, dept: ['CGJ'], handle: wd(1), weight: 1 },
    { n: '02', name: '垃圾箱', en: 'Waste container', level: 1, dept: ['CGJ'], handle: wh(4), weight: 2 },
    { n: '03', name: '果皮箱', en: 'Litter bin', level: 1, dept: ['CGJ'], handle: wd(1), weight: 1.5 },
    { n: '04', name: '垃圾间', en: 'Refuse room', level: 1, dept: ['CGJ'], handle: wd(1), weight: 0.5 },
    { n: '05', name: '广告牌匾', en: 'Shop sign or billboard', level: 1, dept: ['CGJ'], handle: wd(3), weight: 1 },
  ], 50),
  ...major('component', '04', '园林绿化', [
    { n: '01', name: '古树名木', en: 'Heritage tree', level: 0, dept: ['YLJ'], handle: wd(1), weight: 0.2 },
    { n: '02', name: '行道树', en: 'Street tree', level: 0, dept: ['YLJ'], handle: wd(2), weight: 1.5 },
    { n: '03', name: '绿地', en: 'Green space (damaged planting)', level: 0, dept: ['YLJ'], handle: wd(5), weight: 1, radiusM: 100 },
    { n: '04', name: '花坛', en: 'Flower bed', level: 0, dept: ['YLJ'], handle: wd(5), weight: 0.5 },
  ], 50),
  ...major('component', '05', '房屋土地', [
    { n: '01', name: '危旧房屋', en: 'Dilapidated building', level: 0, dept: ['ZJJ'], handle: wd(1), weight: 0.3 },
    { n: '02', name: '建筑外立面', en: 'Building facade (falling parts)', level: 0, dept: ['ZJJ'], handle: wd(1), weight: 0.3 },
  ], 50),
  ...major('component', '06', '其他设施', [
    // Community fitness equipment is kept by the street office.
    { n: '01', name: '健身器材', en: 'Outdoor fitness equipment', level: 1, handle: wd(5), weight: 0.5 },
  ], 50),
]

// Disputes, visits and requests are about people, not places: never merged (radius 0).
// Outages and heating are the exception: one failure, many callers.
const GOVERNANCE: CategoryDefinition[] = [
  ...major('governance', '01', '矛盾纠纷', [
    { n: '01', name: '邻里家庭纠纷', en: 'Neighbour or family dispute', level: 2, handle: wd(3), weight: 2, disputeClass: 1 },
    // Police, judge, prosecutor and lawyer with the grid leaders; courts and procuratorate are not demo departments.
    { n: '02', name: '复杂纠纷与信访', en: 'Complex dispute or petition', level: 1, dept: ['GAFJ', 'SFJ'], handle: wd(15), weight: 0.5, disputeClass: 2 },
    // Professional mediation committees work under 司法局; labour and health bureaus are not demo departments.
    { n: '03', name: '专业性纠纷（欠薪、医疗、物业）', en: 'Specialised dispute (wages, medical, property management)', level: 0, dept: ['SFJ'], handle: wd(10), weight: 0.8, disputeClass: 3 },
  ], 0),
  ...major('governance', '02', '特殊人群走访', [
    { n: '01', name: '独居老人', en: 'Elderly living alone', level: 3, dept: ['MZJ'], handle: nd(7), weight: 2 },
    { n: '02', name: '困难家庭', en: 'Household in hardship', level: 3, dept: ['MZJ'], handle: nd(7), weight: 1 },
    { n: '03', name: '社区矫正人员', en: 'Person under community correction', level: 3, dept: ['SFJ'], handle: nd(7), weight: 0.5 },
    { n: '04', name: '留守儿童', en: 'Left-behind child', level: 3, dept: ['MZJ'], handle: nd(7), weight: 0.5 },
    { n: '05', name: '残疾人', en: 'Person with disability', level: 3, dept: ['MZJ'], handle: nd(7), weight: 0.5 },
  ], 0),
  // Hazards are about places, so unlike the rest of G they merge.
  ...major('governance', '03', '治安隐患', [
    { n: '01', name: '治安隐患', en: 'Public-security hazard', level: 1, dept: ['GAFJ'], handle: wd(1), weight: 0.8, dispatch: DISPATCH_NORMAL, radiusM: 100 },
    // Inside residential buildings (blocked stairwells and fire lanes); police stations inspect small premises.
    { n: '02', name: '消防隐患', en: 'Fire hazard in a building', level: 3, dept: ['GAFJ'], handle: wh(4), weight: 1, dispatch: DISPATCH_NORMAL },
    // The emergency-management bureau is not a demo department; the street's safety office handles it.
    { n: '03', name: '安全生产隐患', en: 'Workplace safety hazard', level: 1, handle: wd(1), weight: 0.5, dispatch: DISPATCH_NORMAL },
    { n: '04', name: '电动车违规充电', en: 'Unsafe e-bike charging', level: 3, handle: wh(4), weight: 1.5 },
  ], 50),
  ...major('governance', '04', '民生服务', [
    { n: '01', name: '政策咨询', en: 'Policy enquiry', level: 2, handle: wd(1), weight: 1.5 },
    { n: '02', name: '证照代办', en: 'Paperwork done on behalf', level: 2, handle: wd(5), weight: 0.8 },
    { n: '03', name: '求助服务', en: 'Request for help', level: 3, handle: wd(1), weight: 1 },
    // A cold flat in winter: 24 h round the clock, not working time; reports come day and night, so dispatch does too.
    { n: '04', name: '供暖问题', en: 'Heating problem', level: 0, dept: ['RLGS'], handle: uh(24), weight: 1, dispatch: DISPATCH_NORMAL, radiusM: 100 },
    // Whichever utility is out; the dispatcher picks, power first.
    { n: '05', name: '停水停电报修', en: 'Water or power cut at home', level: 0, dept: ['GDGS', 'SWJT'], handle: uh(5), weight: 1, dispatch: DISPATCH_NORMAL, radiusM: 100 },
  ], 0),
]

export const DEFAULT_CATEGORIES: readonly CategoryDefinition[] = Object.freeze([...EVENTS, ...COMPONENTS, ...GOVERNANCE])

const BY_CODE = new Map(DEFAULT_CATEGORIES.map((c) => [c.code, c]))

/** The default category with this code, e.g. 'E0102' → 暴露垃圾. */
export function categoryByCode(code: string): CategoryDefinition | undefined {
  return BY_CODE.get(code)
}

const DEPARTMENT_CODE = /^[A-Z][A-Z0-9_]{1,15}$/

/**
 * Checks one category's shape: code consistent with kind and 大类, names present, a known
 * level, well-formed distinct department codes (at least one when districts handle it),
 * valid limits, and non-negative radius and weight. Whether a department exists is the caller's
 * check: this package does not know a city's departments.
 */
export function validateCategory(c: CategoryDefinition): Validation {
  if (typeof c !== 'object' || c === null) return invalid('a category must be an object')
  if (typeof c.code !== 'string' || !CATEGORY_CODE_PATTERN.test(c.code)) return invalid(`code ${JSON.stringify(c.code)} is not a letter E, C or G and four digits`)
  const kind = CATEGORY_KINDS.find((k) => k.key === c.kind)
  if (!kind) return invalid(`unknown kind ${JSON.stringify(c.kind)}`)
  if (c.code[0] !== kind.letter) return invalid(`code ${c.code} does not start with ${kind.letter} for kind ${c.kind}`)
  if (c.majorCode !== c.code.slice(0, 3)) return invalid(`majorCode ${JSON.stringify(c.majorCode)} is not the first three characters of ${c.code}`)
  for (const field of ['majorName', 'name', 'nameEn'] as const) {
    if (typeof c[field] !== 'string' || c[field].trim() === '') return invalid(`${field} is empty`)
  }
  if (![0, 1, 2, 3, 4].includes(c.handlingLevel)) return invalid(`handlingLevel ${String(c.handlingLevel)} is not 0–4`)
  if (!Array.isArray(c.departments)) return invalid('departments must be an array')
  const bad = c.departments.find((d) => typeof d !== 'string' || !DEPARTMENT_CODE.test(d))
  if (bad !== undefined) return invalid(`department code ${JSON.stringify(bad)} is malformed`)
  if (new Set(c.departments).size !== c.departments.length) return invalid('departments repeat')
  if (c.handlingLevel === 0 && c.departments.length === 0) return invalid('handled by district departments (level 0) but names none')
  if (typeof c.limits !== 'object' || c.limits === null) return invalid('limits missing')
  for (const stage of ['dispatch', 'handle', 'check'] as const) {
    const v = validateTimeLimit(c.limits[stage])
    if (!v.valid) return invalid(`${stage} limit: ${v.reason}`)
  }
  if (typeof c.duplicateRadiusM !== 'number' || !Number.isFinite(c.duplicateRadiusM) || c.duplicateRadiusM < 0) return invalid('duplicateRadiusM must be a finite number ≥ 0')
  if (typeof c.weight !== 'number' || !Number.isFinite(c.weight) || c.weight < 0) return invalid('weight must be a finite number ≥ 0')
  if (c.disputeClass !== undefined) {
    if (![1, 2, 3].includes(c.disputeClass)) return invalid(`disputeClass ${String(c.disputeClass)} is not 1, 2 or 3`)
    if (c.kind !== 'governance') return invalid('only governance categories carry a disputeClass')
  }
  return VALID
}
