import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { sweepDeadlines } from '../modules/deadlines/deadlines.sweep.ts'

/**
 * Runs the deadline sweep every `intervalMs` (0 = never: tests call sweepDeadlines themselves).
 * Sweeps never overlap, and closing the app stops them.
 */
export default fp(async function deadlineScheduler(app: FastifyInstance, options: { intervalMs: number; autoEscalate: boolean }) {
  if (!options.intervalMs) return
  let running: Promise<unknown> | null = null
  const timer = setInterval(() => {
    if (running) return
    running = sweepDeadlines(app.db, { autoEscalate: options.autoEscalate, incidents: app.incidents })
      .catch((error) => app.log.error({ err: error }, 'deadline sweep failed'))
      .finally(() => { running = null })
  }, options.intervalMs)
  timer.unref()
  app.addHook('onClose', async () => {
    clearInterval(timer)
    await running
  })
}, { name: 'deadline-scheduler' })
