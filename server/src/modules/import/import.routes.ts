import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import Type from 'typebox'
import { ApiErrorSchema, GezhiError, IMPORT_MAX_ROWS, ImportAnswerSchema, ImportJsonBodySchema } from '@gezhi/geo'
import { userOf } from '../../plugins/auth.ts'
import { jsonRows, parseCsv } from './import.parse.ts'
import { importService } from './import.service.ts'

/** Largest batch body, for this route only: 10,000 rows of a hotline export with room to spare. */
export const IMPORT_BODY_LIMIT_BYTES = 8 * 1024 * 1024

/** Excel saves Chinese CSV as GBK unless told otherwise; GB18030 decodes GBK and GB2312 too. */
const GBK_CHARSETS = new Set(['gbk', 'gb2312', 'gb18030', 'cp936'])

/** The CSV body as text: UTF-8 unless the content-type names a GBK charset; a wrong guess is refused, not garbled. */
function decodeCsv(contentType: string | undefined, bytes: Buffer): string {
  const charset = /charset="?([\w-]+)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase() ?? 'utf-8'
  if (GBK_CHARSETS.has(charset)) return new TextDecoder('gb18030').decode(bytes)
  if (charset !== 'utf-8' && charset !== 'utf8') throw new GezhiError('UNSUPPORTED_MEDIA_TYPE', `charset ${charset} is not supported; send UTF-8 or GBK (text/csv; charset=gbk)`)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new GezhiError('BODY_MALFORMED', 'the CSV is not valid UTF-8; if Excel saved it (GBK), send content-type: text/csv; charset=gbk')
  }
}

async function requireCommander(request: FastifyRequest) {
  const actor = userOf(request)
  if (actor.role !== 'commander' && actor.role !== 'admin') throw new GezhiError('FORBIDDEN', 'only the command centre (commander) or an admin may import hotline cases')
}

/** Fastify would read text/plain too; a batch is CSV or JSON, said so before its body is read. */
async function requireBatchType(request: FastifyRequest) {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'text/csv' && type !== 'application/json') throw new GezhiError('UNSUPPORTED_MEDIA_TYPE', `content-type ${type || '(none)'} is not a batch; send text/csv or application/json { rows: [...] }`)
}

const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 413: ApiErrorSchema, 415: ApiErrorSchema }

/** 12345 hotline batches: many cases in one request, each through the single-report path. */
const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const importer = importService({ db: app.db, incidents: app.incidents })
  // Encapsulated: only the routes of this plugin accept text/csv.
  app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      done(null, decodeCsv(request.headers['content-type'], body as Buffer))
    } catch (error) {
      done(error as Error, undefined)
    }
  })

  app.post('/incidents/import', {
    bodyLimit: IMPORT_BODY_LIMIT_BYTES,
    onRequest: [app.requireUser, requireCommander, requireBatchType],
    schema: {
      tags: ['incidents'],
      summary: `Import a 12345 hotline batch (CSV or JSON, at most ${IMPORT_MAX_ROWS} rows)`,
      description: [
        'CSV (text/csv, UTF-8 or charset=gbk) with a header line, or JSON { rows: [...] }. Columns: hotlineId, reportedAt, category, description, lng, lat, crs, address, callerName, callerPhone',
        '— or the Chinese headers 工单编号, 受理时间, 分类编码, 诉求内容, 经度, 纬度, 坐标系, 地址, 来电人, 联系电话. reportedAt without an offset is Beijing time.',
        'crs defaults to wgs84, but AMap-based hotline platforms (Zhengzhou 12345) export GCJ-02: set crs = gcj02 for them.',
        'Each good row becomes a case as a single report would (source hotline); a hotlineId imported before answers `existing`; bad rows are listed by line with the reason and never stop the others.',
      ].join(' '),
      security: [{ bearer: [] }],
      body: { content: { 'application/json': { schema: ImportJsonBodySchema }, 'text/csv': { schema: Type.String() } } },
      response: { 200: ImportAnswerSchema, ...errors },
    },
  }, async (request) => {
    const body = request.body as string | { rows: unknown[] }
    const rows = typeof body === 'string' ? parseCsv(body) : jsonRows(body.rows)
    if (rows.length === 0) throw new GezhiError('VALIDATION_FAILED', 'the batch has no rows')
    const started = Date.now()
    const answer = await importer.importRows(userOf(request), rows, request.log)
    request.log.info({ rows: rows.length, imported: answer.imported, existing: answer.existing, rejected: answer.rejected, ms: Date.now() - started }, 'hotline import')
    return answer
  })
}

export default importRoutes
