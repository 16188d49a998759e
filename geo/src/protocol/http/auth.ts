import Type from 'typebox'
import { USER_ROLE_KEYS } from '../../auth/roles.ts'

export const LoginBodySchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)

export const MeSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  name: Type.String(),
  role: Type.Enum([...USER_ROLE_KEYS]),
  gridPath: Type.Union([Type.Array(Type.Integer()), Type.Null()], { description: 'Leaders and workers: their grid with its ancestors, top level first' }),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
})
export type Me = Type.Static<typeof MeSchema>

export const LoginAnswerSchema = Type.Object({
  token: Type.String({ description: 'Send as `Authorization: Bearer <token>`' }),
  user: MeSchema,
})
