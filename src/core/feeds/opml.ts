// OPML subscription lists: outline folders are category paths, outlines with an xmlUrl feeds.
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser'
import { GleanerError } from '../../shared/errors'
import { XML_ENTITY_LIMITS } from '../ingest/feed'
import type { FeedSummary } from '../../shared/capture-types'

export interface OpmlEntry {
  url: string
  title: string | null
  categoryPath: string[]
}

/** An OPML file bigger than this is not a subscription list. */
export const MAX_OPML_CHARS = 5 * 1024 * 1024
const MAX_OUTLINES = 10_000
const MAX_DEPTH = 32

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  // The same caps as feed.ts: a DOCTYPE's entities cannot blow up.
  processEntities: XML_ENTITY_LIMITS,
  htmlEntities: true,
  isArray: (name) => name === 'outline'
})

type Node = Record<string, unknown>
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null)

function opmlError(reason: string): GleanerError {
  return new GleanerError('opml-invalid', `not an OPML subscription list: ${reason}`, { reason })
}

/** Every feed outline, with the folders above it as its category path. */
export function readOpml(text: string): OpmlEntry[] {
  if (text.length > MAX_OPML_CHARS)
    throw opmlError(`${text.length} characters; at most ${MAX_OPML_CHARS} are read`)
  const valid = XMLValidator.validate(text)
  if (valid !== true) throw opmlError(`${valid.err.msg.split('\n')[0]} (line ${valid.err.line})`)
  let doc: unknown
  try {
    doc = parser.parse(text)
  } catch (e) {
    throw opmlError((e as Error).message)
  }
  if (!isNode(doc) || !isNode(doc.opml)) throw opmlError('the root is not <opml>')
  const body = doc.opml.body
  if (!isNode(body)) throw opmlError('it has no <body>')
  const entries: OpmlEntry[] = []
  let outlines = 0
  const walk = (nodes: unknown, path: string[]): void => {
    if (path.length > MAX_DEPTH) throw opmlError(`folders nested over ${MAX_DEPTH} deep`)
    for (const n of Array.isArray(nodes) ? nodes : []) {
      if (!isNode(n)) continue
      if (++outlines > MAX_OUTLINES) throw opmlError(`over ${MAX_OUTLINES} outlines`)
      const name = str(n['@_title']) ?? str(n['@_text'])
      const url = str(n['@_xmlUrl'])
      if (url) entries.push({ url, title: name, categoryPath: path })
      else if (n.outline) walk(n.outline, name ? [...path, name] : path)
    }
  }
  walk(body.outline, [])
  return entries
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  suppressEmptyNode: true
})

/** The subscriptions as OPML 2.0, their category paths as nested folders. */
export function writeOpml(feeds: readonly FeedSummary[], now: Date): string {
  interface Folder {
    folders: Map<string, Folder>
    feeds: FeedSummary[]
  }
  const root: Folder = { folders: new Map(), feeds: [] }
  for (const f of feeds) {
    let at = root
    for (const name of f.categoryPath) {
      let next = at.folders.get(name)
      if (!next) {
        next = { folders: new Map(), feeds: [] }
        at.folders.set(name, next)
      }
      at = next
    }
    at.feeds.push(f)
  }
  const outlines = (folder: Folder): Node[] => [
    ...[...folder.folders].map(([name, sub]) => ({
      '@_text': name,
      '@_title': name,
      outline: outlines(sub)
    })),
    ...folder.feeds.map((f) => {
      const o: Node = { '@_type': 'rss', '@_text': f.title ?? f.url, '@_xmlUrl': f.url }
      if (f.title) o['@_title'] = f.title
      if (f.siteUrl) o['@_htmlUrl'] = f.siteUrl
      return o
    })
  ]
  const xml = builder.build({
    opml: {
      '@_version': '2.0',
      head: { title: 'Gleaner subscriptions', dateCreated: now.toUTCString() },
      body: { outline: outlines(root) }
    }
  }) as string
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`
}
