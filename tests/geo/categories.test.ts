import { describe, expect, it } from 'vitest'
import {
  CATEGORY_CODE_PATTERN,
  CATEGORY_KINDS,
  CLOCKS,
  DEFAULT_CATEGORIES,
  categoryByCode,
  validateCategory,
  type CategoryDefinition,
} from '@gezhi/geo'
// The test may cross into the server's seed; geo itself must not know a city's departments.
import { DEPARTMENTS } from '../../server/src/seed/names.ts'

const byName = (name: string) => DEFAULT_CATEGORIES.find((c) => c.name === name)!
const sample = (): CategoryDefinition => structuredClone(categoryByCode('E0102')!)

describe('default case taxonomy', () => {
  it('has unique, well-formed codes consistent with kind and 大类', () => {
    const codes = DEFAULT_CATEGORIES.map((c) => c.code)
    expect(new Set(codes).size).toBe(codes.length)
    for (const c of DEFAULT_CATEGORIES) {
      expect(c.code).toMatch(CATEGORY_CODE_PATTERN)
      expect(c.code[0]).toBe(CATEGORY_KINDS.find((k) => k.key === c.kind)!.letter)
      expect(c.majorCode).toBe(c.code.slice(0, 3))
    }
  })

  it('gives one name per 大类', () => {
    const names = new Map<string, Set<string>>()
    for (const c of DEFAULT_CATEGORIES) names.set(c.majorCode, (names.get(c.majorCode) ?? new Set()).add(c.majorName))
    for (const [major, set] of names) expect([major, set.size]).toEqual([major, 1])
  })

  it('holds 60–80 小类 across the three taxonomies', () => {
    expect(DEFAULT_CATEGORIES.length).toBeGreaterThanOrEqual(60)
    expect(DEFAULT_CATEGORIES.length).toBeLessThanOrEqual(80)
    for (const kind of ['event', 'component', 'governance'] as const) {
      expect(DEFAULT_CATEGORIES.filter((c) => c.kind === kind).length).toBeGreaterThan(10)
    }
    const majors = new Set(DEFAULT_CATEGORIES.map((c) => c.majorCode))
    for (const m of ['E01', 'E02', 'E03', 'E04', 'E05', 'E06', 'C01', 'C02', 'C03', 'C04', 'C05', 'C06', 'G01', 'G02', 'G03', 'G04']) {
      expect(majors).toContain(m)
    }
  })

  it('keeps the codes the standard and DOMAIN.md name', () => {
    expect(categoryByCode('E0101')?.name).toBe('私搭乱建')
    expect(categoryByCode('E0102')?.name).toBe('暴露垃圾')
    expect(categoryByCode('E0104')?.name).toBe('道路不洁')
    expect(categoryByCode('E0201')?.name).toBe('非法小广告')
    expect(categoryByCode('E9999')).toBeUndefined()
    expect(categoryByCode('')).toBeUndefined()
  })

  it('has every category valid', () => {
    for (const c of DEFAULT_CATEGORIES) expect([c.code, validateCategory(c)]).toEqual([c.code, { valid: true }])
  })

  it('names only known departments, and at least one when districts handle it', () => {
    const known = new Set(DEPARTMENTS.map((d) => d.code))
    for (const c of DEFAULT_CATEGORIES) {
      for (const d of c.departments) expect([c.code, known.has(d)]).toEqual([c.code, true])
      if (c.handlingLevel === 0) expect([c.code, c.departments.length > 0]).toEqual([c.code, true])
    }
  })

  it('runs every stage on a known clock with a positive amount', () => {
    for (const c of DEFAULT_CATEGORIES) {
      for (const limit of [c.limits.dispatch, c.limits.handle, c.limits.check]) {
        expect(CLOCKS).toContain(limit.clock)
        expect(limit.amount).toBeGreaterThan(0)
      }
    }
  })

  it('uses the published limits', () => {
    expect(byName('暴露垃圾').limits.handle).toEqual({ clock: 'working_hours', amount: 4 })
    expect(byName('路灯').limits.handle).toEqual({ clock: 'working_days', amount: 1 })
    expect(byName('私搭乱建').limits.handle).toEqual({ clock: 'working_days', amount: 20 })
    expect(byName('上水井盖').limits.handle).toEqual({ clock: 'urgent_hours', amount: 2 })
    expect(byName('上水井盖').limits.dispatch).toEqual({ clock: 'urgent_hours', amount: 1 / 6 })
    expect(byName('暴露垃圾').limits.dispatch).toEqual({ clock: 'urgent_hours', amount: 0.5 })
    expect(byName('供电设施故障停电').limits.handle).toEqual({ clock: 'urgent_hours', amount: 5 })
    expect(byName('独居老人').limits.handle).toEqual({ clock: 'natural_days', amount: 7 })
    expect(byName('政策咨询').limits.handle).toEqual({ clock: 'working_days', amount: 1 })
    expect(byName('暴露垃圾').limits.check).toEqual({ clock: 'urgent_hours', amount: 1 })
    expect(byName('政策咨询').limits.check).toEqual({ clock: 'working_hours', amount: 2 })
  })

  it('makes 非法小广告 and 暴露垃圾 the two most frequent', () => {
    const top = [...DEFAULT_CATEGORIES].sort((a, b) => b.weight - a.weight).slice(0, 3)
    expect(top.slice(0, 2).map((c) => c.name).sort()).toEqual(['暴露垃圾', '非法小广告'].sort())
    expect(top[2]!.weight).toBeLessThan(top[1]!.weight)
    for (const c of DEFAULT_CATEGORIES) expect(c.weight).toBeGreaterThan(0)
  })

  it('covers each class of "三类三级一庭" with its limit, and never merges disputes', () => {
    const disputes = DEFAULT_CATEGORIES.filter((c) => c.disputeClass !== undefined)
    const limitDays = { 1: 3, 2: 15, 3: 10 } as const
    for (const cls of [1, 2, 3] as const) {
      const ofClass = disputes.filter((c) => c.disputeClass === cls)
      expect(ofClass.length).toBeGreaterThanOrEqual(1)
      for (const c of ofClass) expect(c.limits.handle).toEqual({ clock: 'working_days', amount: limitDays[cls] })
    }
    for (const c of disputes) {
      expect(c.kind).toBe('governance')
      expect(c.duplicateRadiusM).toBe(0)
    }
    expect(byName('邻里家庭纠纷').handlingLevel).toBe(2)
    expect(byName('复杂纠纷与信访').handlingLevel).toBe(1)
  })

  it('merges point components closely, noise and dust widely, visits and enquiries never', () => {
    expect(byName('路灯').duplicateRadiusM).toBe(50)
    expect(byName('雨水井盖').duplicateRadiusM).toBe(50)
    expect(byName('施工扰民').duplicateRadiusM).toBe(200)
    expect(byName('工地扬尘').duplicateRadiusM).toBe(200)
    expect(byName('暴露垃圾').duplicateRadiusM).toBe(100)
    for (const c of DEFAULT_CATEGORIES.filter((c) => c.majorCode === 'G02')) expect(c.duplicateRadiusM).toBe(0)
    expect(byName('政策咨询').duplicateRadiusM).toBe(0)
  })

  it('is frozen shared data', () => {
    expect(Object.isFrozen(DEFAULT_CATEGORIES)).toBe(true)
    const c = categoryByCode('E0102')!
    expect(Object.isFrozen(c)).toBe(true)
    expect(Object.isFrozen(c.departments)).toBe(true)
    expect(Object.isFrozen(c.limits.handle)).toBe(true)
  })
})

describe('validateCategory', () => {
  const reasonOf = (c: CategoryDefinition) => {
    const v = validateCategory(c)
    return v.valid ? null : v.reason
  }

  it('accepts a city extension', () => {
    const own: CategoryDefinition = { ...sample(), code: 'E0199', name: '共享单车堆积', nameEn: 'Piled-up shared bikes' }
    expect(validateCategory(own)).toEqual({ valid: true })
  })

  it('refuses malformed codes and codes that disagree with kind or 大类', () => {
    expect(reasonOf({ ...sample(), code: 'X0102' })).toMatch(/code/)
    expect(reasonOf({ ...sample(), code: 'E102' })).toMatch(/code/)
    expect(reasonOf({ ...sample(), code: 'E01021' })).toMatch(/code/)
    expect(reasonOf({ ...sample(), code: 'C0102', majorCode: 'C01' })).toMatch(/kind/)
    expect(reasonOf({ ...sample(), majorCode: 'E02' })).toMatch(/majorCode/)
    expect(reasonOf({ ...sample(), kind: 'other' as never })).toMatch(/kind/)
  })

  it('refuses empty names and unknown levels', () => {
    expect(reasonOf({ ...sample(), name: '  ' })).toMatch(/name/)
    expect(reasonOf({ ...sample(), majorName: '' })).toMatch(/majorName/)
    expect(reasonOf({ ...sample(), handlingLevel: 5 as never })).toMatch(/handlingLevel/)
    expect(reasonOf({ ...sample(), handlingLevel: 1.5 as never })).toMatch(/handlingLevel/)
  })

  it('refuses malformed or repeated departments, and none at district level', () => {
    expect(reasonOf({ ...sample(), departments: ['cgj'] })).toMatch(/department/)
    expect(reasonOf({ ...sample(), departments: ['CGJ', 'CGJ'] })).toMatch(/repeat/)
    expect(reasonOf({ ...sample(), handlingLevel: 0, departments: [] })).toMatch(/level 0/)
    expect(reasonOf({ ...sample(), handlingLevel: 4, departments: [] })).toBeNull()
  })

  it('refuses bad limits, naming the stage', () => {
    const limits = sample().limits
    expect(reasonOf({ ...sample(), limits: { ...limits, handle: { clock: 'hours' as never, amount: 4 } } })).toMatch(/handle.*clock/)
    expect(reasonOf({ ...sample(), limits: { ...limits, dispatch: { clock: 'urgent_hours', amount: 0 } } })).toMatch(/dispatch/)
    expect(reasonOf({ ...sample(), limits: { ...limits, check: { clock: 'working_days', amount: Number.NaN } } })).toMatch(/check/)
  })

  it('refuses negative or non-finite radius and weight', () => {
    expect(reasonOf({ ...sample(), duplicateRadiusM: -1 })).toMatch(/duplicateRadiusM/)
    expect(reasonOf({ ...sample(), duplicateRadiusM: Number.POSITIVE_INFINITY })).toMatch(/duplicateRadiusM/)
    expect(reasonOf({ ...sample(), weight: -0.1 })).toMatch(/weight/)
    expect(reasonOf({ ...sample(), weight: 0 })).toBeNull()
  })

  it('allows a dispute class only on governance categories, and only 1–3', () => {
    const dispute = structuredClone(categoryByCode('G0101')!)
    expect(reasonOf({ ...dispute, disputeClass: 4 as never })).toMatch(/disputeClass/)
    expect(reasonOf({ ...sample(), disputeClass: 1 })).toMatch(/governance/)
  })
})
