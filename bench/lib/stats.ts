/** Latency samples in milliseconds, summarised the way the tables print them. */
export interface Latency { n: number; p50: number; p99: number; mean: number }

/** Nearest-rank percentile `p` (0..100) of ascending `sorted`. */
export function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export function summarize(samplesMs: ArrayLike<number>): Latency {
  const sorted = Float64Array.from(samplesMs).sort()
  let sum = 0
  for (const v of sorted) sum += v
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: sum / sorted.length }
}

/** Appends to a growable list of samples without boxing each number. */
export class Samples {
  private data = new Float64Array(1024)
  length = 0
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = v
  }
  values(): Float64Array { return this.data.subarray(0, this.length) }
}
