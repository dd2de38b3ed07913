// A GleanerBridge over the real service running in a child process (service-host.ts): the
// component tests' way to the real core, with its events, its undo and its change log — no
// hand-written partial API.
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import {
  API_METHODS,
  type EventName,
  type GleanerApi,
  type GleanerBridge,
  type GleanerEvents
} from '../../src/shared/api'
import { unwrapOutcome, type CallOutcome } from '../../src/shared/errors'

const ROOT = resolve(import.meta.dirname, '../..')

export interface ChildBridge {
  bridge: GleanerBridge
  /** Resolves once the service has opened the library. */
  ready: Promise<void>
  close(): Promise<void>
}

/**
 * `allowPrivateAddresses`: feeds may be fetched from the loopback test server; `keychain`: the
 * service has a keychain for team passwords (as the app does); `env`: the child's environment.
 */
export function childBridge(
  libraryPath: string,
  opts: { allowPrivateAddresses?: boolean; keychain?: boolean; env?: NodeJS.ProcessEnv } = {}
): ChildBridge {
  const child = spawn(
    join(ROOT, 'node_modules/.bin/tsx'),
    [
      join(ROOT, 'test/helpers/service-host.ts'),
      libraryPath,
      ...(opts.allowPrivateAddresses ? ['--allow-private-addresses'] : []),
      ...(opts.keychain ? ['--keychain'] : [])
    ],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], ...(opts.env ? { env: opts.env } : {}) }
  )
  const pending = new Map<number, (outcome: CallOutcome) => void>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let nextId = 1
  let markReady: () => void = () => undefined
  const ready = new Promise<void>((done) => (markReady = done))
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as {
      ready?: true
      id?: number
      outcome?: CallOutcome
      event?: string
      payload?: unknown
    }
    if (message.ready) markReady()
    else if (message.id !== undefined && message.outcome) {
      pending.get(message.id)?.(message.outcome)
      pending.delete(message.id)
    } else if (message.event) {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload)
    }
  })
  const api = Object.fromEntries(
    API_METHODS.map((method) => [
      method,
      async (...args: unknown[]) => {
        await ready
        const id = nextId++
        const outcome = await new Promise<CallOutcome>((done) => {
          pending.set(id, done)
          child.stdin.write(JSON.stringify({ id, method, args }) + '\n')
        })
        return unwrapOutcome(outcome)
      }
    ])
  ) as unknown as GleanerApi
  const bridge: GleanerBridge = {
    api,
    on<E extends EventName>(event: E, listener: (payload: GleanerEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener as (payload: unknown) => void)
      return () => set.delete(listener as (payload: unknown) => void)
    },
    pathForFile: () => Promise.resolve(null),
    // No core-served route here: a component test's reader loads no remote image.
    remoteImageUrl: () => ''
  }
  return {
    bridge,
    ready,
    close: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done())
        child.stdin.end()
      })
  }
}
