/** Beijing time is UTC+8 all year (no daylight saving since 1991). */
const BEIJING_OFFSET_MS = 8 * 3600_000
/** Clock difference tolerated between the hotline's servers and ours before a time counts as "in the future". */
const FUTURE_SKEW_MS = 5 * 60_000

// 2024-05-01 08:30[:15[.250]] with - or / between the date parts, a space or T before the time,
// and an optional offset (Z, +08:00, +0800). Without an offset it is Beijing time, as hotline exports are.
const TIME = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i

export type ParsedTime = { valid: true; at: Date } | { valid: false; reason: string }

/**
 * When a hotline took a call, from an export's text: ISO 8601 with an offset, or
 * `YYYY-MM-DD HH:mm[:ss]` in Beijing time. Impossible dates (02-30, 24:00) and times more than
 * five minutes ahead of `now` are refused: a case cannot be reported after it is imported.
 */
export function parseReportedAt(text: string, now: Date): ParsedTime {
  const m = TIME.exec(text.trim())
  if (!m) return { valid: false, reason: `reportedAt "${text}" is not a time; write 2024-05-01 08:30:00 (Beijing time) or ISO 8601 with an offset` }
  const [year, month, day, hour, minute, second = '0', fraction = '0', offset] = m.slice(1) as [string, string, string, string, string, string?, string?, string?]
  const parts = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number]
  const utc = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], Number(fraction.padEnd(3, '0')))
  const back = new Date(utc)
  const same = back.getUTCFullYear() === parts[0] && back.getUTCMonth() === parts[1] - 1 && back.getUTCDate() === parts[2]
    && back.getUTCHours() === parts[3] && back.getUTCMinutes() === parts[4] && back.getUTCSeconds() === parts[5]
  const shift = offsetMs(offset)
  if (!same || shift === null) return { valid: false, reason: `reportedAt "${text}" is not a date that exists` }
  const at = new Date(utc - shift)
  if (at.getTime() > now.getTime() + FUTURE_SKEW_MS) return { valid: false, reason: `reportedAt "${text}" is in the future` }
  return { valid: true, at }
}

/** Milliseconds east of UTC; no offset means Beijing time; null for an offset no zone has. */
function offsetMs(offset: string | undefined): number | null {
  if (!offset) return BEIJING_OFFSET_MS
  if (offset.toUpperCase() === 'Z') return 0
  const digits = offset.replace(':', '')
  const [hours, minutes] = [Number(digits.slice(1, 3)), Number(digits.slice(3, 5))]
  if (hours > 14 || minutes > 59) return null
  return (digits.startsWith('-') ? -1 : 1) * (hours * 3600_000 + minutes * 60_000)
}
