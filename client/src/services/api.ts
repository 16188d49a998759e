import type { ApiError, Crs, GridDetail, GridLevel, LngLat, LocateAnswer, Me } from '@gezhi/geo'
import { decodeHouseholdPoints } from '@gezhi/geo'
import { authHeader, type Session } from './session.ts'

/** An answer from the server that is not 2xx, with its `{ code, message }`. */
export class ApiRequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message)
    this.name = 'ApiRequestError'
  }
}

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(path, { ...init, headers: { ...authHeader(), ...(init.headers as Record<string, string> | undefined) } })
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ApiError | null
    throw new ApiRequestError(response.status, body?.code ?? 'HTTP_ERROR', body?.message ?? `${response.status} ${response.statusText}`)
  }
  return response
}

const getJson = async <T>(path: string): Promise<T> => (await request(path)).json() as Promise<T>
const postJson = async <T>(path: string, body: unknown): Promise<T> =>
  (await request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<T>

/** Builds `?a=1&b=2` from the defined values only. */
export const query = (params: Record<string, string | number | boolean | null | undefined>) => {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}` : ''
}

/** Typed calls to the Gezhi API. Coordinates are `[lng, lat]`. */
export const api = {
  levels: () => getJson<GridLevel[]>('/api/levels'),
  login: (username: string, password: string) => postJson<Session>('/api/auth/login', { username, password }),
  refresh: () => postJson<Session>('/api/auth/refresh', {}),
  me: () => getJson<Me>('/api/auth/me'),
  get: getJson,

  /** URL of a level's polygons, simplified for `zoom`: MapLibre fetches GeoJSON sources itself. */
  gridsUrl: (level: number, zoom: number) => `/api/grids?level=${level}&zoom=${zoom}`,
  gridLabelsUrl: (level: number) => `/api/grids?level=${level}&labels=true`,

  grid: (id: number) => getJson<GridDetail>(`/api/grids/${id}`),

  locate: ([lng, lat]: LngLat, crs: Crs = 'wgs84') => getJson<LocateAnswer>(`/api/locate?lng=${lng}&lat=${lat}&crs=${crs}`),

  async householdPoints(grid?: number) {
    const response = await request(`/api/households/points${grid ? `?grid=${grid}` : ''}`)
    return decodeHouseholdPoints(await response.arrayBuffer())
  },
}
