// Window bounds remembered between runs, in a small JSON file beside the library.
// Pure file logic (no electron import) so it is tested on Node.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export interface WindowState {
  x?: number
  y?: number
  width: number
  height: number
  maximized: boolean
}

export interface Area {
  x: number
  y: number
  width: number
  height: number
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false }
const MIN_WIDTH = 720
const MIN_HEIGHT = 480

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

/**
 * Reads the saved state; anything unreadable or off every display falls back to defaults,
 * so a monitor unplugged since last time never leaves the window out of sight.
 */
export function loadWindowState(file: string, displays: readonly Area[]): WindowState {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return { ...DEFAULT_WINDOW_STATE }
  }
  const s = raw as Partial<Record<keyof WindowState, unknown>>
  if (!finite(s.width) || !finite(s.height)) return { ...DEFAULT_WINDOW_STATE }
  const state: WindowState = {
    width: Math.max(MIN_WIDTH, Math.round(s.width)),
    height: Math.max(MIN_HEIGHT, Math.round(s.height)),
    maximized: s.maximized === true
  }
  if (finite(s.x) && finite(s.y)) {
    const x = Math.round(s.x)
    const y = Math.round(s.y)
    // At least a 100×50 corner of the title bar must be on some display.
    const visible = displays.some(
      (d) => x + 100 > d.x && x < d.x + d.width - 100 && y >= d.y && y < d.y + d.height - 50
    )
    if (visible) Object.assign(state, { x, y })
  }
  return state
}

export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, JSON.stringify(state))
}
