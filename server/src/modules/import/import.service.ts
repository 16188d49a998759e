import type { FastifyBaseLogger } from 'fastify'
import { type ErrorCode, GezhiError, type ImportAnswer, type ImportRowResult, type ReportBody } from '@gezhi/geo'
import type { Db } from '../../db/db.ts'
import type { UserActor } from '../../plugins/auth.ts'
import type { IncidentService } from '../incidents/incidents.service.ts'
import type { RawRow } from './import.parse.ts'
import { importRepository } from './import.repository.ts'
import { checkRow } from './import.rows.ts'

export interface ImportServiceOptions {
  db: Db
  incidents: IncidentService
  now?: () => Date
}

/** The external id a hotline case is kept under: the hotline's own id, in a namespace of its own. */
export const hotlineExternalId = (hotlineId: string) => `hotline:${hotlineId}`

interface Accepted { line: number; hotlineId: string; reportedAt: Date; body: ReportBody }

/**
 * Imports hotline batches through the single-report path, so routing, due times, events and
 * repeat flags are those of a case reported live. Each row is its own transaction: a failure in
 * row 500 keeps rows 1–499. Rows go in order of their report time, so a case counts the earlier
 * cases near it for the repeat flag (复诊) exactly as it would have when it was reported.
 */
export function importService({ db, incidents, now = () => new Date() }: ImportServiceOptions) {
  const repository = importRepository(db)

  /** One row through `report`; any refusal becomes the row's error, never the batch's. */
  async function importOne(actor: UserActor, row: Accepted, log: FastifyBaseLogger): Promise<Omit<ImportRowResult, 'line' | 'hotlineId'>> {
    const externalId = hotlineExternalId(row.hotlineId)
    try {
      const answer = await incidents.report(actor, row.body, [], { reportedAt: row.reportedAt, externalId })
      return { status: answer.created ? 'imported' : 'existing', caseNumber: answer.incident.number }
    } catch (error) {
      if (error instanceof GezhiError) return { status: 'rejected', error: { code: error.code, message: error.message } }
      // Another import of the same case committed between our look-up and our insert.
      const number = (error as { code?: string }).code === '23505' ? (await repository.existing([externalId])).get(externalId) : undefined
      if (number) return { status: 'existing', caseNumber: number }
      log.error({ err: error, line: row.line, hotlineId: row.hotlineId }, 'hotline import: row failed')
      return { status: 'rejected', error: { code: 'INTERNAL_ERROR', message: 'internal error while importing this row; the server log has the details' } }
    }
  }

  return {
    /** Checks every row, then imports the good ones one by one; the answer lists every row in line order. */
    async importRows(actor: UserActor, rows: RawRow[], log: FastifyBaseLogger): Promise<ImportAnswer> {
      const at = now()
      const results: ImportRowResult[] = []
      const reject = (row: RawRow, code: ErrorCode, message: string) => results.push({ line: row.line, hotlineId: row.hotlineId, status: 'rejected', error: { code, message } })
      const firstLine = new Map<string, number>()
      const accepted: Accepted[] = []
      for (const row of rows) {
        if (row.hotlineId !== null) {
          const first = firstLine.get(row.hotlineId)
          if (first !== undefined) {
            reject(row, 'IMPORT_DUPLICATE_ID', `hotlineId ${row.hotlineId} already appears on line ${first} of this batch; only that row is imported`)
            continue
          }
          firstLine.set(row.hotlineId, row.line)
        }
        if (row.error) {
          reject(row, row.error.code, row.error.message)
          continue
        }
        const checked = checkRow(row.fields!, at)
        if (!checked.ok) reject(row, checked.error.code, checked.error.message)
        else accepted.push({ line: row.line, hotlineId: checked.hotlineId, reportedAt: checked.reportedAt, body: checked.body })
      }

      accepted.sort((a, b) => a.reportedAt.getTime() - b.reportedAt.getTime() || a.line - b.line)
      const known = await repository.existing(accepted.map((a) => hotlineExternalId(a.hotlineId)))
      for (const row of accepted) {
        const number = known.get(hotlineExternalId(row.hotlineId))
        const outcome = number ? { status: 'existing' as const, caseNumber: number } : await importOne(actor, row, log)
        results.push({ line: row.line, hotlineId: row.hotlineId, ...outcome })
      }

      results.sort((a, b) => a.line - b.line)
      const count = (status: ImportRowResult['status']) => results.filter((r) => r.status === status).length
      return { imported: count('imported'), existing: count('existing'), rejected: count('rejected'), results }
    },
  }
}

export type ImportService = ReturnType<typeof importService>
