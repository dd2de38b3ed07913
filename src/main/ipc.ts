// Binds the API to ipcMain: every call is checked for its sender and its arguments before it
// reaches the core.
import { isAbsolute } from 'node:path'
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import {
  EVENT_NAMES,
  IPC_EVENT_CHANNEL,
  IPC_GRANT_DROPPED_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_SAVE_PATH_CHANNEL,
  IPC_SHELL_LANGUAGE_CHANNEL,
  type EventName,
  type SavePathRequest,
  type GleanerEvents
} from '../shared/api'
import type { Locale } from '../shared/first-paint'
import { dispatchSettled } from '../shared/validate'
import type { GleanerService } from '../core/service'
import { withPathAccess, type PathAccess } from '../host/path-access'
import { parseSavePathRequest } from './save-dialog'
import { parseShellLocale } from './shell-strings'
import { isTrustedRendererUrl } from '../host/security'

/** Sends one event to a window over the event channel the preload listens on. */
export function sendEvent<E extends EventName>(
  win: BrowserWindow | undefined,
  event: E,
  payload: GleanerEvents[E]
): void {
  if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event, payload)
}

/**
 * The API for the window: sender checked, arguments validated, and paths only as `paths`
 * allows (the window names only files main granted it, see path-access.ts).
 */
export function bindApi(
  service: GleanerService,
  rendererUrl: string,
  windows: () => BrowserWindow[],
  paths: PathAccess
): () => void {
  const api = withPathAccess(service, paths)
  ipcMain.handle(
    IPC_INVOKE_CHANNEL,
    async (event: IpcMainInvokeEvent, method: unknown, args: unknown) => {
      if (!isTrustedRendererUrl(event.senderFrame?.url, rendererUrl)) {
        throw new Error('refused: the caller is not Gleaner’s own window')
      }
      // Settled: Electron would keep only an error's message, and the window needs its code.
      return dispatchSettled(api, method, args)
    }
  )
  const offs = EVENT_NAMES.map((name) =>
    service.on(name, (payload) => {
      for (const w of windows()) sendEvent(w, name, payload)
    })
  )
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL)
    offs.forEach((off) => off())
  }
}

/**
 * The native save dialog for the renderer's Choose… button (GleanerBridge.chooseSavePath): the
 * same sender check as the API, and the request checked before any dialog opens.
 */
export function bindSaveDialog(
  rendererUrl: string,
  show: (request: SavePathRequest) => Promise<string | null>
): () => void {
  ipcMain.handle(IPC_SAVE_PATH_CHANNEL, async (event: IpcMainInvokeEvent, request: unknown) => {
    if (!isTrustedRendererUrl(event.senderFrame?.url, rendererUrl)) {
      throw new Error('refused: the caller is not Gleaner’s own window')
    }
    return show(parseSavePathRequest(request))
  })
  return () => ipcMain.removeHandler(IPC_SAVE_PATH_CHANNEL)
}

/**
 * The window's language for the shell's menu and dialogs (GleanerBridge.setShellLanguage): the
 * same sender check as the API, and only 'en' or 'zh' reach `apply`.
 */
export function bindShellLanguage(
  rendererUrl: string,
  apply: (locale: Locale) => void
): () => void {
  ipcMain.handle(IPC_SHELL_LANGUAGE_CHANNEL, (event: IpcMainInvokeEvent, locale: unknown) => {
    if (!isTrustedRendererUrl(event.senderFrame?.url, rendererUrl)) {
      throw new Error('refused: the caller is not Gleaner’s own window')
    }
    apply(parseShellLocale(locale))
  })
  return () => ipcMain.removeHandler(IPC_SHELL_LANGUAGE_CHANNEL)
}

const MAX_PATH_LENGTH = 4096

/**
 * A dropped file's path, from preload (GleanerBridge.pathForFile): the same sender check as the
 * API; `grant` records it for import and the window gets it back to send to importPaths.
 */
export function bindGrantDropped(rendererUrl: string, grant: (path: string) => string): () => void {
  ipcMain.handle(IPC_GRANT_DROPPED_CHANNEL, (event: IpcMainInvokeEvent, path: unknown) => {
    if (!isTrustedRendererUrl(event.senderFrame?.url, rendererUrl)) {
      throw new Error('refused: the caller is not Gleaner’s own window')
    }
    if (
      typeof path !== 'string' ||
      path.length === 0 ||
      path.length > MAX_PATH_LENGTH ||
      path.includes('\0') ||
      !isAbsolute(path)
    )
      throw new Error('pathForFile: expected the absolute path of a dropped file')
    return grant(path)
  })
  return () => ipcMain.removeHandler(IPC_GRANT_DROPPED_CHANNEL)
}
