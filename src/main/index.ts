// The Electron shell: app lifecycle, the window, menus and security settings. Kept thin:
// everything that does work is in ./core and is tested on Node.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  app,
  BrowserWindow,
  dialog,
  Menu,
  session,
  shell,
  type MenuItemConstructorOptions
} from 'electron'
import { LIBRARY_FILE_NAME } from './core/paths'
import { createGleanerService, type GleanerService } from './core/service'
import { bindApi } from './ipc'
import { CONTENT_SECURITY_POLICY, isSafeExternalUrl, isTrustedRendererUrl } from './security'

const here = import.meta.dirname
const rendererFile = join(here, '../renderer/index.html')
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererFile).href

app.setName('Gleaner')
app.enableSandbox()

let service: GleanerService | undefined
let mainWindow: BrowserWindow | undefined

function hardenSession(): void {
  const ses = session.defaultSession
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY]
      }
    })
  })
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Gleaner',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => win.show())
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedRendererUrl(url, rendererUrl)) event.preventDefault()
  })
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL)
  else void win.loadFile(rendererFile)
  return win
}

async function importWithDialog(): Promise<void> {
  if (!service || !mainWindow) return
  const picked = await dialog.showOpenDialog(mainWindow, {
    title: 'Import articles',
    properties: ['openFile', 'openDirectory', 'multiSelections']
  })
  if (!picked.canceled && picked.filePaths.length) await service.importPaths(picked.filePaths)
}

function buildMenu(): void {
  const isMac = process.platform === 'darwin'
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Import…', accelerator: 'CmdOrCtrl+O', click: () => void importWithDialog() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' }
      ]
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' }
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault())
})

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => mainWindow?.focus())
  void app.whenReady().then(() => {
    hardenSession()
    service = createGleanerService({
      libraryPath: process.env.GLEANER_LIBRARY ?? join(app.getPath('userData'), LIBRARY_FILE_NAME)
    })
    bindApi(service, rendererUrl, () => BrowserWindow.getAllWindows())
    buildMenu()
    mainWindow = createWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow()
    })
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => service?.close())
}
