// The banner a damaged library shows, from what the real service reports about a real library
// whose schema page was overwritten (damagedLibrary.ts, in a Node child process), in both
// languages: what SQLite found, the backups, and the command that restores the newest.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { render, screen } from '@testing-library/svelte'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LibraryDamage } from '../../src/shared/types'
import LibraryDamageBanner from '../../src/renderer/src/components/LibraryDamageBanner.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { IMPORT_TIMEOUT_MS, SEED } from './realLibrary'

const ROOT = resolve(import.meta.dirname, '../..')
let dir: string

function damagedLibrary(name: string, ...flags: string[]): { path: string; damage: LibraryDamage } {
  const path = join(dir, name, 'library.db')
  const out = execFileSync(
    join(ROOT, 'node_modules/.bin/tsx'),
    [join(ROOT, 'test/component/damagedLibrary.ts'), path, SEED, ...flags],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }
  )
  return { path, damage: JSON.parse(out) as LibraryDamage }
}

let withBackup: { path: string; damage: LibraryDamage }
let withoutBackup: { path: string; damage: LibraryDamage }
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gleaner-banner-'))
  withBackup = damagedLibrary('a')
  withoutBackup = damagedLibrary('b', '--no-backup')
}, IMPORT_TIMEOUT_MS)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('LibraryDamageBanner', () => {
  it('says what is wrong and how to restore the newest backup (English)', () => {
    i18n.set('en')
    const { damage, path } = withBackup
    expect(damage.error.code).toBe('library-corrupt')
    render(LibraryDamageBanner, { damage })
    const banner = screen.getByRole('alert')
    expect(screen.getByRole('heading').textContent).toBe('This library is damaged')
    expect(banner.textContent).toContain(path)
    expect(banner.textContent).toContain(damage.problems[0])
    expect(banner.textContent).toContain('read-only')
    const backup = damage.backups[0]?.path as string
    expect(backup).toMatch(/backups\/gleaner-backup-[\d-]+\.db$/u)
    expect(banner.querySelector('li .path')?.textContent).toBe(backup)
    expect(banner.querySelector('code')?.textContent).toBe(`gleaner restore '${backup}'`)
  })

  it('says the same in Chinese, and what to do when there is no backup', () => {
    i18n.set('zh')
    render(LibraryDamageBanner, { damage: withBackup.damage })
    expect(screen.getByRole('heading').textContent).toBe('资料库已损坏')
    expect(screen.getByRole('alert').textContent).toContain('只读')
    document.body.innerHTML = ''
    render(LibraryDamageBanner, { damage: withoutBackup.damage })
    expect(withoutBackup.damage.backups).toEqual([])
    expect(screen.getByRole('alert').textContent).toContain(
      `在 ${withoutBackup.damage.backupsDir} 中没有找到备份`
    )
    expect(screen.getByRole('alert').querySelector('code')).toBeNull()
    i18n.set('en')
  })
})
