import { Compile } from 'typebox/compile'
import { type ErrorCode, type ImportRow, ImportRowSchema, type ReportBody } from '@gezhi/geo'
import { parseReportedAt } from './import.time.ts'

const rowValidator = Compile(ImportRowSchema)

/** A row that can go through the single-report path, or why not. */
export type CheckedRow =
  | { ok: true; hotlineId: string; reportedAt: Date; body: ReportBody }
  | { ok: false; error: { code: ErrorCode; message: string } }

interface SchemaError { keyword: string; instancePath: string; params: Record<string, unknown>; message: string }

/** The field a schema error is about, and the code that tells what kind of mistake it is. */
function describe(errors: SchemaError[]): { code: ErrorCode; message: string } {
  const missing = errors.find((e) => e.keyword === 'required')
  if (missing) return { code: 'VALIDATION_FAILED', message: `missing ${(missing.params.requiredProperties as string[]).join(', ')}` }
  const extra = errors.find((e) => e.keyword === 'additionalProperties')
  if (extra) return { code: 'VALIDATION_FAILED', message: `unknown field ${(extra.params.additionalProperties as string[]).join(', ')}` }
  const first = errors[0]!
  const field = first.instancePath.replace(/^\//, '')
  const code: ErrorCode = field === 'lng' || field === 'lat' ? 'COORDINATE_INVALID' : field === 'crs' ? 'CRS_UNKNOWN' : 'VALIDATION_FAILED'
  const message = errors.filter((e) => e.keyword !== 'boolean').map((e) => `${e.instancePath.replace(/^\//, '')} ${e.message}`).join('; ')
  return { code, message }
}

/**
 * Checks one row against the shared row schema (the report's own field rules) and reads its time;
 * the category, the territory and the hotline id's novelty are checked by the report itself.
 */
export function checkRow(fields: Record<string, unknown>, now: Date): CheckedRow {
  if (!rowValidator.Check(fields)) return { ok: false, error: describe(rowValidator.Errors(fields) as SchemaError[]) }
  const row: ImportRow = fields
  const time = parseReportedAt(row.reportedAt, now)
  if (!time.valid) return { ok: false, error: { code: 'DATE_INVALID', message: time.reason } }
  const reporter = row.callerName || row.callerPhone ? { name: row.callerName, phone: row.callerPhone } : undefined
  const body: ReportBody = {
    source: 'hotline',
    category: row.category,
    description: row.description,
    location: { lng: row.lng, lat: row.lat, crs: row.crs ?? 'wgs84' },
    ...(row.address ? { address: row.address } : {}),
    ...(reporter ? { reporter: Object.fromEntries(Object.entries(reporter).filter(([, v]) => v !== undefined)) } : {}),
  }
  return { ok: true, hotlineId: row.hotlineId, reportedAt: time.at, body }
}
