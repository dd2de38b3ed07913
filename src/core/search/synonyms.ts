// Synonyms and abbreviations (进博会 ⇄ 中国国际进口博览会): shipped groups plus pairs that
// users add to their library. A search for one member also finds the others.
import type { SearchSynonym } from '../../shared/search-types'
import type { Db } from '../library/open'
import defaults from '../../../resources/synonyms/default-synonyms.json'
import { foldScriptAndWidth } from './fold'

const MAX_SYNONYM_LENGTH = 200

/** How synonyms are compared: NFC, trimmed, case-insensitive. */
export function foldSynonym(s: string): string {
  return s.normalize('NFC').trim().toLocaleLowerCase('en-US')
}

/** How a term meets the shipped groups: folded as search folds (進博會 is 进博会). */
function searchKey(s: string): string {
  return foldSynonym(foldScriptAndWidth(s.normalize('NFC')))
}

const defaultGroups: readonly (readonly string[])[] = (defaults as { groups: string[][] }).groups
const defaultIndex = new Map<string, string[]>()
for (const group of defaultGroups) {
  for (const member of group) {
    const key = searchKey(member)
    const others = group.filter((g) => searchKey(g) !== key)
    defaultIndex.set(key, [...(defaultIndex.get(key) ?? []), ...others])
  }
}

function checkTerm(label: string, value: string): string {
  const folded = foldSynonym(value)
  if (folded === '') throw new Error(`Synonym ${label} is empty.`)
  if (folded.length > MAX_SYNONYM_LENGTH) {
    throw new Error(`Synonym ${label} is longer than ${MAX_SYNONYM_LENGTH} characters.`)
  }
  if (/["\n\r\t]/u.test(folded)) {
    throw new Error(`Synonym ${label} '${value}' may not contain quotes, tabs or line breaks.`)
  }
  return folded
}

/** Adds a user pair (both directions). Adding an existing pair is a no-op. */
export function addSynonym(db: Db, a: string, b: string): void {
  const fa = checkTerm('a', a)
  const fb = checkTerm('b', b)
  if (fa === fb) throw new Error(`'${a}' and '${b}' are the same word; a synonym needs two.`)
  const [lo, hi] = fa < fb ? [fa, fb] : [fb, fa]
  db.prepare(
    'INSERT INTO search_synonyms(a, b, created_at) VALUES (?, ?, ?) ON CONFLICT(a, b) DO NOTHING'
  ).run(lo, hi, new Date().toISOString())
}

/** Removes a user pair; returns false when there was none. Shipped pairs cannot be removed. */
export function removeSynonym(db: Db, a: string, b: string): boolean {
  const fa = foldSynonym(a)
  const fb = foldSynonym(b)
  const [lo, hi] = fa < fb ? [fa, fb] : [fb, fa]
  return db.prepare('DELETE FROM search_synonyms WHERE a = ? AND b = ?').run(lo, hi).changes > 0
}

export function listSynonyms(db: Db): SearchSynonym[] {
  const out: SearchSynonym[] = []
  for (const group of defaultGroups) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        out.push({ a: group[i]!, b: group[j]!, origin: 'default' })
      }
    }
  }
  const rows = db.prepare('SELECT a, b FROM search_synonyms ORDER BY a, b').all() as {
    a: string
    b: string
  }[]
  for (const r of rows) out.push({ a: r.a, b: r.b, origin: 'user' })
  return out
}

/** The other names for `term` (not including it), shipped and user-added. */
export function synonymsOf(db: Db, term: string): string[] {
  const key = foldSynonym(term)
  if (!key) return []
  const skey = searchKey(term)
  const found = new Map<string, string>()
  for (const s of defaultIndex.get(skey) ?? []) found.set(searchKey(s), s)
  // User pairs are stored as typed (folded by foldSynonym only): both spellings are looked up.
  const rows = db
    .prepare(
      'SELECT b AS other FROM search_synonyms WHERE a IN (?, ?) UNION SELECT a FROM search_synonyms WHERE b IN (?, ?)'
    )
    .all(key, skey, key, skey) as { other: string }[]
  for (const r of rows) found.set(searchKey(r.other), r.other)
  found.delete(skey)
  return [...found.values()]
}
