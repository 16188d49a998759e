import { parse } from 'csv-parse/sync'
import { GezhiError, IMPORT_HEADERS, IMPORT_MAX_ROWS, type ImportRow } from '@gezhi/geo'

/** One row of a batch as it arrived, before it is checked: where it is and what it holds. */
export interface RawRow {
  /** CSV: the physical line where the row starts (header = 1); JSON: index + 1. */
  line: number
  /** The hotline's id as far as it can be read, to name the row in the answer even when it is bad. */
  hotlineId: string | null
  /** The row's fields under their English names; absent when the row could not be read at all. */
  fields?: Record<string, unknown>
  /** Why the row could not be read (CSV: wrong number of fields, stray quote). */
  error?: { code: 'IMPORT_ROW_MALFORMED'; message: string }
}

type Column = keyof ImportRow
const REQUIRED_COLUMNS: Column[] = ['hotlineId', 'reportedAt', 'category', 'description', 'lng', 'lat']
const NUMERIC_COLUMNS = new Set<Column>(['lng', 'lat'])
/** Header text (English case-insensitive, or the Chinese of a hotline export) → column. */
const HEADER_TO_COLUMN = new Map<string, Column>(
  (Object.entries(IMPORT_HEADERS) as Array<[Column, string]>).flatMap(([column, chinese]) => [[column.toLowerCase(), column], [chinese, column]]),
)
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/
const NEWLINES = /\r\n|\r|\n/g

const tooLarge = (n: number) => new GezhiError('BATCH_TOO_LARGE', `the batch has ${n} rows; at most ${IMPORT_MAX_ROWS} per request: split the file`)

/** Maps the header line to columns; unknown, repeated or missing columns refuse the whole file. */
function columnsOf(header: string[]): Column[] {
  const columns = header.map((h) => HEADER_TO_COLUMN.get(h.trim().toLowerCase()) ?? HEADER_TO_COLUMN.get(h.trim()))
  const unknown = header.filter((_, i) => !columns[i])
  const known = Object.entries(IMPORT_HEADERS).map(([en, zh]) => `${en} (${zh})`).join(', ')
  // A typo such as "lon" must not quietly drop a column: refuse and name the columns we know.
  if (unknown.length) throw new GezhiError('VALIDATION_FAILED', `unknown column ${unknown.map((h) => `"${h}"`).join(', ')} in the header line; columns are ${known}`)
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i)
  if (repeated.length) throw new GezhiError('VALIDATION_FAILED', `column ${repeated.join(', ')} appears more than once in the header line`)
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c))
  if (missing.length) throw new GezhiError('VALIDATION_FAILED', `the header line lacks the column ${missing.map((c) => `${c} (${IMPORT_HEADERS[c]})`).join(', ')}`)
  return columns as Column[]
}

/** A CSV cell as the row schema expects it: trimmed, empty as absent, coordinates as numbers. */
function cell(column: Column, value: string): unknown {
  const text = value.trim()
  if (text === '') return undefined
  return NUMERIC_COLUMNS.has(column) && DECIMAL.test(text) ? Number(text) : text
}

const countNewlines = (values: readonly string[]) => values.reduce((n, v) => n + (v.match(NEWLINES)?.length ?? 0), 0)

/**
 * Physical line numbers by byte offset. csv-parse's own `info.lines` counts a CRLF inside a
 * quoted field as two lines (and every later line drifts by one), so lines are counted here:
 * CRLF, LF or a lone CR each end one line.
 */
function lineIndex(bytes: Uint8Array) {
  const starts = [0]
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) starts.push(i + 1)
  }
  /** The 1-based line of the record that ends at byte `end` (after its delimiter) and spans `breaks` line breaks. */
  return (end: number, breaks: number): number => {
    let last = Math.min(end, bytes.length) - 1
    while (last > 0 && (bytes[last] === 0x0a || bytes[last] === 0x0d)) last--
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= last) lo = mid
      else hi = mid - 1
    }
    return lo + 1 - breaks
  }
}

/**
 * Reads a CSV export (RFC 4180, header on line 1). Rows with the wrong number of fields are kept
 * as malformed rows so they can be reported by line; a quote never closed, a bad header or more
 * than IMPORT_MAX_ROWS rows refuse the whole file, before anything is written. Blank lines and
 * rows of empty cells (Excel leaves them) are skipped.
 */
export function parseCsv(text: string): RawRow[] {
  const bytes = Buffer.from(text.replace(/^\uFEFF/, ''))
  const lineOf = lineIndex(bytes)
  let columns: Column[] = []
  const malformed: RawRow[] = []
  const records = parse(bytes, {
    bom: true,
    columns: (header: string[]) => (columns = columnsOf(header)),
    relax_column_count: false,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    skip_records_with_error: true,
    info: true,
    on_skip: (error) => {
      if (!error) return
      const info = error as unknown as { code: string; bytes: number; record?: string[] }
      if (info.code === 'CSV_QUOTE_NOT_CLOSED') {
        // The record never ended, so `bytes` is where it starts.
        throw new GezhiError('BODY_MALFORMED', `the row on line ${lineOf(info.bytes + 1, 0)} opens a quote that is never closed, so the rows after it cannot be told apart; fix the file and send it again`)
      }
      const fields = info.record ?? []
      const line = lineOf(info.bytes, countNewlines(fields))
      const id = fields[columns.indexOf('hotlineId')]?.trim()
      malformed.push({ line, hotlineId: id || null, error: { code: 'IMPORT_ROW_MALFORMED', message: error.message.replace(/ (on|at) line \d+/, '') } })
    },
  }) as Array<{ record: Record<Column, string>; info: { bytes: number } }>
  const total = records.length + malformed.length
  if (total > IMPORT_MAX_ROWS) throw tooLarge(total)
  const rows: RawRow[] = records.map(({ record, info }) => {
    const fields: Record<string, unknown> = {}
    for (const column of columns) {
      const value = cell(column, record[column])
      if (value !== undefined) fields[column] = value
    }
    return { line: lineOf(info.bytes, countNewlines(Object.values(record))), hotlineId: typeof fields.hotlineId === 'string' ? fields.hotlineId : null, fields }
  })
  return [...rows, ...malformed].sort((a, b) => a.line - b.line)
}

/** The rows of a JSON batch `{ rows: [...] }`; each is checked later, on its own. */
export function jsonRows(rows: unknown[]): RawRow[] {
  if (rows.length > IMPORT_MAX_ROWS) throw tooLarge(rows.length)
  return rows.map((row, i) => {
    const isObject = typeof row === 'object' && row !== null && !Array.isArray(row)
    if (!isObject) return { line: i + 1, hotlineId: null, error: { code: 'IMPORT_ROW_MALFORMED', message: `row ${i + 1} is not an object` } }
    const id = (row as Record<string, unknown>).hotlineId
    return { line: i + 1, hotlineId: typeof id === 'string' ? id.trim() || null : null, fields: row as Record<string, unknown> }
  })
}
