// The Electron shell: app lifecycle, the window, menus and security settings. Kept thin:
// everything that does work is in ./core and is tested on Node.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, dialog, Menu, screen, session, shell } from 'electron'
import { LIBRARY_FILE_NAME } from './core/paths'
import { createGleanerService, type GleanerService } from './core/service'
import { bindApi, bindSaveDialog, sendEvent } from './ipc'
import { menuTemplate } from './menu'
import { chosenPath, saveDialogCall } from './save-dialog'
import type { SavePathRequest } from '../shared/api'
import { CONTENT_SECURITY_POLICY, isSafeExternalUrl, isTrustedRendererUrl } from './security'
import { loadWindowState, saveWindowState } from './window-state'

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

function windowStateFile(): string {
  return join(app.getPath('userData'), 'window-state.json')
}

function createWindow(): BrowserWindow {
  const state = loadWindowState(
    windowStateFile(),
    screen.getAllDisplays().map((d) => d.workArea)
  )
  const win = new BrowserWindow({
    ...state,
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
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize()
    win.show()
  })
  win.on('close', () => {
    saveWindowState(windowStateFile(), { ...win.getNormalBounds(), maximized: win.isMaximized() })
  })
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

async function pickImportPaths(): Promise<string[] | null> {
  if (!mainWindow) return null
  const picked = await dialog.showOpenDialog(mainWindow, {
    title: 'Import articles',
    properties: ['openFile', 'openDirectory', 'multiSelections']
  })
  return picked.canceled ? null : picked.filePaths
}

/** The export panel's Choose…: a save dialog (a folder picker for Markdown) opening in Documents. */
async function chooseSavePath(request: SavePathRequest): Promise<string | null> {
  if (!mainWindow) return null
  const call = saveDialogCall(request, app.getPath('documents'))
  const answer =
    call.kind === 'folder'
      ? await dialog.showOpenDialog(mainWindow, call.options)
      : await dialog.showSaveDialog(mainWindow, call.options)
  return chosenPath(answer)
}

async function recleanWithConfirm(): Promise<void> {
  if (!service || !mainWindow) return
  const outdated = await service.recleanNeeded()
  const answer = await dialog.showMessageBox(mainWindow, {
    type: 'question',
    message: outdated
      ? `Re-clean ${outdated} articles made by an older cleaner?`
      : 'Every article is already cleaned by this version. Re-clean all of them anyway?',
    detail:
      'Articles are rebuilt from the original files kept in the library. Your highlights, notes, stars and collections stay.',
    buttons: ['Re-clean', 'Cancel'],
    cancelId: 1
  })
  if (answer.response !== 0) return
  const result = await service.reclean(null, outdated === 0)
  await dialog.showMessageBox(mainWindow, {
    type: result.failed.length ? 'warning' : 'info',
    message: `Re-cleaned ${result.total} articles: ${result.changed} changed, ${result.failed.length} failed.`
  })
}

/** The briefing's PDF, printed by Electron's own Chromium in a hidden window without scripts. */
async function printBriefingToPdf(html: string): Promise<Uint8Array> {
  // A file, not a data: URL, because briefings of many articles exceed data-URL limits.
  const dir = await mkdtemp(join(tmpdir(), 'gleaner-pdf-'))
  const file = join(dir, 'briefing.html')
  const win = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, javascript: false }
  })
  try {
    await writeFile(file, html)
    await win.loadFile(file)
    return new Uint8Array(
      await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' })
    )
  } finally {
    win.destroy()
    await rm(dir, { recursive: true, force: true })
  }
}

function buildMenu(): void {
  const template = menuTemplate({
    // Menu commands run in the window, through the same handlers as its keys and buttons.
    send: (event) => sendEvent(mainWindow, 'menuCommand', event),
    pickImportPaths,
    reclean: () => void recleanWithConfirm()
  })
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
      libraryPath: process.env.GLEANER_LIBRARY ?? join(app.getPath('userData'), LIBRARY_FILE_NAME),
      pdf: printBriefingToPdf
    })
    bindApi(service, rendererUrl, () => BrowserWindow.getAllWindows())
    bindSaveDialog(rendererUrl, chooseSavePath)
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
