// The application menu. Its article, reader and find items send a menuCommand event to the
// window, which runs the same handler as its own keys; the template is built here, apart from
// Electron's Menu, so a test can check every item without Electron.
import type { MenuItemConstructorOptions } from 'electron'
import type { MenuCommand, MenuCommandEvent } from '../shared/api'

export interface MenuActions {
  /** Delivers a command to the window (the menuCommand event). */
  send(event: MenuCommandEvent): void
  /** The native open dialog; null when cancelled. */
  pickImportPaths(): Promise<string[] | null>
  reclean(): void
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

export function menuTemplate(
  actions: MenuActions,
  platform: NodeJS.Platform = process.platform
): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin'
  const command = (item: CommandItem): MenuItemConstructorOptions => commandItem(actions, item)
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        {
          id: 'import',
          label: 'Import…',
          accelerator: 'CmdOrCtrl+O',
          click: () => {
            void actions.pickImportPaths().then((paths) => {
              if (paths && paths.length) actions.send({ command: 'import', paths })
            })
          }
        },
        command({ command: 'export', label: 'Export…', accelerator: 'CmdOrCtrl+E' }),
        { type: 'separator' },
        { label: 'Re-clean Articles…', click: () => actions.reclean() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' }
      ]
    },
    {
      label: '&Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        command({ command: 'find', label: 'Find', accelerator: 'CmdOrCtrl+F' })
      ]
    },
    {
      label: '&Article',
      submenu: [
        command({ command: 'nextArticle', label: 'Next', accelerator: 'J', windowKey: true }),
        command({
          command: 'previousArticle',
          label: 'Previous',
          accelerator: 'K',
          windowKey: true
        }),
        command({ command: 'openArticle', label: 'Open', accelerator: 'Enter', windowKey: true }),
        { type: 'separator' },
        command({
          command: 'toggleRead',
          label: 'Mark Read/Unread',
          accelerator: 'U',
          windowKey: true
        }),
        command({ command: 'toggleStar', label: 'Star/Unstar', accelerator: 'S', windowKey: true }),
        { type: 'separator' },
        command({
          command: 'deleteArticles',
          label: 'Delete',
          accelerator: 'Delete',
          windowKey: true
        })
      ]
    },
    {
      label: '&View',
      submenu: [
        command({
          command: 'toggleOriginal',
          label: 'Original / Cleaned Text',
          accelerator: 'CmdOrCtrl+Shift+O'
        }),
        { type: 'separator' },
        command({ command: 'textLarger', label: 'Larger Text', accelerator: 'CmdOrCtrl+Plus' }),
        command({ command: 'textSmaller', label: 'Smaller Text', accelerator: 'CmdOrCtrl+-' }),
        command({ command: 'textReset', label: 'Default Text Size', accelerator: 'CmdOrCtrl+0' }),
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'toggleDevTools' }
      ]
    },
    { role: 'windowMenu' }
  ]
}
