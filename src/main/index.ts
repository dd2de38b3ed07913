// The Electron shell: app lifecycle, the window, menus and security settings. Kept thin:
// everything that does work is in ./core and is tested on Node.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  app,
  BrowserWindow,
  dialog,
  Menu,
  protocol,
  safeStorage,
  screen,
  session,
  shell
} from 'electron'
import { LIBRARY_FILE_NAME } from '../core/paths'
import { createGleanerService, type GleanerService } from '../core/service'
import { startBackupSchedule, type BackupSchedule } from '../core/backup/schedule'
import { fileSecretStore, TEAM_SECRETS_FILE } from '../core/team/secrets'
import { clipPortFrom, startClipEndpoint, type ClipEndpoint } from '../host/clip-endpoint'
import { bindApi, bindGrantDropped, bindSaveDialog, bindShellLanguage, sendEvent } from './ipc'
import { menuTemplate } from './menu'
import { undoLabel } from '../shared/change-labels'
import type { LibraryChange, UndoState } from '../shared/change-types'
import { PathGrants } from '../host/path-access'
import { chosenPath, loadLastExportDir, rememberExportDir, saveDialogCall } from './save-dialog'
import { shellStrings } from './shell-strings'
import type { SavePathRequest } from '../shared/api'
import type { Locale } from '../shared/first-paint'
import {
  CONTENT_SECURITY_POLICY,
  isSafeExternalUrl,
  isTrustedRendererUrl,
  windowPageUrl
} from '../host/security'
import { loadWindowState, saveWindowState } from './window-state'
import { chooseLibrary, LIBRARY_CHOICE_FILE, loadLibraryChoice } from './library-choice'
import {
  firstPaintPage,
  loadPrerenderer,
  loadRendererShell,
  localeOf,
  type FirstPaintPage,
  type Prerenderer,
  type RendererShell
} from '../host/prerendered-index'
import { RENDERER_SCHEME, RENDERER_URL, rendererProtocolHandler } from './renderer-protocol'

const here = import.meta.dirname
const rendererDir = join(here, '../renderer')
const rendererUrl = windowPageUrl(process.env.ELECTRON_RENDERER_URL, app.isPackaged, RENDERER_URL)
/** The dev server in development; never in a packaged app (see windowPageUrl). */
const devServer = rendererUrl !== RENDERER_URL
/** The only files the window may import from or export to (see path-access.ts). */
const pathGrants = new PathGrants()

// gleaner://app/ serves the renderer (renderer-protocol.ts). Standard + secure so module
// scripts, fetch and storage behave as on https; codeCache so V8 keeps compiled code between
// launches.
protocol.registerSchemesAsPrivileged([
  {
    scheme: RENDERER_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true }
  }
])

app.setName('Gleaner')
app.enableSandbox()

let service: GleanerService | undefined
let backups: BackupSchedule | undefined
/** The browser clipper's loopback endpoint (none when its port is taken). */
let clipEndpoint: ClipEndpoint | null = null
let mainWindow: BrowserWindow | undefined
/**
 * The language of the menu and the native dialogs: the OS language at start (set once the app
 * is ready, when app.getLocale() answers), then the window's (GleanerBridge.setShellLanguage).
 */
let shellLocale: Locale = 'en'

function hardenSession(): void {
  const ses = session.defaultSession
  // For http(s) responses (the dev server); gleaner:// responses set the same policy themselves
  // (renderer-protocol.ts), with the first frame's stylesheet hash.
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(
        ([name]) => name.toLowerCase() !== 'content-security-policy'
      )
    )
    callback({
      responseHeaders: { ...headers, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] }
    })
  })
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
}

function windowStateFile(): string {
  return join(app.getPath('userData'), 'window-state.json')
}

// Loaded once; the first page of rows is read per window load (prerendered-index.ts).
let prerenderer: Promise<Prerenderer | null> | null = null
let rendererShell: Promise<RendererShell> | null = null
/** A window's index.html, rendered while its renderer process starts (see createWindow). */
let preparedIndex: Promise<FirstPaintPage> | null = null

async function renderIndexPage(windowHeight?: number): Promise<FirstPaintPage> {
  const core = service
  const loaded = await (rendererShell ??= loadRendererShell(rendererDir))
  if (!core) return { html: loaded.indexHtml, styleSource: null }
  return firstPaintPage({
    shell: loaded,
    prerenderer: await (prerenderer ??= loadPrerenderer(here)),
    listArticles: (query) => core.listArticles(query),
    // What the page's navigator.language will say, so the frame needs no rebuild.
    locale: localeOf([app.getLocale()]),
    bridgeKind: 'native',
    windowHeight
  })
}

/** The prepared page for a window's first load; a reload renders afresh. */
function takeIndexPage(): Promise<FirstPaintPage> {
  const page = preparedIndex ?? renderIndexPage(mainWindow?.getContentBounds().height)
  preparedIndex = null
  return page
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
      spellcheck: false,
      devTools: !app.isPackaged
    }
  })
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize()
    win.show()
  })
  win.on('close', () => {
    saveWindowState(windowStateFile(), { ...win.getNormalBounds(), maximized: win.isMaximized() })
  })
  // Navigation and new windows are refused for every web contents (hardenContents below);
  // this window's web links go to the system browser after a check.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  // The first frame is rendered now, while the window's renderer process starts up.
  if (!devServer) {
    preparedIndex = renderIndexPage(win.getContentBounds().height)
  }
  void win.loadURL(rendererUrl)
  return win
}

async function pickImportPaths(): Promise<string[] | null> {
  if (!mainWindow) return null
  const picked = await dialog.showOpenDialog(mainWindow, {
    title: shellStrings(shellLocale).importTitle,
    properties: ['openFile', 'openDirectory', 'multiSelections']
  })
  // What the user picked is what the window may import.
  return picked.canceled ? null : picked.filePaths.map((path) => pathGrants.grantRead(path))
}

/**
 * The export panel's Choose…: a save dialog (a folder picker for Markdown) opening in the folder
 * last exported into, else Documents.
 */
async function chooseSavePath(request: SavePathRequest): Promise<string | null> {
  if (!mainWindow) return null
  const remembered = join(app.getPath('userData'), 'export-folder.json')
  const baseDir = loadLastExportDir(remembered) ?? app.getPath('documents')
  const call = saveDialogCall(request, baseDir, shellLocale)
  const answer =
    call.kind === 'folder'
      ? await dialog.showOpenDialog(mainWindow, call.options)
      : await dialog.showSaveDialog(mainWindow, call.options)
  const chosen = chosenPath(answer)
  if (chosen) rememberExportDir(remembered, chosen)
  // What the user picked is the one place the window may export to.
  return chosen === null ? null : pathGrants.grantWrite(chosen)
}

/** The briefing's PDF, printed by Electron's own Chromium in a hidden window without scripts. */
async function printBriefingToPdf(html: string): Promise<Uint8Array> {
  // A file, not a data: URL, because briefings of many articles exceed data-URL limits.
  const dir = await mkdtemp(join(tmpdir(), 'gleaner-pdf-'))
  const file = join(dir, 'briefing.html')
  const win = new BrowserWindow({
    show: false,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webviewTag: false,
      devTools: false
    }
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

function libraryChoiceFile(): string {
  return join(app.getPath('userData'), LIBRARY_CHOICE_FILE)
}
/** The library file open in this run. */
let openLibraryPath = ''

/**
 * Opens another library file: remembered as the one to open, then the app restarts on it (one
 * library per process: its service, its sync, its windows), closing this one cleanly first.
 */
function switchLibrary(path: string): void {
  if (path === openLibraryPath) return
  chooseLibrary(libraryChoiceFile(), path)
  app.relaunch()
  app.quit()
}

async function pickLibrary(): Promise<void> {
  if (!mainWindow) return
  const picked = await dialog.showOpenDialog(mainWindow, {
    title: shellStrings(shellLocale).openLibraryTitle,
    properties: ['openFile', 'promptToCreate'],
    filters: [{ name: 'Gleaner library', extensions: ['db', 'sqlite'] }]
  })
  const path = picked.canceled ? undefined : picked.filePaths[0]
  if (path) switchLibrary(path)
}

/** (Re)builds the application menu in the shell's language. */
function buildMenu(): void {
  const template = menuTemplate(
    {
      // Menu commands run in the window, through the same handlers as its keys and buttons.
      send: (event) => sendEvent(mainWindow, 'menuCommand', event),
      pickImportPaths,
      openLibrary: () => void pickLibrary(),
      openRecent: switchLibrary
    },
    process.platform,
    shellLocale,
    {
      undo: undoState.undo ? undoLabel('undo', undoState.undo, shellLocale) : null,
      redo: undoState.redo ? undoLabel('redo', undoState.redo, shellLocale) : null
    },
    !app.isPackaged,
    loadLibraryChoice(libraryChoiceFile()).recent.filter((p) => p !== openLibraryPath)
  )
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}

/** What Edit › Undo and Redo would do, re-read after every change (from any window or process). */
let undoState: UndoState = { undo: null, redo: null }
function followUndoState(): void {
  service
    ?.undoState()
    .then((state) => {
      const same = (a: LibraryChange | null, b: LibraryChange | null): boolean =>
        (a?.seq ?? null) === (b?.seq ?? null)
      if (same(state.undo, undoState.undo) && same(state.redo, undoState.redo)) return
      undoState = state
      buildMenu()
    })
    .catch(() => undefined)
}

/** The window switched language (or says which it starts in): the menu and dialogs follow. */
function setShellLanguage(locale: Locale): void {
  if (locale === shellLocale) return
  shellLocale = locale
  buildMenu()
}

/**
 * Every web contents (the window, the hidden PDF window, any other): no navigation, redirect
 * or frame navigation away from the app's own pages, no new windows, no webviews. Set here, at
 * creation, so no window can be made without them.
 */
function hardenContents(contents: Electron.WebContents): void {
  const stay = (event: Electron.Event<{ url: string }>, url?: string): void => {
    if (!isTrustedRendererUrl(event.url ?? url, rendererUrl)) event.preventDefault()
  }
  contents.on('will-navigate', stay)
  contents.on('will-redirect', stay)
  contents.on('will-frame-navigate', stay)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

app.on('web-contents-created', (_event, contents) => hardenContents(contents))

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => mainWindow?.focus())
  void app.whenReady().then(() => {
    hardenSession()
    // GLEANER_LIBRARY, else the file chosen with File › Open Library…, else the default one.
    const libraryPath =
      process.env.GLEANER_LIBRARY ??
      loadLibraryChoice(libraryChoiceFile()).current ??
      join(app.getPath('userData'), LIBRARY_FILE_NAME)
    openLibraryPath = libraryPath
    try {
      service = createGleanerService({
        libraryPath,
        pdf: printBriefingToPdf,
        // Feeds are polled on their schedule while the app runs (and after sleep or restart).
        capture: { scheduleFeeds: true },
        // A team library stays in step while the app runs; its password is in the OS keychain
        // (safeStorage encrypts the entries of a file beside the app's settings).
        team: {
          continuous: true,
          secrets: fileSecretStore(join(app.getPath('userData'), TEAM_SECRETS_FILE), safeStorage)
        }
      })
    } catch (e) {
      // A library from a newer Gleaner, or one being restored right now: say so and stop.
      dialog.showErrorBox('Gleaner', (e as Error).message)
      app.quit()
      return
    }
    const core = service
    backups = startBackupSchedule({
      db: core.db,
      libraryPath,
      isDamaged: () => core.health.damaged,
      onError: (e) => console.error(`Scheduled backup failed: ${e.message}`)
    })
    startClipEndpoint({ clipper: core.clipper, port: clipPortFrom() })
      .then((endpoint) => (clipEndpoint = endpoint))
      .catch((e: unknown) =>
        console.error(`Browser clipper endpoint not started: ${(e as Error).message}`)
      )
    session.defaultSession.protocol.handle(
      RENDERER_SCHEME,
      rendererProtocolHandler({
        rendererDir,
        indexPage: takeIndexPage,
        remoteImage: (query) => core.images.route(query)
      })
    )
    bindApi(service, rendererUrl, () => BrowserWindow.getAllWindows(), pathGrants)
    bindGrantDropped(rendererUrl, (path) => pathGrants.grantRead(path))
    service.on('libraryChanged', followUndoState)
    followUndoState()
    bindSaveDialog(rendererUrl, chooseSavePath)
    bindShellLanguage(rendererUrl, setShellLanguage)
    // The OS language until the window says which one it shows (a saved choice may differ).
    shellLocale = localeOf([app.getLocale()])
    buildMenu()
    mainWindow = createWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow()
    })
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => {
    backups?.stop()
    void clipEndpoint?.close()
    service?.close()
  })
}
