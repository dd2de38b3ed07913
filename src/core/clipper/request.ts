// What the browser clipper sends, checked before anything reaches the library: the rendered
// page, where it was, and what the user selected on it, with a limit on every field.
import { z } from 'zod'

/** The whole request body at most (the endpoint stops reading beyond it). */
export const MAX_CLIP_BYTES = 15 * 1024 * 1024
const MAX_URL = 8000
const MAX_TITLE = 2000
const MAX_SELECTION = 50_000
const MAX_CONTEXT = 2000
const MAX_CATEGORY_DEPTH = 64

const httpUrl = z
  .string()
  .max(MAX_URL)
  .refine((u) => /^https?:\/\//iu.test(u) && URL.canParse(u), {
    message: 'must be an http:// or https:// address'
  })

const categoryName = z
  .string()
  .max(200)
  .refine((s) => s.trim() !== '', { message: 'must not be blank' })

export const pairRequest = z.strictObject({
  code: z.string().min(1).max(64)
})

export const clipRequest = z.strictObject({
  url: httpUrl,
  title: z.string().max(MAX_TITLE),
  /** document.documentElement.outerHTML after the page's scripts ran. */
  html: z.string().min(1).max(MAX_CLIP_BYTES),
  /** The user's selection, with some text on each side to tell repeated passages apart. */
  selection: z.optional(
    z.nullable(
      z.strictObject({
        exact: z.string().max(MAX_SELECTION),
        prefix: z.string().max(MAX_CONTEXT),
        suffix: z.string().max(MAX_CONTEXT)
      })
    )
  ),
  /** File it here (root first) instead of where the page's own metadata says. */
  categoryPath: z.optional(z.array(categoryName).max(MAX_CATEGORY_DEPTH)),
  /** A manual collection's name, as GET /targets listed it. */
  collection: z.optional(z.nullable(z.string().min(1).max(200))),
  /** When the user clipped it (a queued clip arrives later), ISO 8601. */
  clippedAt: z.optional(z.string().max(40))
})

export type ClipRequest = z.infer<typeof clipRequest>

/** What GET /targets gives a paired browser: where a clip may go, names only. */
export interface ClipTargets {
  categories: string[][]
  collections: string[]
}

/** What a clip did, as the popup shows it. */
export interface ClipAnswer {
  status: 'imported' | 'updated' | 'duplicate' | 'unchanged' | 'in-trash'
  articleId: number
  title: string
  /**
   * The selection as a highlight: 'anchored' (new), 'existing' (the same passage was already
   * highlighted), 'not-found' (the cleaned article does not have that text), 'none' (nothing
   * selected).
   */
  highlight: 'anchored' | 'existing' | 'not-found' | 'none'
  highlightId: number | null
  /** The collection asked for: added, already in it, or not there (a smart or missing one). */
  collection: { name: string; outcome: 'added' | 'already' | 'not-found' } | null
  /** A sentence for the user about anything that did not go as asked. */
  notes: string[]
}
