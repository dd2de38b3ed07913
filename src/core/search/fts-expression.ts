// Turns one search term into an FTS5 expression over the rewritten index text (see cjk.ts),
// and lists what the snippet should highlight for it.
import { splitRuns } from './cjk'
import { foldScriptAndWidth } from './fold'

// unicode61 keeps letters, numbers and private-use characters; anything else separates tokens.
const TOKEN_CHAR = /[\p{L}\p{N}\p{Co}]/u

function ftsString(text: string): string {
  return `"${text.replaceAll('"', '""')}"`
}

/**
 * The FTS5 phrase that matches every text containing `term` literally (CJK) or as words
 * (other scripts). With `prefixLast`, the final word may continue (econom → economy);
 * a trailing CJK run may always continue, since CJK has no word ends.
 * Returns null when the term has nothing to index (only punctuation).
 */
export function termToFts(term: string, prefixLast: boolean): string | null {
  // Folded as the index text was (知識 finds 知识, ＡＢＣ finds abc).
  const runs = splitRuns(foldScriptAndWidth(term.normalize('NFC')))
  const parts: string[] = []
  runs.forEach((run, r) => {
    const isLast = r === runs.length - 1
    if (!run.cjk) {
      const text = run.chars.join('')
      if (!TOKEN_CHAR.test(text)) return
      // Inside quotes FTS5 hands the text to unicode61, which splits words exactly as it
      // did when indexing; several words become adjacent tokens of the phrase.
      parts.push(ftsString(text) + (isLast && prefixLast ? ' *' : ''))
      return
    }
    const c = run.chars
    const tokens: string[] = []
    for (let i = 0; i + 1 < c.length; i++) tokens.push(ftsString(c[i]! + c[i + 1]!))
    if (!isLast) {
      // The text's run ends where the term's does, so its closing single character follows.
      tokens.push(ftsString(c[c.length - 1]!))
    } else if (c.length === 1) {
      // One character: any bigram starting with it, or a run ending with it.
      tokens.push(`${ftsString(c[0]!)} *`)
    }
    parts.push(...tokens)
  })
  if (parts.length === 0) return null
  return parts.join(' + ')
}
