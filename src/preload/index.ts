// Exposes the typed API as window.gleaner and nothing else. Runs sandboxed: only 'electron'
// may be required, and the renderer never sees ipcRenderer itself.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import {
  API_METHODS,
  EVENT_NAMES,
  IPC_EVENT_CHANNEL,
  IPC_GRANT_DROPPED_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_SAVE_PATH_CHANNEL,
  IPC_SHELL_LANGUAGE_CHANNEL,
  type EventName,
  type GleanerApi,
  type GleanerBridge,
  type GleanerEvents
} from '../shared/api'
import { unwrapOutcome } from '../shared/errors'
import { remoteImagePath } from '../shared/remote-image-route'

const api = Object.fromEntries(
  API_METHODS.map((m) => [
    m,
    async (...args: unknown[]) =>
      unwrapOutcome(await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, m, args))
  ])
) as unknown as GleanerApi

const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
  if (!(EVENT_NAMES as readonly unknown[]).includes(name)) return
  for (const l of listeners.get(name as EventName) ?? []) l(payload)
})

const bridge: GleanerBridge = {
  api,
  on<E extends EventName>(event: E, listener: (payload: GleanerEvents[E]) => void) {
    const set = listeners.get(event) ?? new Set()
    listeners.set(event, set)
    const l = listener as (payload: unknown) => void
    set.add(l)
    return () => set.delete(l)
  },
  // Only a File the OS handed over (a drop) has a path; main records it as one the window
  // may import. The page cannot reach this channel itself: it has no ipcRenderer.
  async pathForFile(file: File) {
    const path = webUtils.getPathForFile(file)
    if (!path) return null
    return (await ipcRenderer.invoke(IPC_GRANT_DROPPED_CHANNEL, path)) as string | null
  },
  // Relative to gleaner://app/, the page's own origin (the CSP's 'self').
  remoteImageUrl: (articleId, url) => remoteImagePath(articleId, url),
  // Main checks the request and opens the dialog; the renderer only learns the chosen path.
  chooseSavePath(request) {
    return ipcRenderer.invoke(IPC_SAVE_PATH_CHANNEL, request) as Promise<string | null>
  },
  // The menu and later dialogs follow the window's language; nothing comes back.
  setShellLanguage(locale) {
    ipcRenderer.invoke(IPC_SHELL_LANGUAGE_CHANNEL, locale).catch((err: unknown) => {
      console.warn('setShellLanguage:', err)
    })
  }
}

contextBridge.exposeInMainWorld('gleaner', bridge)
