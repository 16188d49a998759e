import Type from 'typebox'
import { GenerationSchema } from './common.ts'

export const HealthSchema = Type.Object(
  {
    status: Type.Literal('ok'),
    backend: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
    postgis: Type.String(),
    generation: Type.Union([GenerationSchema, Type.Null()]),
    counts: Type.Object({ grids: Type.Integer(), households: Type.Integer() }),
  },
)
export type Health = Type.Static<typeof HealthSchema>
