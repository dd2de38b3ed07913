// Security decisions of the Electron shell, as pure functions so they are tested on Node
// without Electron (see test/core/shell-security.test.ts).

/**
 * The CSP of every page of the renderer: the Electron window (header and index.html's meta),
 * the web preview and the browser tests all send this one. Articles are rendered without
 * scripts; no remote image loads, ever (a remote image the user allowed comes through the
 * core at the page's own origin, see src/core/remote-images.ts); no inline <style>
 * except the first frame's stylesheet, allowed by its hash (prerendered-index.ts allowStyle); style
 * attributes stay allowed for the prerendered frame's own layout (article HTML keeps none).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "manifest-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

/**
 * The window's page: ELECTRON_RENDERER_URL (electron-vite's dev server) only in development. A
 * packaged app ignores it, or anyone who can set the variable makes the window load, and the
 * API trust, a page of their choosing.
 */
export function windowPageUrl(
  devServerUrl: string | undefined,
  packaged: boolean,
  ownUrl: string
): string {
  return !packaged && devServerUrl ? devServerUrl : ownUrl
}

/** Only pages of our own renderer may call the API or navigate the window. */
export function isTrustedRendererUrl(url: string | undefined, rendererUrl: string): boolean {
  if (!url) return false
  try {
    const u = new URL(url)
    const r = new URL(rendererUrl)
    if (r.protocol === 'file:') return u.protocol === 'file:' && u.pathname === r.pathname
    // A custom scheme's URLs all have the origin "null": compare scheme and host instead.
    if (r.origin === 'null') return u.protocol === r.protocol && u.host === r.host && !!r.host
    return u.origin === r.origin
  } catch {
    return false
  }
}

/** Links from articles open in the system browser only if they are plain web or mail links. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url)
    if (u.protocol === 'mailto:') return u.pathname.length > 0
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return false
    // No credentials smuggled in the authority, and a real host name.
    return !u.username && !u.password && u.hostname.length > 0
  } catch {
    return false
  }
}
