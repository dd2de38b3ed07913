// The application menu's template, on Node with 'electron' mocked: every menu command has one
// item, each item sends its command to the window over the event channel, the window's own
// single keys are shown but not registered, and Import… sends the paths picked in the dialog.
import { describe, expect, it, vi } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import { IPC_EVENT_CHANNEL, MENU_COMMANDS, type MenuCommandEvent } from '../../src/shared/api'

vi.mock('electron', () => ({
  ipcMain: { handle: vi.fn(), removeHandler: vi.fn() }
}))

const { menuTemplate } = await import('../../src/main/menu')
const { sendEvent } = await import('../../src/main/ipc')

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? flatten(item.submenu as MenuItemConstructorOptions[]) : [])
  ])
}

function setup(picked: string[] | null = ['/tmp/a.md', '/tmp/folder']) {
  const sent: MenuCommandEvent[] = []
  const actions = {
    send: vi.fn((event: MenuCommandEvent) => void sent.push(event)),
    pickImportPaths: vi.fn(async () => picked)
  }
  return { sent, actions, items: flatten(menuTemplate(actions, 'linux')) }
}

const click = (item: MenuItemConstructorOptions): void => (item.click as unknown as () => void)()

describe('application menu', () => {
  it('has one item per menu command, each sending exactly its command', () => {
    const { items, sent } = setup()
    for (const command of MENU_COMMANDS) {
      const found = items.filter((item) => item.id === command)
      expect(found, command).toHaveLength(1)
      if (command === 'import') continue
      sent.length = 0
      click(found[0]!)
      expect(sent).toEqual([{ command }])
    }
  })

  it('gives the common commands their accelerators; single keys stay the window’s', () => {
    const { items } = setup()
    const byId = new Map(items.filter((i) => i.id).map((i) => [i.id, i]))
    expect(byId.get('find')?.accelerator).toBe('CmdOrCtrl+F')
    expect(byId.get('import')?.accelerator).toBe('CmdOrCtrl+O')
    expect(byId.get('export')?.accelerator).toBe('CmdOrCtrl+E')
    expect(byId.get('textLarger')?.accelerator).toBe('CmdOrCtrl+Plus')
    expect(byId.get('textReset')?.accelerator).toBe('CmdOrCtrl+0')
    for (const item of items) {
      const key = String(item.accelerator ?? '')
      if (!key) continue
      // A plain key registered with the menu would fire while the user types in a field.
      const plain = !/CmdOrCtrl|Ctrl|Cmd|Alt|Super/.test(key)
      expect(item.registerAccelerator === false, `${item.id} ${key}`).toBe(plain)
    }
    expect(byId.get('nextArticle')?.accelerator).toBe('J')
    expect(byId.get('toggleStar')?.accelerator).toBe('S')
    expect(byId.get('deleteArticles')?.accelerator).toBe('Delete')
  })

  it('Edit › Undo and Redo name the change they would revert, and send it to the window', () => {
    const sent: MenuCommandEvent[] = []
    const actions = {
      send: (e: MenuCommandEvent) => void sent.push(e),
      pickImportPaths: vi.fn(),
      reclean: vi.fn()
    }
    const plain = flatten(menuTemplate(actions, 'linux', 'en'))
    expect(plain.find((i) => i.id === 'undo')?.label).toBe('Undo')
    const named = flatten(
      menuTemplate(actions, 'linux', 'zh', { undo: '撤销添加标签', redo: '重做删除' })
    )
    const undo = named.find((i) => i.id === 'undo')!
    expect(undo.label).toBe('撤销添加标签')
    expect(undo.accelerator).toBe('CmdOrCtrl+Z')
    expect(named.find((i) => i.id === 'redo')?.label).toBe('重做删除')
    // Not Electron's text-editing role: the library's undo, which the window runs.
    expect(undo.role).toBeUndefined()
    click(undo)
    expect(sent).toEqual([{ command: 'undo' }])
  })

  it('Import… sends the paths picked in the dialog, and nothing when it is cancelled', async () => {
    const picked = setup()
    click(picked.items.find((i) => i.id === 'import')!)
    await vi.waitFor(() =>
      expect(picked.sent).toEqual([{ command: 'import', paths: ['/tmp/a.md', '/tmp/folder'] }])
    )
    const cancelled = setup(null)
    click(cancelled.items.find((i) => i.id === 'import')!)
    expect(cancelled.actions.pickImportPaths).toHaveBeenCalledTimes(1)
    // The menu's reaction to the dialog's answer was attached to this promise before ours, so
    // once we resume it has run: nothing sent by then means nothing is sent.
    await cancelled.actions.pickImportPaths.mock.results[0]?.value
    expect(cancelled.sent).toEqual([])
  })

  it('opens the window’s Re-clean dialog from File, and has the app menu on macOS only', () => {
    const { items, sent } = setup()
    click(items.find((i) => i.label === 'Re-clean Articles…')!)
    expect(sent).toEqual([{ command: 'reclean' }])
    expect(items.some((i) => i.role === 'appMenu')).toBe(false)
    expect(items.some((i) => i.role === 'quit')).toBe(true)
    const mac = flatten(menuTemplate(setup().actions, 'darwin'))
    expect(mac.some((i) => i.role === 'appMenu')).toBe(true)
    expect(mac.some((i) => i.role === 'close')).toBe(true)
  })

  it('delivers a command to the window on the event channel the preload listens on', () => {
    const send = vi.fn()
    const win = { isDestroyed: () => false, webContents: { send } }
    sendEvent(win as never, 'menuCommand', { command: 'toggleStar' })
    expect(send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, 'menuCommand', { command: 'toggleStar' })
    send.mockClear()
    sendEvent({ isDestroyed: () => true, webContents: { send } } as never, 'menuCommand', {
      command: 'find'
    })
    sendEvent(undefined, 'menuCommand', { command: 'find' })
    expect(send).not.toHaveBeenCalled()
  })
})
