/** Where a case comes from (DOMAIN.md: patrol, resident photo, supervisor, 12345 hotline, sensors, other platforms). */
export const INCIDENT_SOURCES = [
  { key: 'resident', name: '居民随手拍', nameEn: 'Resident report' },
  { key: 'patrol', name: '网格员巡查', nameEn: 'Grid worker patrol' },
  { key: 'supervisor', name: '群众督导员', nameEn: 'Volunteer supervisor' },
  { key: 'hotline', name: '12345热线', nameEn: '12345 hotline' },
  { key: 'sensor', name: '智能发现', nameEn: 'Sensor' },
  { key: 'open311', name: '开放接口', nameEn: 'Open311' },
] as const

export type IncidentSource = (typeof INCIDENT_SOURCES)[number]['key']
export const INCIDENT_SOURCE_KEYS = INCIDENT_SOURCES.map((s) => s.key) as IncidentSource[]

/** 即办件 (fix now), 承诺件 (committed date), 协调件 (needs several departments). */
export const INCIDENT_KINDS = [
  { key: 'immediate', name: '即办件', nameEn: 'Fix now' },
  { key: 'committed', name: '承诺件', nameEn: 'Committed date' },
  { key: 'coordinated', name: '协调件', nameEn: 'Needs several departments' },
] as const
export type IncidentKind = (typeof INCIDENT_KINDS)[number]['key']
export const INCIDENT_KIND_KEYS = INCIDENT_KINDS.map((k) => k.key) as IncidentKind[]
