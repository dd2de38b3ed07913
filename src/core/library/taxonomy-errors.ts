// Errors users see verbatim (UI notices, CLI stderr) when a category or tag edit is refused.
import { errorKind } from '../../shared/errors'
import type { TaxonomyErrorCode } from '../../shared/taxonomy-types'

export class TaxonomyError extends errorKind<TaxonomyErrorCode>('TaxonomyError') {}

const MAX_NAME_LENGTH = 200

/**
 * A name typed by a user: trimmed, inner whitespace runs collapsed. Control characters are
 * refused (U+001F separates category path segments in the table).
 */
export function normaliseName(kind: 'category' | 'tag', name: string): string {
  const trimmed = name.normalize('NFC').replace(/\s+/gu, ' ').trim()
  if (trimmed === '') throw new TaxonomyError('invalid-name', `A ${kind} needs a name.`)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/u.test(trimmed))
    throw new TaxonomyError('invalid-name', `A ${kind} name cannot contain control characters.`)
  if (trimmed.length > MAX_NAME_LENGTH) {
    throw new TaxonomyError(
      'invalid-name',
      `${kind === 'tag' ? 'Tag' : 'Category'} names are at most ${MAX_NAME_LENGTH} characters (this one has ${trimmed.length}).`
    )
  }
  return trimmed
}
