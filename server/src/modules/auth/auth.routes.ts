import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ApiErrorSchema, GezhiError, LoginBodySchema, LoginAnswerSchema, MeSchema } from '@gezhi/geo'
import { userOf } from '../../plugins/auth.ts'
import { authRepository } from './auth.repository.ts'

/** `POST /api/auth/login` and `GET /api/auth/me`. */
const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const repo = authRepository(app.db)

  app.post('/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in: a bearer token for the Authorization header (valid 12 hours)',
      body: LoginBodySchema,
      response: { 200: LoginAnswerSchema, 400: ApiErrorSchema, 401: ApiErrorSchema },
    },
  }, async (request) => {
    const claims = await repo.signIn(request.body.username, request.body.password)
    if (!claims) throw new GezhiError('LOGIN_FAILED', 'unknown username or wrong password')
    return { token: app.jwt.sign(claims), user: claims }
  })

  app.post('/auth/refresh', {
    schema: {
      tags: ['auth'],
      summary: 'A fresh token for a valid one: a wall that runs for days renews its token before it expires',
      security: [{ bearer: [] }],
      response: { 200: LoginAnswerSchema, 401: ApiErrorSchema },
    },
    onRequest: app.requireUser,
  }, async (request) => {
    const { kind: _kind, ...claims } = userOf(request)
    const active = await repo.isActive(claims.id)
    if (!active) throw new GezhiError('UNAUTHENTICATED', 'this account is no longer active; sign in again')
    return { token: app.jwt.sign(claims), user: claims }
  })

  app.get('/auth/me', {
    schema: { tags: ['auth'], summary: 'Who the token belongs to', security: [{ bearer: [] }], response: { 200: MeSchema, 401: ApiErrorSchema } },
    onRequest: app.requireUser,
  }, async (request) => {
    const { kind: _kind, ...user } = userOf(request)
    return user
  })
}

export default authRoutes
