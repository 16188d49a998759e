import type { Me } from '@gezhi/geo'

const KEY = 'gezhi.session'

/** The signed-in user and their bearer token, kept in localStorage so a wall survives a reload. */
export interface Session {
  token: string
  user: Me
}

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY)
    return raw ? (JSON.parse(raw) as Session) : null
  } catch {
    return null
  }
}

export function saveSession(session: Session | null) {
  if (session) localStorage.setItem(KEY, JSON.stringify(session))
  else localStorage.removeItem(KEY)
}

export const authHeader = (): Record<string, string> => {
  const session = loadSession()
  return session ? { authorization: `Bearer ${session.token}` } : {}
}
