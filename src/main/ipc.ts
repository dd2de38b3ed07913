// Binds the API to ipcMain: every call is checked for its sender and its arguments before it
// reaches the core.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import {
  EVENT_NAMES,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  type EventName,
  type GleanerEvents
} from '../shared/api'
import { dispatchCall } from '../shared/validate'
import type { GleanerService } from './core/service'
import { isTrustedRendererUrl } from './security'

/** Sends one event to a window over the event channel the preload listens on. */
export function sendEvent<E extends EventName>(
  win: BrowserWindow | undefined,
  event: E,
  payload: GleanerEvents[E]
): void {
  if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event, payload)
}

export function bindApi(
  service: GleanerService,
  rendererUrl: string,
  windows: () => BrowserWindow[]
): () => void {
  ipcMain.handle(
    IPC_INVOKE_CHANNEL,
    async (event: IpcMainInvokeEvent, method: unknown, args: unknown) => {
      if (!isTrustedRendererUrl(event.senderFrame?.url, rendererUrl)) {
        throw new Error('refused: the caller is not Gleaner’s own window')
      }
      return dispatchCall(service, method, args)
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
