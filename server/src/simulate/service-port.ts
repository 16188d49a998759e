import { createHash } from 'node:crypto'
import { GezhiError } from '@gezhi/geo'
import type { Actor, UserActor } from '../plugins/auth.ts'
import type { IncidentService } from '../modules/incidents/incidents.service.ts'
import type { IncomingPhoto } from '../modules/incidents/photos.ts'
import type { Clock } from './clock.ts'
import { type Photo, type Port, SimError, type SimStats, type Who } from './port.ts'

const KIND = { photos: 'report', before: 'before', after: 'after', reply: 'reply' } as const

const incoming = (photos: Photo[] = []): IncomingPhoto[] =>
  photos.map((p) => ({ kind: KIND[p.field], mime: 'image/png', bytes: p.bytes, sha256: createHash('sha256').update(p.bytes).digest('hex') }))

/**
 * The Port in-process, over the service layer whose clock is the simulation's: every report and
 * step is stamped with the simulated time. Used by the backfill only — the live stream goes
 * through HTTP like every other client.
 */
export function servicePort(service: IncidentService, actors: { admin: UserActor; commander: UserActor; street: Map<number, UserActor>; department: Map<number, UserActor> }, clock: Clock, stats: SimStats, log: (line: string) => void): Port {
  const actor = (who: Who): Actor => {
    const found = who.as === 'public' ? { kind: 'public' as const } : who.as === 'street' ? actors.street.get(who.streetId)
      : who.as === 'department' ? actors.department.get(who.departmentId) : actors[who.as]
    if (!found) throw new SimError(400, 'NO_ACCOUNT', `no simulated account for ${JSON.stringify(who)}`)
    return found
  }
  /** Runs a service call; a GezhiError is a refusal like an HTTP 4xx, anything else a server failure. */
  async function call<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      const status = error instanceof GezhiError ? error.statusCode : 500
      stats.failures[status] = (stats.failures[status] ?? 0) + 1
      if (status >= 500) stats.serverErrors++
      log(`simulator (backfill ${new Date(clock.now()).toISOString()}): ${what} → ${status} ${error instanceof GezhiError ? `${error.code} ${error.message}` : (error as Error).stack}`)
      throw new SimError(status, error instanceof GezhiError ? error.code : 'INTERNAL_ERROR', (error as Error).message)
    }
  }
  return {
    report: (who, body, photos) => call('report', () => service.report(actor(who), body, incoming(photos), { reportedAt: new Date(clock.now()) })),
    similar: (position, category) => call('similar', () => service.similar(position, category)),
    join: (id, body) => call(`join ${id}`, () => service.join({ kind: 'public' }, id, body)),
    step: (who, id, step, input, photos) => call(`${step} ${id}`, async () => (await service.step(actor(who), id, step, input, incoming(photos))).incident),
    evaluate: (token, rating, note) => call('evaluate', async () => {
      const id = await service.idForToken(token)
      return (await service.step({ kind: 'public' }, id, 'evaluate', note ? { rating, note } : { rating }, [], true)).incident
    }),
    view: (id) => call(`view ${id}`, () => service.view({ kind: 'system' }, id)),
  }
}
