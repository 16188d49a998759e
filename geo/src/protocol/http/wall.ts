import Type from 'typebox'
import { MAX_TILE_ZOOM } from '../../coords/tiles.ts'
import { STAT_PERIOD_KINDS } from '../../incident/stat-periods.ts'
import { IncidentSummarySchema } from '../socket.ts'
import { GridRefSchema } from './common.ts'
import { StatsQuerySchema, StatsWindowSchema } from './stats.ts'

/**
 * The command-centre wall's reads: figures per grid for the choropleth, reported and closed per
 * hour for the trend chart, a period's case events for playback, and vector tiles of the grids.
 */

/** Most rows `GET /api/stats/grids` answers; a city's micro-grids (100,000 at scale 40) must be asked for by parent. */
export const MAX_STATS_GRID_ROWS = 5000
/** Longest window `GET /api/playback` replays, in hours. */
export const MAX_PLAYBACK_HOURS = 48
/** Most events one playback answer carries. */
export const MAX_PLAYBACK_EVENTS = 200_000

const Id = (description: string) => Type.Integer({ minimum: 1, maximum: 2147483647, description })
const Period = StatsQuerySchema.properties
const Share = (description: string) => Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description })

/** `GET /api/stats/grids`: the grids to colour (children of `parent`, or every grid at `level`) and the period, as /api/stats takes it. */
export const StatsGridsQuerySchema = Type.Object(
  {
    parent: Type.Optional(Id('One row per child of this grid; default (without level): the children of your scope (the streets for the command centre)')),
    level: Type.Optional(Type.Integer({ minimum: 1, maximum: 9, description: 'Instead of parent: every grid at this depth inside your scope' })),
    department: Period.department,
    period: Period.period,
    date: Period.date,
    from: Period.from,
    to: Period.to,
  },
  { additionalProperties: false },
)
export type StatsGridsQuery = Type.Static<typeof StatsGridsQuerySchema>

/** One grid's figures; the formulas are those of /api/stats (cases counted by when they were reported, their outcome as it stands now). */
export const StatsGridRowSchema = Type.Object({
  grid: GridRefSchema,
  households: Type.Integer({ description: 'Households in the grid’s leaves' }),
  reported: Type.Integer(),
  closed: Type.Integer(),
  dueToClose: Type.Integer({ description: 'Handled, or unhandled and overdue; not deferred' }),
  closureRate: Share('结案率 = closed ÷ dueToClose; null when nothing is due'),
  onTimeClosureRate: Share('按期结案率 = closed on time ÷ dueToClose; null when nothing is due'),
  overdueNow: Type.Integer({ description: 'Open cases whose current stage is overdue now, whenever reported' }),
  casesPer1000Households: Type.Union([Type.Number(), Type.Null()], { description: 'reported × 1000 ÷ households; null without households' }),
})
export type StatsGridRow = Type.Static<typeof StatsGridRowSchema>

export const StatsGridsAnswerSchema = Type.Object({
  period: Type.Object({ kind: Type.Enum([...STAT_PERIOD_KINDS, 'range']), ...StatsWindowSchema.properties }),
  filter: Type.Object({
    parent: Type.Union([GridRefSchema, Type.Null()], { description: 'The grid whose subtree is counted; null: the whole territory' }),
    level: Type.Integer({ description: 'Depth of the rows' }),
    department: Type.Union([Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() }), Type.Null()]),
  }),
  computedAt: Type.String({ format: 'date-time' }),
  grids: Type.Array(StatsGridRowSchema, { description: 'Current grids by code; a retired grid only while it still has cases in the period' }),
})
export type StatsGridsAnswer = Type.Static<typeof StatsGridsAnswerSchema>

/** `GET /api/stats/hourly`: a day in Beijing time and the usual grid or department filter. */
export const StatsHourlyQuerySchema = Type.Object(
  {
    date: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD in Beijing time; default today' })),
    grid: Period.grid,
    department: Period.department,
  },
  { additionalProperties: false },
)
export type StatsHourlyQuery = Type.Static<typeof StatsHourlyQuerySchema>

export const StatsHourSchema = Type.Object({
  hour: Type.Integer({ minimum: 0, maximum: 23, description: 'Beijing time: hour 9 is 09:00–10:00' }),
  reported: Type.Integer({ description: 'Cases reported in that hour of `date`' }),
  closed: Type.Integer({ description: 'Cases closed in that hour of `date` (by when they were closed, whenever reported)' }),
  reportedYesterday: Type.Integer({ description: 'The same hour of the day before' }),
  closedYesterday: Type.Integer(),
})

export const StatsHourlyAnswerSchema = Type.Object({
  date: Type.String({ format: 'date' }),
  filter: Type.Object({
    grid: Type.Union([GridRefSchema, Type.Null()]),
    department: Type.Union([Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() }), Type.Null()]),
  }),
  hours: Type.Array(StatsHourSchema, { minItems: 24, maxItems: 24, description: 'Always 24 rows, hour 0 to 23' }),
})
export type StatsHourlyAnswer = Type.Static<typeof StatsHourlyAnswerSchema>

/** `GET /api/playback`: a window of at most 48 h (default the last 24 h) and an optional grid. */
export const PlaybackQuerySchema = Type.Object(
  {
    from: Type.Optional({ ...Period.from, description: 'Start (inclusive): an ISO date-time, or YYYY-MM-DD (Beijing midnight); default 24 h before `to`' }),
    to: Type.Optional({ ...Period.to, description: 'End (exclusive); default now' }),
    grid: Period.grid,
  },
  { additionalProperties: false },
)
export type PlaybackQuery = Type.Static<typeof PlaybackQuerySchema>

export const PlaybackEventSchema = Type.Object({
  seq: Type.Integer({ description: 'Stream position, as the live stream numbers it' }),
  at: Type.String(),
  type: Type.String({ description: 'reported, file, dispatch, …, warned, overdue' }),
  incidentId: Type.Integer(),
  summary: { ...IncidentSummarySchema, description: 'The case as it stood right after this event' },
})
export type PlaybackEvent = Type.Static<typeof PlaybackEventSchema>

export const PlaybackAnswerSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  start: Type.Array(IncidentSummarySchema, { description: 'Every case in scope open at `from`, as it stood then' }),
  events: Type.Array(PlaybackEventSchema, { description: 'Every numbered event in [from, to) of the cases in scope, in stream order' }),
})
export type PlaybackAnswer = Type.Static<typeof PlaybackAnswerSchema>

/** `GET /api/tiles/grids/{z}/{x}/{y}.pbf`; x and y are checked against z by the route (400 TILE_OUT_OF_RANGE). */
export const TileParamsSchema = Type.Object({
  z: Type.Integer({ minimum: 0, maximum: MAX_TILE_ZOOM }),
  x: Type.Integer({ minimum: 0, maximum: 2 ** MAX_TILE_ZOOM - 1 }),
  y: Type.Integer({ minimum: 0, maximum: 2 ** MAX_TILE_ZOOM - 1 }),
})
export type TileParams = Type.Static<typeof TileParamsSchema>
