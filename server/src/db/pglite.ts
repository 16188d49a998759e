import { mkdirSync } from 'node:fs'
import { PGlite, types } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import type { Db, NamedQuery, Queryable } from './db.ts'

export interface PgliteOptions {
  /** Folder to persist in; undefined keeps the database in memory. */
  dataDir?: string
  /** A tarball from `dumpDataDir()` to start from (tests restore a seeded city this way). */
  loadDataDir?: Blob | File
}

/**
 * The embedded backend: PostgreSQL compiled to WebAssembly, in this process, with PostGIS.
 * One connection: PGlite queues queries, and a transaction holds it exclusively.
 * Known gap: built without protobuf, so ST_AsMVT / ST_AsGeobuf do not exist here.
 */
export async function openPglite(options: PgliteOptions = {}): Promise<Db & { raw: PGlite }> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true })
  const pg = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: { postgis },
    // Match node-postgres with our int8 parser: ids and counts as numbers.
    parsers: { [types.INT8]: (v: string) => Number(v) },
  })

  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<R>(query: NamedQuery | string, params: readonly unknown[] = []) {
      const text = typeof query === 'string' ? query : query.text
      const result = await q.query<R>(text, params as unknown[])
      return result.rows
    },
    async exec(sqlText: string) {
      await q.exec(sqlText)
    },
  })

  const base = wrap(pg)
  return {
    backend: 'pglite',
    raw: pg,
    query: base.query,
    exec: base.exec,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: () => pg.close(),
  }
}
