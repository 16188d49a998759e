/**
 * Maps a position in a minified chunk of the benchmark's client build (client.ts: hidden source
 * maps beside the chunks) back to its original source file and name: enough to say which package
 * or source folder a CPU-profile frame belongs to. A small decoder of the source map v3 `mappings`
 * (base-64 VLQ), so the benchmark depends on no source-map package.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

interface RawMap { sources: string[]; names: string[]; mappings: string }
/** Per generated line, segments sorted by column: [column, source, line, column, name]. */
type Segment = [number, number, number, number, number]

const BASE64 = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]))

function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = []
  let source = 0, line = 0, column = 0, name = 0
  for (const text of mappings.split(';')) {
    const segments: Segment[] = []
    let generated = 0
    for (const part of text.split(',')) {
      if (!part) continue
      const values: number[] = []
      let value = 0, shift = 0
      for (const char of part) {
        const digit = BASE64.get(char)!
        value += (digit & 31) << shift
        if (digit & 32) shift += 5
        else { values.push(value & 1 ? -(value >>> 1) : value >>> 1); value = 0; shift = 0 }
      }
      generated += values[0]!
      if (values.length >= 4) {
        source += values[1]!; line += values[2]!; column += values[3]!
        if (values.length >= 5) name += values[4]!
        segments.push([generated, source, line, column, values.length >= 5 ? name : -1])
      }
    }
    lines.push(segments)
  }
  return lines
}

export interface Original { source: string; line: number; name: string | null }

/** Source maps of the chunks in `<dir>/assets/`, loaded on first use. */
export class SourceMaps {
  private maps = new Map<string, { raw: RawMap; lines: Segment[][] } | null>()
  constructor(private readonly dir: string) {}

  /** The original of a 0-based line and column in the chunk at `url`, or null (not a chunk of the build, or unmapped). */
  resolve(url: string, line: number, column: number): Original | null {
    const file = url.split('?')[0]!.split('/').pop() ?? ''
    if (!file.endsWith('.js')) return null
    let map = this.maps.get(file)
    if (map === undefined) {
      const p = path.join(this.dir, 'assets', `${file}.map`)
      const raw = existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as RawMap) : null
      map = raw ? { raw, lines: decodeMappings(raw.mappings) } : null
      this.maps.set(file, map)
    }
    const segments = map?.lines[line]
    if (!map || !segments?.length) return null
    // The last segment at or before the column (the greatest lower bound).
    let lo = 0, hi = segments.length - 1, found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (segments[mid]![0] <= column) { found = mid; lo = mid + 1 } else hi = mid - 1
    }
    const s = segments[Math.max(0, found)]!
    return { source: map.raw.sources[s[1]] ?? '?', line: s[2] + 1, name: s[4] >= 0 ? map.raw.names[s[4]] ?? null : null }
  }
}
