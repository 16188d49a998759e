import Type from 'typebox'
import { CRS_LIST } from '../../coords/crs.ts'

export const Longitude = Type.Number({ minimum: -180, maximum: 180, description: 'Longitude in degrees' })
export const Latitude = Type.Number({ minimum: -90, maximum: 90, description: 'Latitude in degrees' })
export const CrsSchema = Type.Enum([...CRS_LIST], {
  description: 'Datum of the coordinates sent: wgs84 (GPS), gcj02 (WeChat, AMap, Tencent) or bd09 (Baidu)',
  default: 'wgs84',
})
/** `[lng, lat]` — always longitude first. */
export const LngLatSchema = Type.Tuple([Longitude, Latitude], { description: '[longitude, latitude]' })
export const IdParam = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) })

/** A grid as other answers refer to it. */
export const GridRefSchema = Type.Object(
  {
    id: Type.Integer(),
    code: Type.String({ description: '6-digit district code + 3 digits per level, numbered west→east, north→south' }),
    name: Type.String(),
    level: Type.Integer({ description: 'Depth in the hierarchy; 1 = street' }),
    levelName: Type.String({ description: 'e.g. 街道, 社区, 网格, 微网格' }),
  },
)
export type GridRef = Type.Static<typeof GridRefSchema>

/** One line of a grid's public board (公示牌, 四公开): name, role, phone, service pledge. */
export const StaffMemberSchema = Type.Object(
  {
    role: Type.String(),
    roleName: Type.String(),
    name: Type.String(),
    phone: Type.String(),
    pledge: Type.String(),
    fullTime: Type.Boolean(),
  },
)
export type StaffMember = Type.Static<typeof StaffMemberSchema>

/** A published set of boundaries. Cases remember the generation they were routed with. */
export const GenerationSchema = Type.Object(
  {
    id: Type.Integer(),
    label: Type.String(),
    validFrom: Type.String({ format: 'date-time' }),
  },
)
export type Generation = Type.Static<typeof GenerationSchema>
