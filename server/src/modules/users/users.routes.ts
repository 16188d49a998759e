import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import Type from 'typebox'
import { ApiErrorSchema, GezhiError, NewUserBodySchema, UserSchema } from '@gezhi/geo'
import { userOf } from '../../plugins/auth.ts'
import { usersRepository } from './users.repository.ts'

const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema, 409: ApiErrorSchema }

/** onRequest hook: a signed-in admin, 401 for the public, 403 for everyone else. */
async function requireAdmin(request: FastifyRequest): Promise<void> {
  if (userOf(request).role !== 'admin') throw new GezhiError('FORBIDDEN', 'only an admin may list or create accounts')
}

/** `GET /api/users` and `POST /api/users`: accounts, for admins. */
const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const repo = usersRepository(app.db)

  app.get('/users', {
    schema: { tags: ['auth'], summary: 'Every account (admin only; no password hashes)', security: [{ bearer: [] }], response: { 200: Type.Array(UserSchema), ...errors } },
    onRequest: requireAdmin,
  }, () => repo.list())

  app.post('/users', {
    schema: {
      tags: ['auth'],
      summary: 'Create an account (admin only)',
      description: 'Leaders and workers need gridId, department staff departmentId; other roles neither. A taken username answers 409 USERNAME_TAKEN.',
      security: [{ bearer: [] }],
      body: NewUserBodySchema,
      response: { 201: UserSchema, ...errors },
    },
    onRequest: requireAdmin,
  }, async (request, reply) => reply.status(201).send(await repo.create(request.body)))
}

export default usersRoutes
