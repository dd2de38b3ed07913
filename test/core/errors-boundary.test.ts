// Errors cross every boundary as data: the code and its values arrive, not only the English
// message (the window translates by code). The HTTP side is checked in e2e/web-preview.test.ts.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { errorData, GleanerError, settle, unwrapOutcome } from '../../src/shared/errors'
import { dispatchSettled } from '../../src/shared/validate'
import { createGleanerService, type GleanerService } from '../../src/core/service'

describe('errors as data', () => {
  let dir: string
  let service: GleanerService
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gleaner-errors-'))
    service = createGleanerService({ libraryPath: join(dir, 'library.db') })
  })
  afterEach(() => {
    service.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('a core refusal keeps its code through dispatch and unwrap', async () => {
    await service.createCollection('简报', null)
    const outcome = await dispatchSettled(service, 'createCollection', ['简报', null])
    expect(outcome).toMatchObject({ ok: false, error: { code: 'duplicate-name' } })
    // JSON is what IPC and HTTP carry.
    const carried = JSON.parse(JSON.stringify(outcome)) as unknown
    let thrown: unknown
    try {
      unwrapOutcome(carried)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(GleanerError)
    expect((thrown as GleanerError).code).toBe('duplicate-name')
  })

  it('invalid arguments have their own code; unknown failures are "unexpected"', async () => {
    expect(await dispatchSettled(service, 'getArticle', ['x'])).toMatchObject({
      ok: false,
      error: { code: 'invalid-arguments' }
    })
    expect(errorData(new TypeError('boom'))).toEqual({
      code: 'unexpected',
      message: 'boom',
      params: {}
    })
    expect(await settle(() => Promise.resolve(undefined))).toEqual({ ok: true, result: null })
  })

  it('params survive the trip', () => {
    const err = new GleanerError('file-exists', 'exists', { path: '/tmp/x.html', n: 3 })
    const back = (() => {
      try {
        unwrapOutcome(JSON.parse(JSON.stringify({ ok: false, error: errorData(err) })))
      } catch (e) {
        return e as GleanerError
      }
      return null
    })()
    expect(back?.params).toEqual({ path: '/tmp/x.html', n: 3 })
  })
})
