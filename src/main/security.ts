// Security decisions of the Electron shell, as pure functions so they are tested on Node
// without Electron (see test/core/shell-security.test.ts).

/** The CSP sent with every response the window loads. Articles are rendered without scripts. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Svelte transitions and the reader's computed typography set inline styles.
  "style-src 'self' 'unsafe-inline'",
  // Remote images only when the user turns them on; the reader strips them otherwise.
  "img-src 'self' data: blob: https: http:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self' about:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

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
