import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { TimeLimitSchema } from '@gezhi/geo'

const CategorySchema = Type.Object({
  code: Type.String(), kind: Type.String(), majorCode: Type.String(), majorName: Type.String(), name: Type.String(), nameEn: Type.String(),
  handlingLevel: Type.Integer({ description: 'Level that normally handles it; 0 = district departments' }),
  departments: Type.Array(Type.String()), departmentIds: Type.Array(Type.Integer()),
  limits: Type.Object({ dispatch: TimeLimitSchema, handle: TimeLimitSchema, check: TimeLimitSchema }),
  duplicateRadiusM: Type.Number(), weight: Type.Number(), disputeClass: Type.Union([Type.Integer(), Type.Null()]), active: Type.Boolean(),
})

/** `GET /api/categories`, `/api/departments`, `/api/calendar`: the reference data every client needs. */
const referenceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/categories', {
    schema: { tags: ['reference'], summary: 'The case taxonomy (大类/小类) with time limits, handling level and departments', response: { 200: Type.Array(CategorySchema) } },
  }, () => app.reference.categories())

  app.get('/departments', {
    schema: { tags: ['reference'], summary: 'District departments a street can call in', response: { 200: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), phone: Type.String() })) } },
  }, () => app.db.query<{ id: number; code: string; name: string; phone: string }>('SELECT id, code, name, phone FROM departments ORDER BY id'))

  app.get('/calendar', {
    schema: {
      tags: ['reference'], summary: 'The work calendar due times are computed with',
      response: { 200: Type.Object({ utcOffsetMinutes: Type.Integer(), periods: Type.Array(Type.Tuple([Type.Integer(), Type.Integer()])), holidays: Type.Array(Type.String()), workdays: Type.Array(Type.String()) }) },
    },
  }, () => app.reference.calendar())
}

export default referenceRoutes
