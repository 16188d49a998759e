import { deflateSync } from 'node:zlib'

const cache = new Map<number, Buffer>()

/**
 * A valid 1×1 PNG whose one pixel's colour depends on `variant` (0–15): photos for simulated
 * reports and handling. Few variants, so the content-addressed photo store keeps few files.
 */
export function tinyPng(variant = 0): Buffer {
  const v = variant & 15
  let png = cache.get(v)
  if (!png) cache.set(v, (png = onePixelPng(40 + v * 12, 90, 140 - v * 5)))
  return png
}

/** A valid 1×1 RGB PNG of one colour, built by hand: no image library, no image files. */
export function onePixelPng(r: number, g: number, b: number): Buffer {
  const crc = (buf: Buffer) => {
    let c = ~0
    for (const byte of buf) { c ^= byte; for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1)) }
    return ~c >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length)
    const td = Buffer.concat([Buffer.from(type), data])
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td))
    return Buffer.concat([len, td, c])
  }
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])
  const pixel = deflateSync(Buffer.from([0, r & 255, g & 255, b & 255]))
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', pixel), chunk('IEND', Buffer.alloc(0))])
}
