// Titles and file names from users' files reach the terminal through the real `gleaner` process:
// none of the characters a terminal acts on (ESC, C1, lone CR, DEL, bidi overrides) may arrive
// raw, in human output, failure lines or --json; --json keeps the exact values.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SEED_FILE, tempDir } from '../helpers/corpus'
import { styledLine, terminalSafe } from '../../src/cli/terminal'

const ROOT = resolve(__dirname, '../..')
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
const t = tempDir('gleaner-cli-term-')
const LIB = join(t.dir, 'lib.db')
const FILES = join(t.dir, 'files')

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [TSX, join(ROOT, 'src/cli/main.ts'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, GLEANER_LIBRARY: LIB },
    maxBuffer: 64 * 1024 * 1024
  })
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
}

// What an attacker puts in a title: set the window title (OSC 0, ended by BEL), clear the
// screen (CSI 2J), a link whose target is not its text (OSC 8, ended by ST), the same CSI in its
// 8-bit C1 form, DEL and a right-to-left override. (A CR in a title is made a space on import.)
const HOSTILE =
  '进博会\u001b]0;pwned\u0007 \u001b[2J\u001b]8;;https://evil.example/\u001b\\https://gov.cn\u001b]8;;\u001b\\' +
  ' \u009b31m red \u007f fake \u202etxt.exe'
// Raw, a terminal acts on any of these.
const ACTIVE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/u

beforeAll(() => {
  // The seed article with the hostile title in its front matter (YAML's own escapes).
  mkdirSync(FILES)
  const seed = readFileSync(SEED_FILE, 'utf8')
  const yamlTitle = JSON.stringify(HOSTILE) // JSON string escapes are valid YAML double-quoted escapes
  writeFileSync(join(FILES, 'hostile.md'), seed.replace(/^title: .*$/mu, `title: ${yamlTitle}`))
  // A file that fails to import, whose name carries a title-setting sequence.
  writeFileSync(join(FILES, 'empty\u001b]0;owned\u0007.md'), '')
})
afterAll(() => t.cleanup())

describe('CLI output is safe for a terminal', () => {
  it('import failure lines, list, search and show print no active characters, but show them escaped', () => {
    const imported = cli('import', FILES)
    expect(imported.code).toBe(0)
    expect(imported.out).toMatch(/failed: .*empty\\u001b\]0;owned\\u0007\.md/u)
    const outputs = {
      import: imported.out + imported.err,
      list: cli('list').out,
      search: cli('search', '进博会').out,
      show: cli('show', '1').out
    }
    for (const [command, text] of Object.entries(outputs)) {
      expect(text, command).not.toMatch(ACTIVE)
    }
    for (const command of ['list', 'search', 'show'] as const) {
      const text = outputs[command]
      expect(text, command).toContain('\\u001b]0;pwned\\u0007')
      expect(text, command).toContain('\\u009b31m')
      expect(text, command).toContain('\\u007f fake')
      expect(text, command).toContain('\\u202etxt.exe')
    }
  })

  it('--json stays valid JSON with the exact title, and free of raw C1 and bidi controls', () => {
    const listed = cli('list', '--json')
    expect(listed.out).not.toMatch(ACTIVE)
    const page = JSON.parse(listed.out) as { items: { title: string }[] }
    expect(page.items.map((i) => i.title)).toContain(HOSTILE)
    const shown = cli('show', '1', '--json')
    expect(shown.out).not.toMatch(ACTIVE)
    expect((JSON.parse(shown.out) as { title: string }).title).toBe(HOSTILE)
  })

  it('errors name the offending input safely', () => {
    const r = cli('show', '\u001b[2J')
    expect(r.code).toBe(1)
    expect(r.err).toContain('\\u001b[2J')
    expect(r.err).not.toMatch(ACTIVE)
  })

  it('keeps tabs, line ends and CRLF, and highlights with reverse video only on a terminal', () => {
    expect(terminalSafe('a\tb\nc\r\nd')).toBe('a\tb\nc\r\nd')
    expect(terminalSafe('12345\rfake')).toBe('12345\\u000dfake')
    expect(styledLine(['x ', { mark: 'y\u001b' }], true)).toBe('x \u001b[7my\\u001b\u001b[27m')
    expect(styledLine(['x ', { mark: 'y' }], false)).toBe('x «y»')
  })
})
