// Serves the built renderer (out/renderer) read-only: no directory listings, no paths
// outside the root, and the same strict CSP the Electron window gets.
import { readFile, stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { allowStyle, type FirstPaintPage } from './prerendered-index'
import { CONTENT_SECURITY_POLICY } from './security'

/** The window's policy (src/host/security.ts): one CSP for every way the renderer is served. */
export const RENDERER_CSP = CONTENT_SECURITY_POLICY

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8'
}

/** The Content-Type for a file of the built renderer, by its extension. */
export function contentTypeOf(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

export function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': RENDERER_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-store'
  }
}

/** Resolve a URL path under root, or null if it would escape it. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/')
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const relative = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^[/\\]+/, '')
  const absoluteRoot = resolve(root)
  const full = resolve(join(absoluteRoot, relative))
  return full === absoluteRoot || full.startsWith(absoluteRoot + sep) ? full : null
}

/**
 * index.html built per request (with its first frame, see src/host/prerendered-index.ts): the same
 * headers, its inlined stylesheet allowed by hash.
 */
export function sendHtml(res: ServerResponse, page: FirstPaintPage, headOnly = false): void {
  res.writeHead(200, {
    ...securityHeaders(),
    'content-security-policy': allowStyle(RENDERER_CSP, page.styleSource),
    'content-type': contentTypeOf('index.html'),
    'content-length': String(Buffer.byteLength(page.html))
  })
  res.end(headOnly ? undefined : page.html)
}

export async function serveStatic(
  root: string,
  urlPath: string,
  res: ServerResponse
): Promise<void> {
  const file = resolveStaticPath(root, urlPath)
  const info = file ? await stat(file).catch(() => null) : null
  if (!file || !info?.isFile()) {
    res.writeHead(404, { ...securityHeaders(), 'content-type': 'text/plain; charset=utf-8' })
    res.end('Not found')
    return
  }
  const body = await readFile(file)
  res.writeHead(200, {
    ...securityHeaders(),
    'content-type': contentTypeOf(file),
    'content-length': String(body.length)
  })
  res.end(body)
}

/** Sends a fetch-style Response (the remote-image route's) over node's http. */
export async function sendResponse(
  res: ServerResponse,
  response: Response,
  headOnly = false
): Promise<void> {
  const body = new Uint8Array(await response.arrayBuffer())
  res.writeHead(response.status, {
    ...Object.fromEntries(response.headers),
    'content-length': String(body.length)
  })
  res.end(headOnly ? undefined : body)
}
