import fp from 'fastify-plugin'
import jwt from '@fastify/jwt'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { GezhiError, type UserRole } from '@gezhi/geo'

/** A signed-in user as every route sees them. Scope comes from the grid path or department. */
export interface UserActor {
  kind: 'user'
  id: number
  username: string
  name: string
  role: UserRole
  /** Leaders and workers: their grid and its ancestors, top level first, ending with it. */
  gridPath: number[] | null
  departmentId: number | null
}
export type Actor = UserActor | { kind: 'public' } | { kind: 'system' }

/** What a sign-in token carries; 12 hours, so a changed binding takes effect by the next shift. */
export type TokenClaims = Omit<UserActor, 'kind'>
export const TOKEN_LIFETIME = '12h'

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenClaims
    user: TokenClaims
  }
}
declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling: the signed-in user, or the public. Set for every request. */
    actor: Actor
  }
  interface FastifyInstance {
    /** preHandler for routes that need a signed-in user: 401 otherwise. */
    requireUser: (request: FastifyRequest) => Promise<void>
  }
}

/**
 * Bearer tokens (@fastify/jwt). A request without a token is the public; a request with a bad or
 * expired token is refused with 401 rather than quietly treated as public.
 */
export default fp(async function auth(app: FastifyInstance, options: { secret: string }) {
  await app.register(jwt, { secret: options.secret, sign: { expiresIn: TOKEN_LIFETIME } })
  app.decorateRequest('actor', null as never)

  app.addHook('onRequest', async (request) => {
    if (!request.headers.authorization) {
      request.actor = { kind: 'public' }
      return
    }
    try {
      const claims = await request.jwtVerify<TokenClaims>()
      request.actor = { kind: 'user', ...claims }
    } catch {
      throw new GezhiError('UNAUTHENTICATED', 'the sign-in token is missing, malformed or expired; sign in again at POST /api/auth/login')
    }
  })

  app.decorate('requireUser', async (request: FastifyRequest) => {
    if (request.actor.kind !== 'user') throw new GezhiError('UNAUTHENTICATED', 'sign in first: POST /api/auth/login, then send Authorization: Bearer <token>')
  })
}, { name: 'auth' })

/** The signed-in user, or a 401 (for handlers behind requireUser). */
export function userOf(request: FastifyRequest): UserActor {
  if (request.actor.kind !== 'user') throw new GezhiError('UNAUTHENTICATED', 'sign in first')
  return request.actor
}
