import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState } from '../../src/main/window-state'
import { tempDir } from '../helpers/corpus'

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }]

describe('remembered window bounds', () => {
  it('round-trips through the file', () => {
    const t = tempDir()
    const file = join(t.dir, 'nested', 'window-state.json')
    saveWindowState(file, { x: 100, y: 80, width: 1400, height: 900, maximized: true })
    expect(loadWindowState(file, screen)).toEqual({
      x: 100,
      y: 80,
      width: 1400,
      height: 900,
      maximized: true
    })
    t.cleanup()
  })

  it('falls back to defaults for a missing or corrupt file, and drops positions off every display', () => {
    const t = tempDir()
    const file = join(t.dir, 'w.json')
    expect(loadWindowState(file, screen)).toEqual(DEFAULT_WINDOW_STATE)
    writeFileSync(file, '{not json')
    expect(loadWindowState(file, screen)).toEqual(DEFAULT_WINDOW_STATE)
    writeFileSync(file, JSON.stringify({ x: 5000, y: 20, width: 10, height: 10, maximized: false }))
    // Off-screen position dropped; too-small size raised to the minimum.
    expect(loadWindowState(file, screen)).toEqual({ width: 720, height: 480, maximized: false })
    t.cleanup()
  })
})
