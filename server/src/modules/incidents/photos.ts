import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { FastifyRequest } from 'fastify'
import { GezhiError, MAX_PHOTO_BYTES, MAX_PHOTOS } from '@gezhi/geo'

export type PhotoKind = 'report' | 'before' | 'after' | 'reply'

/** A photo received and checked, not yet stored. */
export interface IncomingPhoto {
  kind: PhotoKind
  mime: 'image/jpeg' | 'image/png' | 'image/webp'
  bytes: Buffer
  sha256: string
}

/** The image type from the file's first bytes; the client's declared type and file name are not trusted. */
export function sniffImage(bytes: Buffer): IncomingPhoto['mime'] | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png'
  if (bytes.length >= 12 && bytes.toString('ascii', 0, 4) === 'RIFF' && bytes.toString('ascii', 8, 12) === 'WEBP') return 'image/webp'
  return null
}

const FILE_FIELDS: Record<string, PhotoKind> = { photos: 'report', before: 'before', after: 'after', reply: 'reply' }
const PHOTOS = Symbol('photos')
type WithPhotos = FastifyRequest & { [PHOTOS]?: IncomingPhoto[] }

/**
 * preValidation hook for routes that take JSON or multipart/form-data. A multipart request
 * carries the JSON body as its `data` field and photos as files (`photos`, `before`, `after`,
 * `reply`); the JSON becomes `request.body`, so the route's schema validates both forms alike.
 */
export async function multipartJson(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart()) return
  const photos: IncomingPhoto[] = []
  let data: string | undefined
  try {
    for await (const part of request.parts({ limits: { fileSize: MAX_PHOTO_BYTES, files: MAX_PHOTOS, fields: 4, fieldSize: 64 * 1024 } })) {
      if (part.type === 'field') {
        if (part.fieldname !== 'data') throw new GezhiError('VALIDATION_FAILED', `unknown form field "${part.fieldname}"; send the JSON body as the field "data"`)
        data = String(part.value)
        continue
      }
      const kind = FILE_FIELDS[part.fieldname]
      if (!kind) throw new GezhiError('VALIDATION_FAILED', `unknown file field "${part.fieldname}"; photos go in ${Object.keys(FILE_FIELDS).join(', ')}`)
      const bytes = await part.toBuffer()
      if (part.file.truncated) throw new GezhiError('PHOTO_INVALID', `${part.filename || part.fieldname} is larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB`)
      const mime = sniffImage(bytes)
      if (!mime) throw new GezhiError('PHOTO_INVALID', `${part.filename || part.fieldname} is not a JPEG, PNG or WebP image`)
      photos.push({ kind, mime, bytes, sha256: createHash('sha256').update(bytes).digest('hex') })
    }
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'FST_FILES_LIMIT') throw new GezhiError('TOO_MANY_PHOTOS', `at most ${MAX_PHOTOS} photos per request`)
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new GezhiError('PHOTO_INVALID', `a photo is larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB`)
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw new GezhiError('VALIDATION_FAILED', 'too many form fields')
    throw error
  }
  try {
    request.body = data === undefined ? {} : JSON.parse(data)
  } catch {
    throw new GezhiError('BODY_MALFORMED', 'the form field "data" is not valid JSON')
  }
  ;(request as WithPhotos)[PHOTOS] = photos
}

/** Photos a multipart request carried (none for JSON requests). */
export const photosOf = (request: FastifyRequest): IncomingPhoto[] => (request as WithPhotos)[PHOTOS] ?? []

/**
 * Content-addressed storage under DATA_DIR/uploads: the same image is stored once. `store`
 * writes before the database transaction; `discard` removes what this request newly wrote if
 * the transaction fails, so a refused request leaves nothing behind.
 */
export function photoStore(dataDir: string) {
  const root = path.join(dataDir, 'uploads')
  const ext = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const
  return {
    root,
    store(photos: IncomingPhoto[]): { relativePaths: string[]; created: string[] } {
      const relativePaths: string[] = []
      const created: string[] = []
      for (const p of photos) {
        const relative = path.join(p.sha256.slice(0, 2), `${p.sha256}.${ext[p.mime]}`)
        const absolute = path.join(root, relative)
        if (!existsSync(absolute)) {
          mkdirSync(path.dirname(absolute), { recursive: true })
          writeFileSync(absolute, p.bytes)
          created.push(absolute)
        }
        relativePaths.push(relative)
      }
      return { relativePaths, created }
    },
    discard(created: string[]) {
      for (const file of created) rmSync(file, { force: true })
    },
    absolute: (relative: string) => path.join(root, relative),
  }
}
