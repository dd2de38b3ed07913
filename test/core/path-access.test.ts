// The web preview's rule for typed paths (src/host/path-access.ts RootedAccess), on real
// folders and symlinks: inside the folders it was started with, no hidden file or folder on
// the way, never the library; the Electron rule (PathGrants) is tested through the mocked
// shell (shell-hardening.test.ts).
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PathGrants, RootedAccess } from '../../src/host/path-access'
import { tempDir } from '../helpers/corpus'

const tmp = tempDir('gleaner-paths-')
const root = join(tmp.dir, 'home')
const outside = join(tmp.dir, 'outside')
let access: RootedAccess

beforeAll(() => {
  for (const dir of [root, outside, join(root, 'news'), join(root, '.ssh'), join(root, '.config')])
    mkdirSync(dir, { recursive: true })
  writeFileSync(join(root, 'news', 'a.md'), '# a')
  writeFileSync(join(root, '.ssh', 'id_rsa'), 'key')
  writeFileSync(join(root, '.bashrc'), 'rc')
  writeFileSync(join(outside, 'secret.txt'), 'x')
  symlinkSync(outside, join(root, 'news', 'out-link'))
  symlinkSync(join(root, '.ssh'), join(root, 'keys'))
  access = new RootedAccess([root], join(root, 'library.db'))
})
afterAll(() => tmp.cleanup())

const refusedCode = async (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => undefined,
    (err: { code?: string }) => err.code
  )

describe('the web preview’s typed paths', () => {
  it('reads and writes inside its folders', async () => {
    expect(await access.readable(join(root, 'news'))).toBe(join(root, 'news'))
    expect(await access.readable(join(root, 'news', 'a.md'))).toBe(join(root, 'news', 'a.md'))
    expect(await access.writable(join(root, 'news', 'brief.html'))).toBe(
      join(root, 'news', 'brief.html')
    )
    // A file (or folder) yet to be made, below one that does not exist yet either.
    expect(await access.writable(join(root, 'exports', 'new', 'b.pdf'))).toBe(
      join(root, 'exports', 'new', 'b.pdf')
    )
  })

  it('refuses outside its folders, hidden files and folders, symlinks leading out, the library', async () => {
    const refused = [
      () => access.readable('/etc/passwd'),
      () => access.readable(join(outside, 'secret.txt')),
      () => access.readable(join(root, '..', 'outside', 'secret.txt')),
      () => access.readable(join(root, 'news', 'out-link', 'secret.txt')),
      () => access.readable(join(root, '.ssh', 'id_rsa')),
      () => access.readable(join(root, 'keys', 'id_rsa')),
      () => access.readable(join(root, '.config')),
      () => access.readable('news/a.md'),
      () => access.readable(join(root, 'library.db')),
      () => access.writable(join(root, '.bashrc')),
      () => access.writable(join(root, '.config', 'autostart', 'x.desktop')),
      () => access.writable(join(root, 'library.db')),
      () => access.writable(join(root, 'library.db-wal')),
      () => access.writable(join(outside, 'x.html')),
      () => access.writable(join(root, 'news', 'out-link', 'x.html'))
    ]
    for (const [i, attempt] of refused.entries())
      expect(await refusedCode(attempt()), String(i)).toBe('path-outside-preview')
  })

  it('says which folders are allowed and how to add one', async () => {
    const err = await access.readable('/etc/passwd').catch((e: Error & { params: object }) => e)
    expect(err).toMatchObject({ params: { path: '/etc/passwd', roots: root } })
    expect((err as Error).message).toMatch(/--allow FOLDER/u)
  })
})

describe('the app’s grants', () => {
  it('keeps read and write grants apart and accepts only what was granted', async () => {
    const grants = new PathGrants()
    grants.grantRead(join(root, 'news'))
    grants.grantWrite(join(root, 'brief.html'))
    expect(await grants.readable(join(root, 'news', 'a.md'))).toBe(join(root, 'news', 'a.md'))
    expect(await grants.writable(join(root, 'brief.html'))).toBe(join(root, 'brief.html'))
    for (const attempt of [
      () => grants.writable(join(root, 'news')),
      () => grants.writable(join(root, 'news', 'a.md')),
      () => grants.readable(join(root, 'brief.html')),
      () => grants.readable(join(root, 'news', 'out-link', 'secret.txt')),
      () => grants.readable(root)
    ])
      expect(await refusedCode(attempt())).toBe('path-not-granted')
  })
})
