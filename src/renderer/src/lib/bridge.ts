// The renderer's one way to the core. In Electron (and in the browser tests) the preload or
// a test bridge defines window.gleaner; in the web preview there is none, so we build the
// same GleanerBridge over loopback HTTP. Either way the components see one GleanerBridge.
import {
  API_METHODS,
  EVENT_NAMES,
  type ApiMethod,
  type EventName,
  type GleanerApi,
  type GleanerBridge,
  type GleanerEvents
} from '../../../shared/api'
import { GleanerError, unwrapOutcome } from '../../../shared/errors'
import { remoteImagePath } from '../../../shared/remote-image-route'

declare global {
  interface Window {
    gleaner?: GleanerBridge
  }
}

import type { BridgeKind } from '../../../shared/first-paint'

export type { BridgeKind }

export interface ConnectedBridge {
  bridge: GleanerBridge
  /** 'http' means no file paths from drops: the UI offers a typed path instead. */
  kind: BridgeKind
}

export const TOKEN_HEADER = 'x-gleaner-token'
const TOKEN_STORAGE_KEY = 'gleaner.token'

export function connectBridge(win: Window = window): ConnectedBridge {
  if (win.gleaner) return { bridge: win.gleaner, kind: 'native' }
  return { bridge: createHttpBridge(readToken(win), win.location.origin), kind: 'http' }
}

/** The web preview prints a URL with #token=…; keep it for reloads, then drop it from the address bar. */
export function readToken(win: Window): string {
  const match = /(?:^#|&)token=([^&]+)/.exec(win.location.hash)
  if (match?.[1]) {
    const token = decodeURIComponent(match[1])
    try {
      win.sessionStorage.setItem(TOKEN_STORAGE_KEY, token)
      win.history.replaceState(null, '', win.location.pathname + win.location.search)
    } catch {
      // Without sessionStorage the token still works until the page reloads.
    }
    return token
  }
  try {
    return win.sessionStorage.getItem(TOKEN_STORAGE_KEY) ?? ''
  } catch {
    return ''
  }
}

export function createHttpBridge(token: string, origin: string): GleanerBridge {
  const invoke = async (method: ApiMethod, args: unknown[]): Promise<unknown> => {
    const response = await fetch(new URL('/api/invoke', origin), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify({ method, args })
    })
    const body = (await response.json().catch(() => null)) as unknown
    // API answers are settled outcomes (errors as data); a refusal before dispatch (token,
    // size, content type) is a plain {error: text}.
    if (typeof body === 'object' && body !== null && 'ok' in body) return unwrapOutcome(body)
    const text = (body as { error?: unknown } | null)?.error
    throw new GleanerError(
      `http-${response.status}`,
      typeof text === 'string' ? text : `HTTP ${response.status}`
    )
  }

  // Built from API_METHODS so this bridge can call exactly what the server exposes.
  const api = Object.fromEntries(
    API_METHODS.map((method) => [method, (...args: unknown[]) => invoke(method, args)])
  ) as unknown as GleanerApi

  const listeners = new Map<EventName, Set<(payload: never) => void>>()
  let source: EventSource | null = null
  const ensureSource = (): void => {
    if (source) return
    source = new EventSource(new URL(`/api/events?token=${encodeURIComponent(token)}`, origin))
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (event) => {
        const payload = JSON.parse((event as MessageEvent<string>).data) as never
        for (const listener of listeners.get(name) ?? []) listener(payload)
      })
    }
  }

  return {
    api,
    on<E extends EventName>(event: E, listener: (payload: GleanerEvents[E]) => void) {
      ensureSource()
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener as (payload: never) => void)
      return () => set.delete(listener as (payload: never) => void)
    },
    pathForFile: () => Promise.resolve(null),
    // An <img> sends no headers: the token rides in the query, as for the event stream.
    remoteImageUrl: (articleId, url) =>
      `${remoteImagePath(articleId, url)}&token=${encodeURIComponent(token)}`
    // No chooseSavePath: a browser has no native save dialog; the export path is typed.
  }
}
