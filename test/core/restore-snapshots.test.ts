// Undo hands deleted things back through the API (IPC, HTTP): restoreCategory,
// restoreAnnotation and restoreCollection take a snapshot from outside. It must be one the
// delete could have made: a category tree whose parents agree with the paths, times Gleaner
// wrote, names Gleaner accepts. Checked through dispatch, as the window and the web preview call.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatchSettled } from '../../src/shared/validate'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { SEED_FILE, tempDir } from '../helpers/corpus'

let svc: GleanerService
let cleanup: () => void
beforeEach(async () => {
  const t = tempDir('gleaner-snapshots-')
  cleanup = t.cleanup
  svc = createGleanerService({ libraryPath: join(t.dir, 'library.db') })
  await svc.importPaths([SEED_FILE])
})
afterEach(() => {
  svc.close()
  cleanup()
})

const codeOf = async (method: string, args: unknown[]): Promise<string> => {
  const o = await dispatchSettled(svc, method, args)
  return o.ok ? 'accepted' : o.error.code
}

const tree = (): unknown =>
  svc.db.prepare('SELECT id, parent_id, path FROM categories ORDER BY id').all()

describe('restoreCategory', () => {
  it('refuses a parent that disagrees with the path, and the tree stays as it was', async () => {
    const before = tree()
    const bad = {
      categories: [
        { id: 50, parentId: null, name: 'A', path: ['A'] },
        // Says it is below A, while its path puts it below B.
        { id: 51, parentId: 50, name: 'C', path: ['B', 'C'] }
      ],
      links: [],
      userFiled: []
    }
    expect(await codeOf('restoreCategory', [bad])).toBe('invalid-snapshot')
    const orphan = {
      categories: [
        { id: 50, parentId: null, name: 'A', path: ['A'] },
        { id: 51, parentId: 77, name: 'C', path: ['A', 'C'] }
      ],
      links: []
    }
    expect(await codeOf('restoreCategory', [orphan])).toBe('invalid-snapshot')
    const outside = {
      categories: [
        { id: 50, parentId: null, name: 'A', path: ['A'] },
        { id: 51, parentId: 50, name: 'X', path: ['Z', 'X'] }
      ],
      links: []
    }
    expect(await codeOf('restoreCategory', [outside])).toBe('invalid-snapshot')
    expect(tree()).toEqual(before)
  })

  it('still puts back what deleteCategory returned, parents agreeing with paths', async () => {
    const [top] = await svc.categories()
    const snapshot = await svc.deleteCategory(top?.id as number)
    expect(snapshot.categories.length).toBeGreaterThan(1)
    expect(await codeOf('restoreCategory', [snapshot])).toBe('accepted')
    const rows = tree() as { id: number; parent_id: number | null; path: string }[]
    for (const r of rows) {
      const parentPath = r.path.split('\u001f').slice(0, -1).join('\u001f')
      const parent = rows.find((p) => p.id === r.parent_id)
      expect(parent?.path ?? '', r.path).toBe(parentPath)
    }
  })
})

describe('restoreAnnotation and restoreCollection', () => {
  const badTimes = [
    'yesterday-ish',
    '2021-07-26 12:03',
    '2026-02-30T00:00:00.000Z',
    '2999-01-01T00:00:00.000Z'
  ]

  it('refuse a creation time Gleaner did not write; accept the one it did', async () => {
    const note = await svc.createAnnotation({ articleId: 1, note: '要点' })
    const deleted = await svc.deleteAnnotation(note.id)
    for (const createdAt of badTimes)
      expect(await codeOf('restoreAnnotation', [{ ...deleted, createdAt }]), createdAt).toBe(
        'invalid-input'
      )
    expect(await svc.listAnnotations(1)).toEqual([])
    expect(await codeOf('restoreAnnotation', [deleted])).toBe('accepted')
    expect((await svc.listAnnotations(1))[0]?.createdAt).toBe(note.createdAt)

    const c = await svc.createCollection('简报', null)
    const gone = await svc.deleteCollection(c.id)
    for (const createdAt of badTimes)
      expect(await codeOf('restoreCollection', [{ ...gone, createdAt }]), createdAt).toBe(
        'invalid-snapshot'
      )
    expect(await codeOf('restoreCollection', [{ ...gone, name: '   ' }])).toBe('invalid-name')
    expect(await svc.listCollections()).toEqual([])
    expect(await codeOf('restoreCollection', [gone])).toBe('accepted')
    expect((await svc.listCollections())[0]).toMatchObject({ name: '简报', createdAt: c.createdAt })
  })
})
