import pg from 'pg'
import type { Db, NamedQuery, Queryable } from './db.ts'

// int8 (counts, bigserial ids) as JavaScript numbers, as PGlite does: our ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v))

export interface PostgresOptions {
  connectionString: string
  /** Pool size; two cores here, so a handful of connections keeps PostgreSQL busy without thrashing. */
  max?: number
}

/** The server backend: a `pg` Pool against PostgreSQL + PostGIS. Named queries become prepared statements. */
export function openPostgres(options: PostgresOptions): Db & { pool: pg.Pool } {
  // JIT compiles a plan on the first calls of every connection (hundreds of ms on a batch locate);
  // Gezhi's queries are short and many, so it costs more than it saves.
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10, options: '-c jit=off' })
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {})

  const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R>(query: NamedQuery | string, params: readonly unknown[] = []) {
      const config = typeof query === 'string' ? { text: query, values: params as unknown[] } : { name: query.name, text: query.text, values: params as unknown[] }
      const result = await client.query(config)
      return result.rows as R[]
    },
    async exec(sqlText: string) {
      await client.query(sqlText)
    },
  })

  const base = wrap(pool)
  return {
    backend: 'postgres',
    pool,
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const result = await fn(wrap(client))
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      } finally {
        client.release()
      }
    },
    close: () => pool.end(),
  }
}

/**
 * One dedicated connection as a small Db: its queries and transactions never wait for the pool.
 * The live stream's publisher runs on the connection that holds its leadership lock.
 */
export function sessionOf(client: pg.PoolClient): Pick<Db, 'query' | 'exec' | 'transaction'> {
  const q = {
    async query<R>(query: NamedQuery | string, params: readonly unknown[] = []) {
      const config = typeof query === 'string' ? { text: query, values: params as unknown[] } : { name: query.name, text: query.text, values: params as unknown[] }
      return (await client.query(config)).rows as R[]
    },
    async exec(sqlText: string) {
      await client.query(sqlText)
    },
  }
  return {
    ...q,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      await client.query('BEGIN')
      try {
        const result = await fn(q)
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      }
    },
  }
}
