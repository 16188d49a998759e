import Type, { type TInteger } from 'typebox'
import { INCIDENT_SOURCE_KEYS, type IncidentSource } from '../../incident/sources.ts'
import { STAT_PERIOD_KINDS } from '../../incident/stat-periods.ts'
import { INCIDENT_STATE_KEYS, type IncidentState } from '../../incident/workflow.ts'
import { GridRefSchema, LngLatSchema } from './common.ts'

/** Most rows a `top` list may ask for. */
export const MAX_STATS_TOP = 50

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 })
const Iso = Type.String({ format: 'date-time' })
/** Read by parseLocalInstant; a date that does not exist (2025-02-30) is refused there as PERIOD_INVALID. */
const DateOrDateTime = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?)?$',
  description: 'YYYY-MM-DD (Beijing midnight) or an ISO date-time; without an offset it is read as Beijing time',
})

/** `GET /api/stats`: a grid or a department, and a calendar period or a free range. */
export const StatsQuerySchema = Type.Object(
  {
    grid: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Cases routed (at report time) to this grid or beneath it; default: your whole scope' })),
    department: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Cases assigned to this department or that it was called in on' })),
    period: Type.Optional(Type.Enum([...STAT_PERIOD_KINDS], { description: 'A calendar period in Beijing time (weeks start on Monday); default day, unless from/to are given' })),
    date: Type.Optional(Type.String({ format: 'date', description: 'A day inside the period, YYYY-MM-DD; default today (Beijing)' })),
    from: Type.Optional(DateOrDateTime),
    to: Type.Optional({ ...DateOrDateTime, description: 'Exclusive end of a free range; with `from`, instead of period/date' }),
    top: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_STATS_TOP, default: 10, description: 'Rows in each `top` list' })),
  },
  { additionalProperties: false },
)
export type StatsQuery = Type.Static<typeof StatsQuerySchema>

export const StatsWindowSchema = Type.Object({
  from: Iso,
  to: { ...Iso, description: 'Exclusive' },
  label: Type.String({ description: 'e.g. 2025-03-12, 2025-W11, 2025-03, 2025-Q1, 2025, or 2025-03-01–2025-03-15' }),
})

const Share = (description: string) => Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description })
const NumberOrNull = Type.Union([Type.Number(), Type.Null()])

/**
 * A figure with its formula's parts: value = numerator ÷ denominator, null when the denominator is
 * 0; `previous` (环比) and `lastYear` (同比) are the same figure for the reference windows.
 * Rates are shares from 0 to 1, not percent.
 */
export const StatsKpiSchema = Type.Object({
  value: NumberOrNull,
  numerator: Type.Number(),
  denominator: Type.Number(),
  previous: NumberOrNull,
  lastYear: NumberOrNull,
})
export type StatsKpi = Type.Static<typeof StatsKpiSchema>

/** A plain count, with the reference windows' counts (null for a snapshot such as "overdue now"). */
export const StatsCountSchema = Type.Object({
  value: Type.Integer(),
  previous: Type.Union([Type.Integer(), Type.Null()]),
  lastYear: Type.Union([Type.Integer(), Type.Null()]),
})
export type StatsCount = Type.Static<typeof StatsCountSchema>

const countsOf = <K extends string>(keys: readonly K[]) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Integer()])) as Record<K, TInteger>)

const CategoryNameSchema = Type.Object({ code: Type.String(), name: Type.String() })

/** A row of a `top` list: its cases in the period and their closure rate (结案率, as in kpis). */
const TopFigures = {
  reported: Type.Integer(),
  closed: Type.Integer(),
  dueToClose: Type.Integer(),
  closureRate: Share('closed ÷ dueToClose; null when nothing is due'),
}

export const StatsAnswerSchema = Type.Object({
  period: Type.Object({
    kind: Type.Enum([...STAT_PERIOD_KINDS, 'range']),
    ...StatsWindowSchema.properties,
    previous: { ...StatsWindowSchema, description: '环比: the period just before' },
    lastYear: { ...StatsWindowSchema, description: '同比: the same period a year earlier' },
  }),
  filter: Type.Object({
    grid: Type.Union([GridRefSchema, Type.Null()], { description: 'null: your whole scope' }),
    department: Type.Union([Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() }), Type.Null()]),
  }),
  computedAt: Iso,
  counts: Type.Object({
    reported: Type.Integer({ description: 'Cases reported in the period' }),
    byState: { ...countsOf<IncidentState>(INCIDENT_STATE_KEYS), description: 'Their state now; every state, zeros included' },
    bySource: countsOf<IncidentSource>(INCIDENT_SOURCE_KEYS),
    byCategory: Type.Array(Type.Object({ ...CategoryNameSchema.properties, count: Type.Integer() }), { description: 'Categories with cases, most first' }),
  }, { description: 'Cases reported in [from, to), by what they are now' }),
  kpis: Type.Object({
    reported: StatsCountSchema,
    closed: StatsCountSchema,
    closureRate: { ...StatsKpiSchema, description: '结案率 = closed ÷ due to close (handled, or unhandled and overdue; not deferred)' },
    onTimeClosureRate: { ...StatsKpiSchema, description: '按期结案率 = closed on time ÷ due to close' },
    onTimeHandlingRate: { ...StatsKpiSchema, description: '按期处置率 = handled on time ÷ due to handle (handled, or dispatched and past the handling deadline by the end of the period or now; not deferred)' },
    reworkRate: { ...StatsKpiSchema, description: '返工率 = reworked ÷ handled' },
    accurateDispatchRate: { ...StatsKpiSchema, description: '准确派遣率 = (dispatched − reworked) ÷ filed, fixed-on-the-spot cases left out' },
    returned: { ...StatsCountSchema, description: 'Cases returned at least once as wrongly dispatched (退回): what many city rules use for dispatch accuracy instead of rework' },
    overdueNow: { ...StatsCountSchema, description: 'Open cases whose current stage is overdue, now (not bound to the period; previous and lastYear are null)' },
    meanHoursToAccept: { ...StatsKpiSchema, description: 'accepted − dispatched, over dispatched cases accepted; numerator in hours' },
    meanHoursToHandle: { ...StatsKpiSchema, description: 'handled − dispatched, over dispatched cases handled; numerator in hours' },
    meanHoursToClose: { ...StatsKpiSchema, description: 'closed − reported, over closed cases; numerator in hours' },
    meanRating: { ...StatsKpiSchema, description: 'Mean rating 1–5 of rated cases' },
    satisfiedRate: { ...StatsKpiSchema, description: 'Share of ratings of 4 or 5' },
  }, { description: 'Cases reported in each window (a cohort), by their outcome as it stands now' }),
  top: Type.Object({
    grids: Type.Array(Type.Object({ grid: GridRefSchema, ...TopFigures }), { description: 'Child grids of the grid asked for (streets at the top), most cases first' }),
    categories: Type.Array(Type.Object({ ...CategoryNameSchema.properties, ...TopFigures }), { description: 'Most reported categories' }),
    repeatPlaces: Type.Array(Type.Object({
      category: CategoryNameSchema,
      count: Type.Integer({ description: 'Cases flagged as repeats (复诊) of this category in one ~100 m cell' }),
      centre: { ...LngLatSchema, description: 'Mean position of those cases, [lng, lat] WGS-84' },
      lastReportedAt: Iso,
      incidentIds: Type.Array(Type.Integer(), { description: 'At most 50, oldest first' }),
    }), { description: 'Places with repeated cases, most first' }),
  }),
})
export type StatsAnswer = Type.Static<typeof StatsAnswerSchema>
