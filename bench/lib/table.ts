/** Plain-text tables: a header, a rule, and columns padded to their widest cell. */
export function renderTable(header: string[], rows: string[][], align: Array<'l' | 'r'> = []): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)))
  const line = (cells: string[]) =>
    cells.map((cell, c) => (align[c] === 'r' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd()
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

/** 251,234 · 12.3 · 0.41 · 0.012: three significant figures for small numbers, grouped thousands for large. */
export function fmt(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–'
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US')
  if (value === 0) return '0'
  return value.toPrecision(3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')
}

/** A ratio as "14×" or "÷120" (so that both directions read as a factor above 1). */
export function factor(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio <= 0) return '–'
  return ratio >= 1 ? `${fmt(ratio)}×` : `÷${fmt(1 / ratio)}`
}
