import type { FastifyReply, FastifyRequest } from 'fastify'
import { XMLBuilder } from 'fast-xml-parser'

/**
 * GeoReport v2 answers in XML (required by the spec) and JSON (its "Spark convention" mapping of
 * the XML): an element holding repeated children becomes a JSON array, the root element of a
 * list disappears. One document shape renders both, so the two formats cannot drift apart.
 */
export type Format = 'json' | 'xml'
export const FORMATS: readonly Format[] = ['json', 'xml']
export const MIME: Record<Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' }

export type Value = string | number | boolean | null | XmlList | { [key: string]: Value }

/** Repeated child elements: `<endpoints><endpoint>…</endpoint></endpoints>` ⇄ `"endpoints": […]`. */
export class XmlList {
  constructor(readonly item: string, readonly items: readonly Value[]) {}
}
export const listOf = (item: string, items: readonly Value[]) => new XmlList(item, items)

/** A whole answer: a list (`<services><service>…` ⇄ `[…]`) or one object (`<discovery>…` ⇄ `{…}`). */
export type Document =
  | { root: string; item: string; items: ReadonlyArray<Record<string, Value>> }
  | { root: string; value: Record<string, Value> }

const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: true, processEntities: true })

/** Characters XML 1.0 cannot carry at all, even escaped (C0 controls but tab, CR, LF; U+FFFE/FFFF; lone surrogates). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

function toXml(value: Value): unknown {
  if (value === null) return ''
  if (typeof value === 'string') return value.replace(NOT_XML, '')
  if (typeof value !== 'object') return String(value)
  if (value instanceof XmlList) return value.items.length === 0 ? '' : { [value.item]: value.items.map(toXml) }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toXml(v)]))
}

function toJson(value: Value): unknown {
  if (value === null || typeof value !== 'object') return value
  if (value instanceof XmlList) return value.items.map(toJson)
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]))
}

/** The document as text in `format`: XML with the declaration the spec asks for, or JSON. */
export function render(format: Format, doc: Document): string {
  if (format === 'json') return JSON.stringify('items' in doc ? doc.items.map(toJson) : toJson(doc.value))
  const body = 'items' in doc ? { [doc.root]: toXml(listOf(doc.item, doc.items)) } : { [doc.root]: toXml(doc.value) }
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build(body)}`
}

/** Sends the document; returns nothing so typed route handlers need not agree with a generic reply. */
export function send(reply: FastifyReply, format: Format, doc: Document, status = 200): void {
  reply.status(status).type(MIME[format]).send(render(format, doc))
}

/**
 * The format a request asked for by its extension; XML — the spec's required format — when it
 * names none or one we do not serve, so that even that error comes out in a GeoReport shape.
 */
export function formatOf(request: FastifyRequest): Format {
  const ext = /\.([a-z]+)$/i.exec(request.url.split('?')[0]!)?.[1]?.toLowerCase()
  return ext === 'json' ? 'json' : 'xml'
}

/** The spec's error list: `[{ code, description }]` ⇄ `<errors><error><code/><description/></error></errors>`. */
export function errorDocument(code: number, description: string): Document {
  return { root: 'errors', item: 'error', items: [{ code, description }] }
}
