// The words for a term's kind (person, organisation, place, keyword) in the window's language.
import type { TermKind } from '../../../../shared/story-types'
import type { MessageKey } from '../../lib/i18n.svelte'

export const KIND_LABEL: Record<TermKind, MessageKey> = {
  person: 'kindPerson',
  org: 'kindOrg',
  place: 'kindPlace',
  keyword: 'kindKeyword'
}
