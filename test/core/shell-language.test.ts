// The Electron shell in both languages, on Node with 'electron' mocked as in menu.test.ts: the
// string table covers both, the menu in 简体中文 is the English one with other words (same
// ids, roles, accelerators and commands), the export dialogs' titles follow, and the channel
// the window uses to switch refuses strangers and anything but 'en' or 'zh'.
import { pathToFileURL } from 'node:url'
import { join, resolve } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import {
  IPC_SHELL_LANGUAGE_CHANNEL,
  MENU_COMMANDS,
  type MenuCommandEvent
} from '../../src/shared/api'

const electron = vi.hoisted(() => ({
  ipcMain: { handle: vi.fn(), removeHandler: vi.fn() }
}))
vi.mock('electron', () => electron)

const { menuTemplate } = await import('../../src/main/menu')
const { bindShellLanguage } = await import('../../src/main/ipc')
const { saveDialogCall } = await import('../../src/main/save-dialog')
const { SHELL_STRINGS, parseShellLocale, shellStrings } =
  await import('../../src/main/shell-strings')
const { localeOf } = await import('../../src/host/prerendered-index')

const CJK = /\p{Script=Han}/u
const PLATFORMS = ['linux', 'win32', 'darwin'] as const

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? flatten(item.submenu as MenuItemConstructorOptions[]) : [])
  ])
}

function menu(locale: 'en' | 'zh', platform: NodeJS.Platform) {
  const sent: MenuCommandEvent[] = []
  const actions = {
    send: vi.fn((event: MenuCommandEvent) => void sent.push(event)),
    pickImportPaths: vi.fn(async () => ['/tmp/a.md'])
  }
  return { sent, actions, items: flatten(menuTemplate(actions, platform, locale)) }
}

const click = (item: MenuItemConstructorOptions): void => (item.click as unknown as () => void)()

/** What must not change with the language: everything but the label. */
function shape(item: MenuItemConstructorOptions) {
  return {
    id: item.id,
    role: item.role,
    type: item.type,
    accelerator: item.accelerator,
    registerAccelerator: item.registerAccelerator,
    hasClick: typeof item.click === 'function',
    submenu: Array.isArray(item.submenu) ? item.submenu.length : undefined
  }
}

describe('the shell’s string table', () => {
  it('has every string in both languages, translated, with the same placeholders', () => {
    const keys = Object.keys(SHELL_STRINGS.en).sort()
    expect(Object.keys(SHELL_STRINGS.zh).sort()).toEqual(keys)
    const placeholders = (text: string): string[] => (text.match(/\{\w+\}/gu) ?? []).sort()
    for (const key of keys as (keyof typeof SHELL_STRINGS.en)[]) {
      const en = SHELL_STRINGS.en[key]
      const zh = SHELL_STRINGS.zh[key]
      expect(en.trim(), key).not.toBe('')
      expect(zh, key).not.toBe(en)
      expect(zh, key).toMatch(CJK)
      expect(en, key).not.toMatch(CJK)
      expect(placeholders(zh), key).toEqual(placeholders(en))
      // A mnemonic in the Chinese title is the Windows "(&X)" form, the same letter as English.
      const mnemonic = /&(\w)/u.exec(en)?.[1]
      if (mnemonic) expect(zh, key).toMatch(new RegExp(`\\(&${mnemonic}\\)$`, 'u'))
      else expect(zh, key).not.toContain('&')
    }
  })

  it('picks the language by the renderer’s rule: any zh* is Chinese', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-TW', 'zh-Hans-CN', 'ZH-hk'])
      expect(shellStrings(localeOf([tag])).import, tag).toBe('导入…')
    for (const tag of ['en-US', 'en', 'de-DE', 'ja', ''])
      expect(shellStrings(localeOf([tag])).import, tag).toBe('Import…')
  })

  it('accepts only en and zh as a language', () => {
    expect(parseShellLocale('en')).toBe('en')
    expect(parseShellLocale('zh')).toBe('zh')
    for (const bad of ['zh-CN', 'EN', 'fr', '', null, undefined, 1, ['zh'], { locale: 'zh' }])
      expect(() => parseShellLocale(bad), JSON.stringify(bad)).toThrow(/setShellLanguage/u)
  })
})

describe('the application menu in 简体中文', () => {
  it('labels every item in Chinese, on every platform', () => {
    for (const platform of PLATFORMS) {
      for (const item of menu('zh', platform).items) {
        if (item.type === 'separator') continue
        // macOS shows the app's name as the app menu's title, whatever it is given.
        if (item.role === 'appMenu') continue
        expect(item.label, `${platform} ${item.id ?? item.role}`).toMatch(CJK)
      }
    }
  })

  it('labels every item in English in English, role items included', () => {
    for (const platform of PLATFORMS) {
      for (const item of menu('en', platform).items) {
        if (item.type === 'separator' || item.role === 'appMenu') continue
        expect(item.label, `${platform} ${item.id ?? item.role}`).toMatch(/^[\x20-\x7e…]+$/u)
      }
    }
    const byRole = (platform: NodeJS.Platform, role: string) =>
      menu('en', platform).items.find((i) => i.role === role)?.label
    // Electron's own English labels for these roles, per platform.
    expect(byRole('linux', 'quit')).toBe('Quit')
    expect(byRole('win32', 'quit')).toBe('Exit')
    expect(byRole('darwin', 'quit')).toBe('Quit Gleaner')
    expect(byRole('darwin', 'close')).toBe('Close Window')
  })

  it('has the same items, ids, roles and accelerators as the English menu', () => {
    for (const platform of PLATFORMS) {
      const en = menu('en', platform).items
      const zh = menu('zh', platform).items
      expect(zh.map(shape), platform).toEqual(en.map(shape))
      for (const [i, item] of en.entries()) {
        if (item.type === 'separator') continue
        // Translated: no label is left in English.
        if (item.label !== undefined) expect(zh[i]?.label, String(item.label)).not.toBe(item.label)
      }
    }
  })

  it('sends the same command from each item as in English', async () => {
    const zh = menu('zh', 'linux')
    for (const command of MENU_COMMANDS) {
      const found = zh.items.filter((item) => item.id === command)
      expect(found, command).toHaveLength(1)
      zh.sent.length = 0
      click(found[0]!)
      if (command === 'import')
        await vi.waitFor(() => expect(zh.sent).toEqual([{ command, paths: ['/tmp/a.md'] }]))
      else expect(zh.sent).toEqual([{ command }])
    }
    zh.sent.length = 0
    click(zh.items.find((i) => i.label === '重新清理文章…')!)
    expect(zh.sent).toEqual([{ command: 'reclean' }])
  })

  it('gives the top menus their Windows mnemonics in the Chinese way', () => {
    const tops = menuTemplate(menu('zh', 'linux').actions, 'linux', 'zh').map((i) => i.label)
    expect(tops).toEqual(['文件(&F)', '编辑(&E)', '文章(&A)', '查看(&V)', '窗口(&W)'])
  })
})

describe('the export dialogs in 简体中文', () => {
  const file = {
    defaultName: '简报.html',
    folder: false,
    filters: [{ name: 'HTML', extensions: ['html'] }]
  }

  it('titles the save dialog and the folder picker in the language asked for', () => {
    const zhFile = saveDialogCall(file, '/docs', 'zh')
    expect(zhFile.options.title).toBe('导出')
    expect(zhFile.options.defaultPath).toBe(join('/docs', '简报.html'))
    expect(zhFile.kind === 'file' && zhFile.options.filters).toEqual(file.filters)
    const zhFolder = saveDialogCall({ ...file, folder: true, filters: [] }, '/docs', 'zh')
    expect(zhFolder.options).toMatchObject({ title: '导出到文件夹', buttonLabel: '导出到此处' })
    const enFolder = saveDialogCall({ ...file, folder: true, filters: [] }, '/docs', 'en')
    expect(enFolder.options).toMatchObject({
      title: 'Export into folder',
      buttonLabel: 'Export Here'
    })
    // Apart from the words, the dialogs are the same.
    const { title: _t1, ...zhRest } = zhFile.options
    const { title: _t2, ...enRest } = saveDialogCall(file, '/docs', 'en').options
    expect(zhRest).toEqual(enRest)
  })
})

describe('the shell language channel', () => {
  const RENDERER_URL = pathToFileURL(resolve(__dirname, '../../src/renderer/index.html')).href

  function bind() {
    electron.ipcMain.handle.mockClear()
    const applied: string[] = []
    const unbind = bindShellLanguage(RENDERER_URL, (locale) => void applied.push(locale))
    const [channel, handler] = electron.ipcMain.handle.mock.calls.at(-1) as [
      string,
      (...args: unknown[]) => unknown
    ]
    const call = (url: string | undefined, locale: unknown): Promise<unknown> =>
      Promise.resolve().then(() =>
        handler({ senderFrame: url === undefined ? null : { url } }, locale)
      )
    return { channel, call, applied, unbind }
  }

  it('switches the shell for Gleaner’s own window', async () => {
    const { channel, call, applied } = bind()
    expect(channel).toBe(IPC_SHELL_LANGUAGE_CHANNEL)
    await call(RENDERER_URL, 'zh')
    await call(`${RENDERER_URL}#reader`, 'en')
    expect(applied).toEqual(['zh', 'en'])
  })

  it('refuses other senders without switching', async () => {
    const { call, applied } = bind()
    for (const url of ['https://evil.example/', 'file:///tmp/evil.html', 'about:blank', undefined])
      await expect(call(url, 'zh'), String(url)).rejects.toThrow(/refused/u)
    expect(applied).toEqual([])
  })

  it('refuses anything but en or zh without switching', async () => {
    const { call, applied } = bind()
    for (const bad of ['zh-CN', 'fr', '', 'EN', null, undefined, 0, ['zh'], { locale: 'zh' }])
      await expect(call(RENDERER_URL, bad), JSON.stringify(bad)).rejects.toThrow(
        /setShellLanguage/u
      )
    expect(applied).toEqual([])
  })

  it('unbinds its channel', () => {
    const { unbind } = bind()
    electron.ipcMain.removeHandler.mockClear()
    unbind()
    expect(electron.ipcMain.removeHandler).toHaveBeenCalledWith(IPC_SHELL_LANGUAGE_CHANNEL)
  })
})
