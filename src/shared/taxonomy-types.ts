// Shapes of category and tag edits that cross process boundaries (see GleanerApi).

/** What deleteCategory removed: enough for restoreCategory to put it back (undo). */
export interface DeletedCategory {
  /** The deleted category and every category below it, parents first. */
  categories: { id: number; parentId: number | null; name: string; path: string[] }[]
  /** The article links each of them had (soft-deleted articles included). */
  links: { categoryId: number; articleIds: number[] }[]
  /**
   * Those articles whose categories the user had set before the delete (rather than their file's
   * front matter), so the undo restores that mark too. Absent: restored articles stay user-filed.
   */
  userFiled?: number[]
}

/** Why a category or tag edit was refused; stable codes for programs, messages for people. */
export type TaxonomyErrorCode =
  'invalid-name' | 'duplicate-name' | 'not-found' | 'invalid-merge' | 'invalid-snapshot'
