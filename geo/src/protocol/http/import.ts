import Type from 'typebox'
import { ReportBodySchema } from './incidents.ts'

/** Most rows one hotline batch may carry; split larger exports. */
export const IMPORT_MAX_ROWS = 10_000

const report = ReportBodySchema.properties
const location = report.location.properties
const reporter = report.reporter.properties

/**
 * One case of a 12345 hotline export, flat as the export is. Its fields reuse the report's own
 * schemas, so a row is valid exactly when the report it becomes is. `lng`/`lat` are degrees in
 * `crs`; hotline platforms built on AMap (Zhengzhou's is) export GCJ-02, so such files need
 * `crs` = gcj02 on every row — a row without it is taken as WGS-84 and lands 300–600 m away.
 */
export const ImportRowSchema = Type.Object(
  {
    hotlineId: Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S(.*\\S)?$', description: "The hotline's own case id (工单编号); re-importing it creates nothing new" }),
    reportedAt: Type.String({ minLength: 1, description: 'When the hotline took the call: ISO 8601 with an offset, or YYYY-MM-DD HH:mm[:ss] in Beijing time' }),
    category: report.category,
    description: report.description,
    lng: location.lng,
    lat: location.lat,
    crs: Type.Optional(location.crs),
    address: report.address,
    callerName: reporter.name,
    callerPhone: reporter.phone,
  },
  { additionalProperties: false },
)
export type ImportRow = Type.Static<typeof ImportRowSchema>

/** English column names and the Chinese headers a hotline export carries for them. */
export const IMPORT_HEADERS: Record<keyof ImportRow, string> = {
  hotlineId: '工单编号',
  reportedAt: '受理时间',
  category: '分类编码',
  description: '诉求内容',
  lng: '经度',
  lat: '纬度',
  crs: '坐标系',
  address: '地址',
  callerName: '来电人',
  callerPhone: '联系电话',
}

/** JSON form of a batch; rows are checked one by one, so a bad row never refuses the others. */
export const ImportJsonBodySchema = Type.Object(
  { rows: Type.Array(Type.Unknown(), { description: `Objects shaped like ImportRow, at most ${IMPORT_MAX_ROWS}` }) },
  { additionalProperties: false },
)

export const IMPORT_ROW_STATUSES = ['imported', 'existing', 'rejected'] as const
export type ImportRowStatus = (typeof IMPORT_ROW_STATUSES)[number]

export const ImportRowResultSchema = Type.Object({
  line: Type.Integer({ description: 'CSV: the physical line where the row starts (header = 1); JSON: index + 1' }),
  hotlineId: Type.Union([Type.String(), Type.Null()]),
  status: Type.Enum([...IMPORT_ROW_STATUSES]),
  caseNumber: Type.Optional(Type.String()),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
})
export type ImportRowResult = Type.Static<typeof ImportRowResultSchema>

export const ImportAnswerSchema = Type.Object({
  imported: Type.Integer(),
  existing: Type.Integer({ description: 'Rows whose hotlineId was imported before: nothing new was created' }),
  rejected: Type.Integer(),
  results: Type.Array(ImportRowResultSchema, { description: 'One per row, in line order' }),
})
export type ImportAnswer = Type.Static<typeof ImportAnswerSchema>
