/**
 * One query interface over two backends: the embedded PGlite (with its PostGIS extension) and a
 * PostgreSQL + PostGIS server through `pg`. The rest of the server cannot tell them apart: the
 * same SQL, the same migrations, the same row types (int8 as number, numeric as string,
 * timestamptz as Date, arrays and json parsed).
 */
export interface NamedQuery {
  /** Unique name: on PostgreSQL it becomes a prepared statement, parsed and planned once per connection. */
  name: string
  text: string
}

export interface Queryable {
  query<R = Record<string, unknown>>(query: NamedQuery | string, params?: readonly unknown[]): Promise<R[]>
  /** Runs several statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>
}

export interface Db extends Queryable {
  readonly backend: 'pglite' | 'postgres'
  /** Runs `fn` in one transaction: everything it writes commits together or not at all. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** Declares a named SQL statement; keep these in `<domain>.queries.ts` files. */
export function sql(name: string, text: string): NamedQuery {
  return { name, text }
}
