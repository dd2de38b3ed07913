// The window's pages come from gleaner://app/ instead of file:// (Electron's security
// checklist: a custom protocol scopes what the page can load to the renderer's own folder),
// and index.html is made per request with its first frame in it (prerendered-index.ts). A plain
// fetch-style handler so it is tested on Node; index.ts registers it with Electron.
import { readFile, stat } from 'node:fs/promises'
import { contentTypeOf, resolveStaticPath } from '../host/static'
import { REMOTE_IMAGE_ROUTE } from '../shared/remote-image-route'
import { CONTENT_SECURITY_POLICY } from '../host/security'
import { allowStyle, type FirstPaintPage } from '../host/prerendered-index'

export const RENDERER_SCHEME = 'gleaner'
export const RENDERER_HOST = 'app'
export const RENDERER_URL = `${RENDERER_SCHEME}://${RENDERER_HOST}/index.html`

function headers(type: string, styleSource: string | null = null): Headers {
  return new Headers({
    'content-type': type,
    // The first frame's inlined stylesheet is allowed by its hash, nothing else inline.
    'content-security-policy': allowStyle(CONTENT_SECURITY_POLICY, styleSource),
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
  /** The remote-image route (src/core/remote-images.ts); 404 without it. */
  remoteImage?: (query: URLSearchParams) => Promise<Response>
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
      const page = await opts.indexPage()
      return new Response(page.html, {
        headers: headers(contentTypeOf('index.html'), page.styleSource)
      })
    }
    if (url.pathname === REMOTE_IMAGE_ROUTE) {
      return opts.remoteImage ? opts.remoteImage(url.searchParams) : notFound()
    }
    const file = resolveStaticPath(opts.rendererDir, url.pathname)
    const info = file ? await stat(file).catch(() => null) : null
    if (!file || !info?.isFile()) return notFound()
    return new Response(new Uint8Array(await readFile(file)), {
      headers: headers(contentTypeOf(file))
    })
  }
}
