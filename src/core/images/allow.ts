// Allowing remote images, as an undoable change (changes/ops.ts): for one article, for every
// article of a source, or for the whole library. Undone by the opposite op with the same key.
import type { RemoteImageScope } from '../../shared/capture-types'
import type { OpCall } from '../changes/log'
import type { Op } from '../changes/ops'
import { articlesOfSource, setAllowed } from './store'

/** allowRemoteImages / blockRemoteImages: args [scope, key] (the key from store.allowKey). */
export function allowRemoteImagesOp(allowed: boolean): Op {
  return (db, [scope, key]: unknown[]) => {
    const s = scope as RemoteImageScope
    const k = key as string
    const changed = setAllowed(db, s, k, allowed)
    const inverse: OpCall = {
      op: allowed ? 'blockRemoteImages' : 'allowRemoteImages',
      args: [s, k]
    }
    if (s === 'article') {
      const id = Number(k)
      const title = db.prepare('SELECT title FROM articles WHERE id = ?').pluck().get(id) as
        string | undefined
      return {
        result: [id],
        inverse,
        touched: { articleIds: [id] },
        summary: { title: title ?? '' },
        noop: !changed
      }
    }
    if (s === 'source') {
      const ids = articlesOfSource(db, k)
      return {
        result: ids,
        inverse,
        touched: { articleIds: ids },
        summary: { name: k, count: ids.length },
        noop: !changed
      }
    }
    return { result: [], inverse, touched: { list: true }, summary: {}, noop: !changed }
  }
}
