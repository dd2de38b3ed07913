// File › Open Library… and Open Recent Library (src/main/library-choice.ts and the menu): the
// chosen file is the one the app opens next, the recent list keeps the newest first without
// repeats and at most MAX_RECENT_LIBRARIES, an unreadable or hostile file is no choice; the
// menu offers the recent files (the open one left out) in both languages.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import {
  chooseLibrary,
  loadLibraryChoice,
  MAX_RECENT_LIBRARIES
} from '../../src/main/library-choice'
import { menuTemplate } from '../../src/main/menu'
import { tempDir } from '../helpers/corpus'

const t = tempDir('gleaner-library-choice-')
afterAll(() => t.cleanup())

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [
    i,
    ...(Array.isArray(i.submenu) ? flatten(i.submenu as MenuItemConstructorOptions[]) : [])
  ])
}

describe('the library the app opens', () => {
  it('remembers the chosen file first among the recent ones, without repeats, up to the cap', () => {
    const file = join(t.dir, 'a', 'library-choice.json')
    expect(loadLibraryChoice(file)).toEqual({ current: null, recent: [] })
    chooseLibrary(file, '/home/li/desk.db')
    chooseLibrary(file, '/home/li/personal.db')
    const again = chooseLibrary(file, '/home/li/desk.db')
    expect(again).toEqual({
      current: '/home/li/desk.db',
      recent: ['/home/li/desk.db', '/home/li/personal.db']
    })
    expect(loadLibraryChoice(file)).toEqual(again)
    for (let i = 0; i < MAX_RECENT_LIBRARIES + 3; i++) chooseLibrary(file, `/libs/${i}.db`)
    const full = loadLibraryChoice(file)
    expect(full.recent).toHaveLength(MAX_RECENT_LIBRARIES)
    expect(full.recent[0]).toBe(`/libs/${MAX_RECENT_LIBRARIES + 2}.db`)
    expect(() => chooseLibrary(file, 'relative.db')).toThrow(/absolute/)
  })

  it('an unreadable, oversized or hostile file is no choice: the default library opens', () => {
    const file = join(t.dir, 'b.json')
    for (const body of [
      '{broken',
      JSON.stringify({ current: 'relative.db', recent: ['x', 42, '/ok.db', '/ok.db'] }),
      ' '.repeat(70 * 1024)
    ]) {
      writeFileSync(file, body)
      const choice = loadLibraryChoice(file)
      expect(choice.current).toBeNull()
      expect(choice.recent.every((p) => p.startsWith('/'))).toBe(true)
      expect(new Set(choice.recent).size).toBe(choice.recent.length)
    }
  })

  it('File offers Open Library… and the recent files, in English and Chinese', () => {
    const opened: string[] = []
    let asked = 0
    const actions = {
      send: () => {},
      pickImportPaths: async () => null,
      openLibrary: () => void asked++,
      openRecent: (p: string) => void opened.push(p)
    }
    const en = flatten(menuTemplate(actions, 'linux', 'en', undefined, false, ['/home/li/desk.db']))
    const open = en.find((i) => i.id === 'openLibrary')!
    expect(open.label).toBe('Open Library…')
    ;(open.click as () => void)()
    expect(asked).toBe(1)
    const recent = en.find((i) => i.id === 'openRecent')!
    const entry = (recent.submenu as MenuItemConstructorOptions[])[0]!
    expect(entry.label).toBe('/home/li/desk.db')
    ;(entry.click as () => void)()
    expect(opened).toEqual(['/home/li/desk.db'])
    const zh = flatten(menuTemplate(actions, 'linux', 'zh'))
    expect(zh.find((i) => i.id === 'openLibrary')!.label).toBe('打开资料库…')
    const none = (
      zh.find((i) => i.id === 'openRecent')!.submenu as MenuItemConstructorOptions[]
    )[0]!
    expect(none).toMatchObject({ label: '还没有其他资料库', enabled: false })
  })
})
