// The window's calls go through the real preload (src/preload/index.ts) and the real IPC binding
// (src/main/ipc.ts) to a real service on a real library. Electron itself cannot run here (its
// binary cannot be downloaded), so only its transport is stood in for, and stood in for as it
// behaves: a handler's result crosses by structured clone, and a thrown error reaches the
// window as a new Error that keeps only the message, never the code. A refusal's code and
// params must still arrive, so the window can say it in the user's language.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { GleanerBridge } from '../../src/shared/api'
import { GleanerError } from '../../src/shared/errors'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { PathGrants } from '../../src/host/path-access'
import { bindApi } from '../../src/main/ipc'
import { SEED_DIR } from '../helpers/corpus'

const RENDERER = 'gleaner://app/index.html'

const ipc = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  exposed: new Map<string, unknown>()
}))

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) =>
      ipc.handlers.set(channel, fn),
    removeHandler: (channel: string) => ipc.handlers.delete(channel)
  },
  ipcRenderer: {
    async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      const handler = ipc.handlers.get(channel)
      if (!handler) throw new Error(`No handler registered for '${channel}'`)
      try {
        // What crosses between processes: a structured clone, both ways.
        const result = await handler({ senderFrame: { url: RENDERER } }, ...structuredClone(args))
        return structuredClone(result)
      } catch (err) {
        // Electron's own words: the message survives, nothing else of the error does.
        // eslint-disable-next-line preserve-caught-error -- what crosses is a new error, no cause
        throw new Error(`Error invoking remote method '${channel}': ${String(err)}`)
      }
    },
    on: () => undefined
  },
  contextBridge: {
    exposeInMainWorld: (name: string, value: unknown) => ipc.exposed.set(name, value)
  },
  webUtils: { getPathForFile: () => '' }
}))

let dir: string
let service: GleanerService
let unbind: () => void
let bridge: GleanerBridge

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gleaner-preload-'))
  service = createGleanerService({ libraryPath: join(dir, 'library.db'), watchExternal: false })
  await service.importPaths([SEED_DIR])
  unbind = bindApi(service, RENDERER, () => [], new PathGrants())
  await import('../../src/preload/index')
  bridge = ipc.exposed.get('gleaner') as GleanerBridge
})

afterAll(() => {
  unbind?.()
  service?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function refusal(call: Promise<unknown>): Promise<GleanerError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(GleanerError)
  return err as GleanerError
}

describe('errors through the real preload and IPC binding', () => {
  it('answers a call with the library’s data', async () => {
    const info = await bridge.api.libraryInfo()
    expect(info.articleCount).toBe(1)
  })

  it('a core refusal arrives with its code', async () => {
    const err = await refusal(bridge.api.createCollection('   ', null))
    expect(err.code).toBe('invalid-name')
    const first = await bridge.api.createCollection('晨报', null)
    const dup = await refusal(bridge.api.createCollection('晨报', null))
    expect(dup.code).toBe('duplicate-name')
    await bridge.api.deleteCollection(first.id)
  })

  it('a missing thing arrives as its own code, not as a bare message', async () => {
    const err = await refusal(bridge.api.addToCollection(999_999, [1]))
    expect(err.code).toBe('not-found')
  })

  it('arguments of the wrong shape are refused with the validation code', async () => {
    const err = await refusal(
      (bridge.api.getArticle as (id: unknown) => Promise<unknown>)('not a number')
    )
    expect(err.code).toBe('invalid-arguments')
  })

  it('a path the window was never granted is refused with its own code', async () => {
    const err = await refusal(bridge.api.importPaths(['/etc/passwd']))
    expect(err.code).toBe('path-not-granted')
    expect(err.params).toEqual({ path: '/etc/passwd' })
  })
})
