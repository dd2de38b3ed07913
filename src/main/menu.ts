// The application menu. Its article, reader and find items send a menuCommand event to the
// window, which runs the same handler as its own keys; the template is built here, apart from
// Electron's Menu, so a test can check every item without Electron. Every label comes from
// the shell's string table in the window's language; ids, roles and accelerators do not change
// with it.
import type { MenuItemConstructorOptions } from 'electron'
import type { MenuCommand, MenuCommandEvent } from '../shared/api'
import type { Locale } from '../shared/first-paint'
import { shellStrings } from './shell-strings'

export interface MenuActions {
  /** Delivers a command to the window (the menuCommand event). */
  send(event: MenuCommandEvent): void
  /** The native open dialog; null when cancelled. */
  pickImportPaths(): Promise<string[] | null>
  /** Asks for another library file and opens it (the app restarts on it). */
  openLibrary?(): void
  /** Opens one of the recent library files. */
  openRecent?(path: string): void
}

/**
 * Keys the window handles itself (j/k, s, u, Delete…) are shown beside their items but not
 * registered with the menu: a registered plain key would fire while the user types in a field.
 */
interface CommandItem {
  command: Exclude<MenuCommand, 'import'>
  label: string
  accelerator?: string
  /** The window already handles this key (see above). */
  windowKey?: boolean
}

function commandItem(actions: MenuActions, item: CommandItem): MenuItemConstructorOptions {
  return {
    id: item.command,
    label: item.label,
    ...(item.accelerator ? { accelerator: item.accelerator } : {}),
    ...(item.windowKey ? { registerAccelerator: false } : {}),
    click: () => actions.send({ command: item.command })
  }
}

/**
 * The menu in `locale`. Role items get their labels here too: Electron's defaults for them are
 * English only. Their roles (and so their accelerators and actions) are Electron's.
 */
export function menuTemplate(
  actions: MenuActions,
  platform: NodeJS.Platform = process.platform,
  locale: Locale = 'en',
  /** What Undo and Redo would do now ("Undo Add Tag"), from the library's change log. */
  history: { undo: string | null; redo: string | null } = { undo: null, redo: null },
  /** Developer tools in the View menu: in development only (a packaged app has none). */
  devTools = false,
  /** Library files opened before, the newest first (library-choice.ts); the open one excluded. */
  recent: readonly string[] = []
): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin'
  const s = shellStrings(locale)
  const command = (item: CommandItem): MenuItemConstructorOptions => commandItem(actions, item)
  return [
    ...(isMac
      ? [
          {
            role: 'appMenu' as const,
            // Electron's own submenu for this role, with labels.
            submenu: [
              { role: 'about', label: s.about },
              { type: 'separator' },
              { role: 'services', label: s.services },
              { type: 'separator' },
              { role: 'hide', label: s.hide },
              { role: 'hideOthers', label: s.hideOthers },
              { role: 'unhide', label: s.unhide },
              { type: 'separator' },
              { role: 'quit', label: s.quitApp }
            ] satisfies MenuItemConstructorOptions[]
          }
        ]
      : []),
    {
      label: s.fileMenu,
      submenu: [
        {
          id: 'import',
          label: s.import,
          accelerator: 'CmdOrCtrl+O',
          click: () => {
            void actions.pickImportPaths().then((paths) => {
              if (paths && paths.length) actions.send({ command: 'import', paths })
            })
          }
        },
        command({ command: 'export', label: s.export, accelerator: 'CmdOrCtrl+E' }),
        { type: 'separator' },
        // Several library files (a personal one, a team library's copy…): one open at a time.
        {
          id: 'openLibrary',
          label: s.openLibrary,
          accelerator: 'CmdOrCtrl+Shift+O',
          click: () => actions.openLibrary?.()
        },
        {
          id: 'openRecent',
          label: s.openRecent,
          submenu: recent.length
            ? recent.map((path) => ({ label: path, click: () => actions.openRecent?.(path) }))
            : [{ label: s.openRecentNone, enabled: false }]
        },
        { type: 'separator' },
        // The window's Re-clean dialog: its progress and Cancel, as from the Library menu.
        command({ command: 'reclean', label: s.reclean }),
        { type: 'separator' },
        isMac
          ? { role: 'close', label: s.closeWindow }
          : { role: 'quit', label: platform === 'win32' ? s.exit : s.quit }
      ]
    },
    {
      label: s.editMenu,
      submenu: [
        // The library's undo (the window does a text field's own undo while one has focus).
        command({ command: 'undo', label: history.undo ?? s.undo, accelerator: 'CmdOrCtrl+Z' }),
        command({
          command: 'redo',
          label: history.redo ?? s.redo,
          accelerator: platform === 'win32' ? 'Ctrl+Y' : 'Shift+CmdOrCtrl+Z'
        }),
        { type: 'separator' },
        { role: 'cut', label: s.cut },
        { role: 'copy', label: s.copy },
        { role: 'paste', label: s.paste },
        { role: 'selectAll', label: s.selectAll },
        { type: 'separator' },
        command({ command: 'find', label: s.find, accelerator: 'CmdOrCtrl+F' })
      ]
    },
    {
      label: s.articleMenu,
      submenu: [
        command({
          command: 'nextArticle',
          label: s.nextArticle,
          accelerator: 'J',
          windowKey: true
        }),
        command({
          command: 'previousArticle',
          label: s.previousArticle,
          accelerator: 'K',
          windowKey: true
        }),
        command({
          command: 'openArticle',
          label: s.openArticle,
          accelerator: 'Enter',
          windowKey: true
        }),
        { type: 'separator' },
        command({
          command: 'toggleRead',
          label: s.toggleRead,
          accelerator: 'U',
          windowKey: true
        }),
        command({ command: 'toggleStar', label: s.toggleStar, accelerator: 'S', windowKey: true }),
        { type: 'separator' },
        command({
          command: 'deleteArticles',
          label: s.deleteArticles,
          accelerator: 'Delete',
          windowKey: true
        })
      ]
    },
    {
      label: s.viewMenu,
      submenu: [
        command({
          command: 'toggleOriginal',
          label: s.toggleOriginal,
          accelerator: 'CmdOrCtrl+Shift+O'
        }),
        { type: 'separator' },
        command({ command: 'textLarger', label: s.textLarger, accelerator: 'CmdOrCtrl+Plus' }),
        command({ command: 'textSmaller', label: s.textSmaller, accelerator: 'CmdOrCtrl+-' }),
        command({ command: 'textReset', label: s.textReset, accelerator: 'CmdOrCtrl+0' }),
        { type: 'separator' },
        { role: 'togglefullscreen', label: s.toggleFullScreen },
        ...(devTools
          ? ([
              { role: 'toggleDevTools', label: s.toggleDevTools }
            ] satisfies MenuItemConstructorOptions[])
          : [])
      ]
    },
    {
      role: 'windowMenu',
      label: s.windowMenu,
      // Electron's own submenu for this role, with labels.
      submenu: [
        { role: 'minimize', label: s.minimize },
        { role: 'zoom', label: s.zoom },
        ...(isMac
          ? ([
              { type: 'separator' },
              { role: 'front', label: s.front }
            ] satisfies MenuItemConstructorOptions[])
          : ([{ role: 'close', label: s.close }] satisfies MenuItemConstructorOptions[]))
      ]
    }
  ]
}
