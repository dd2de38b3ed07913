// Binds the API to ipcMain: every call is checked for its sender and its arguments before it
// reaches the core.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { EVENT_NAMES, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/api'
import { dispatchCall } from '../shared/validate'
import type { GleanerService } from './core/service'
import { isTrustedRendererUrl } from './security'

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
      for (const w of windows()) {
        if (!w.isDestroyed()) w.webContents.send(IPC_EVENT_CHANNEL, name, payload)
      }
    })
  )
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL)
    offs.forEach((off) => off())
  }
}
