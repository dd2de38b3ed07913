// The core marks search matches as <mark> around HTML-escaped text and nothing else. The list
// turns that into text parts instead of inserting HTML: a title can then never become markup,
// whatever the core sends, and the first bundle needs no sanitiser.
export interface MarkedPart {
  text: string
  marked: boolean
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'"
}

function unescape(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39|#x27);/gu, (e) => ENTITIES[e] ?? e)
}

/** `a<mark>b</mark>c` → [{a}, {b, marked}, {c}]; any other tag is shown as text. */
export function markedParts(html: string): MarkedPart[] {
  const parts: MarkedPart[] = []
  const re = /<mark>([\s\S]*?)<\/mark>/gu
  let at = 0
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (m.index > at) parts.push({ text: unescape(html.slice(at, m.index)), marked: false })
    parts.push({ text: unescape(m[1] ?? ''), marked: true })
    at = m.index + m[0].length
  }
  if (at < html.length) parts.push({ text: unescape(html.slice(at)), marked: false })
  return parts
}
