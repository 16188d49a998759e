import type { Incident, LngLat } from '@gezhi/geo'
import type { Clock } from './clock.ts'
import { type Photo, type Port, SimError, type SimStats, type Who } from './port.ts'
import { departmentUsername, streetUsername } from './world.ts'

/** A request that gets no answer in this time counts as a connection failure. */
const REQUEST_TIMEOUT_MS = 30_000
const BACKOFF_MIN_MS = 1000
const BACKOFF_MAX_MS = 60_000

export interface HttpClientOptions {
  baseUrl: string
  clock: Clock
  stats: SimStats
  log: (line: string) => void
}

interface Account { username: string; password: string; token?: string; signingIn?: Promise<string> }

/**
 * A small client of the Gezhi HTTP API (global fetch, nothing else), the same requests a phone or
 * the wall sends. Every call waits while the client backs off after a 5xx or a connection
 * failure (1 s doubling to 60 s); each failure is one log line.
 */
export function httpClient({ baseUrl, clock, stats, log }: HttpClientOptions) {
  const base = baseUrl.replace(/\/+$/, '')
  const accounts = new Map<string, Account>()
  let backoffMs = 0
  let pausedUntil = 0

  async function gate(): Promise<void> {
    while (clock.now() < pausedUntil) {
      if (!(await clock.sleep(pausedUntil - clock.now()))) throw new SimError(0, 'STOPPED', 'the simulator is stopping')
    }
  }

  function failed(status: number, code: string, line: string, transient: boolean): SimError {
    stats.failures[status] = (stats.failures[status] ?? 0) + 1
    if (status >= 500) stats.serverErrors++
    if (transient) {
      backoffMs = Math.min(BACKOFF_MAX_MS, backoffMs ? backoffMs * 2 : BACKOFF_MIN_MS)
      pausedUntil = clock.now() + backoffMs
      log(`simulator: ${line}; backing off ${backoffMs / 1000} s`)
    } else {
      log(`simulator: ${line}`)
    }
    return new SimError(status, code, line)
  }

  /** Signs in once for all callers waiting on the same account (argon2 is deliberately slow). */
  function signIn(account: Account): Promise<string> {
    account.signingIn ??= request<{ token: string }>('POST', '/api/auth/login', { json: { username: account.username, password: account.password } })
      .then((answer) => (account.token = answer.token))
      .finally(() => { account.signingIn = undefined })
    return account.signingIn
  }

  async function request<T>(method: string, path: string, options: { account?: Account; json?: unknown; photos?: Photo[] } = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await gate()
      const headers: Record<string, string> = {}
      if (options.account) headers.authorization = `Bearer ${options.account.token ?? (await signIn(options.account))}`
      let body: string | FormData | undefined
      if (options.photos?.length) {
        const form = new FormData()
        form.append('data', JSON.stringify(options.json ?? {}))
        for (const p of options.photos) form.append(p.field, new Blob([new Uint8Array(p.bytes)], { type: 'image/png' }), `${p.field}.png`)
        body = form
      } else if (options.json !== undefined) {
        headers['content-type'] = 'application/json'
        body = JSON.stringify(options.json)
      }
      let res: Response
      try {
        res = await fetch(base + path, { method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
      } catch (error) {
        throw failed(0, 'UNREACHABLE', `${method} ${path}: no answer (${(error as Error).cause ?? (error as Error).message})`, true)
      }
      const text = await res.text().catch(() => '')
      if (res.status >= 500) throw failed(res.status, 'SERVER_ERROR', `${method} ${path} → ${res.status} ${text.slice(0, 200)}`, true)
      backoffMs = 0
      // A token expires after 12 hours: sign in again once and retry.
      if (res.status === 401 && options.account && attempt === 0 && path !== '/api/auth/login') {
        options.account.token = undefined
        continue
      }
      if (!res.ok) {
        let error: { code?: string; message?: string } = {}
        try { error = JSON.parse(text) } catch { /* not our error shape */ }
        throw failed(res.status, error.code ?? 'HTTP_ERROR', `${method} ${path} → ${res.status} ${error.code ?? ''} ${error.message ?? text.slice(0, 200)}`.trim(), false)
      }
      return (text ? JSON.parse(text) : undefined) as T
    }
  }

  return {
    request,
    /** Remembers an account to act as; it signs in on first use. */
    addAccount(key: string, username: string, password: string) { accounts.set(key, { username, password }) },
    account(key: string): Account {
      const account = accounts.get(key)
      if (!account) throw new SimError(400, 'NO_ACCOUNT', `the simulator has no account for ${key}`)
      return account
    },
    signIn,
  }
}
export type HttpClient = ReturnType<typeof httpClient>

/** Which remembered account acts for `who` (undefined: the public, no token). */
export function accountKey(who: Who, departmentCode: (id: number) => string | undefined): string | undefined {
  switch (who.as) {
    case 'public': return undefined
    case 'admin': return 'admin'
    case 'commander': return 'commander'
    case 'street': return streetUsername(who.streetId)
    case 'department': {
      const code = departmentCode(who.departmentId)
      return code === undefined ? `department ${who.departmentId}` : departmentUsername(code)
    }
  }
}

/** The Port over HTTP: the live stream. */
export function httpPort(client: HttpClient, departmentCode: (id: number) => string | undefined): Port {
  const as = (who: Who) => {
    const key = accountKey(who, departmentCode)
    return key === undefined ? undefined : client.account(key)
  }
  return {
    report: (who, body, photos) => client.request('POST', '/api/incidents', { account: as(who), json: body, photos }),
    similar: ([lng, lat]: LngLat, category) => client.request('GET', `/api/incidents/similar?lng=${lng}&lat=${lat}&category=${category}`),
    join: (id, body) => client.request('POST', `/api/incidents/${id}/me-too`, { json: body }),
    step: async (who, id, step, input, photos = []) =>
      (await client.request<{ incident: Incident }>('POST', `/api/incidents/${id}/steps/${step}`, { account: as(who), json: input, photos })).incident,
    evaluate: async (token, rating, note) =>
      (await client.request<{ incident: Incident }>('POST', `/api/track/${encodeURIComponent(token)}/evaluate`, { json: note ? { rating, note } : { rating } })).incident,
    view: (id) => client.request('GET', `/api/incidents/${id}`, { account: client.account('commander') }),
  }
}
