// Article URLs reach exports as links (briefing, DOCX) and as data (Markdown front matter, CSV,
// JSON). Only web addresses are passed on: a stored `javascript:` or `file:` URL would become a
// live link in whatever opens the export.
export function safeHttpUrl(url: string | null): string | null {
  if (!url) return null
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null
  } catch {
    return null
  }
}
