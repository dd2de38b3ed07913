// The window's pages come from gleaner://app/ instead of file:// (Electron's security
// checklist: a custom protocol scopes what the page can load to the renderer's own folder),
// and index.html is made per request with its first frame in it (first-paint.ts). A plain
// fetch-style handler so it is tested on Node; index.ts registers it with Electron.
import { readFile, stat } from 'node:fs/promises'
import { contentTypeOf, resolveStaticPath } from '../web/static'
import { CONTENT_SECURITY_POLICY } from './security'
import type { FirstPaintPage } from './first-paint'

export const RENDERER_SCHEME = 'gleaner'
export const RENDERER_HOST = 'app'
export const RENDERER_URL = `${RENDERER_SCHEME}://${RENDERER_HOST}/index.html`

// The window's policy already allows inline styles ('unsafe-inline'), which covers the first
// frame's inlined stylesheet; a hash added beside it would switch 'unsafe-inline' off.
function headers(type: string): Headers {
  return new Headers({
    'content-type': type,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store'
  })
}

const notFound = (): Response =>
  new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') })

export interface RendererProtocolOptions {
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** index.html as the window should get it now (with its first frame, when there is one). */
  indexPage: () => Promise<FirstPaintPage>
}

export function rendererProtocolHandler(
  opts: RendererProtocolOptions
): (request: Request) => Promise<Response> {
  return async (request) => {
    let url: URL
    try {
      url = new URL(request.url)
    } catch {
      return notFound()
    }
    if (url.protocol !== `${RENDERER_SCHEME}:` || url.host !== RENDERER_HOST) return notFound()
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('GET only', { status: 405, headers: headers('text/plain') })
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      return new Response((await opts.indexPage()).html, {
        headers: headers(contentTypeOf('index.html'))
      })
    }
    const file = resolveStaticPath(opts.rendererDir, url.pathname)
    const info = file ? await stat(file).catch(() => null) : null
    if (!file || !info?.isFile()) return notFound()
    return new Response(new Uint8Array(await readFile(file)), {
      headers: headers(contentTypeOf(file))
    })
  }
}
