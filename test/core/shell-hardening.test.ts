// The Electron shell's security settings, tested on Node with 'electron' mocked: importing
// src/main/index.ts runs the app's start-up against the fakes below, which record everything
// the shell registers (window options, session handlers, IPC handler, the application menu) so
// each can be exercised. The fake OS language is Chinese, so the shell starts in it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import {
  IPC_GRANT_DROPPED_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_EVENT_CHANNEL,
  IPC_SAVE_PATH_CHANNEL,
  IPC_SHELL_LANGUAGE_CHANNEL
} from '../../src/shared/api'
import { CONTENT_SECURITY_POLICY } from '../../src/host/security'
import { SHARED } from '../helpers/corpus'
// The window's own page, served by the gleaner:// protocol.
import { RENDERER_URL } from '../../src/main/renderer-protocol'

type Handler = (...args: unknown[]) => unknown

const fake = vi.hoisted(() => {
  const handlers = new Map<string, (...args: unknown[]) => unknown>()
  const appEvents = new Map<string, ((...args: unknown[]) => unknown)[]>()
  const windows: {
    options: Record<string, unknown>
    events: Map<string, (...args: unknown[]) => unknown>
    openHandler?: (details: { url: string }) => unknown
    loaded: string[]
    /** What main sent the window (webContents.send), channel first. */
    sent: unknown[][]
  }[] = []
  const session = {
    onHeadersReceived: undefined as undefined | ((...args: unknown[]) => unknown),
    permissionRequest: undefined as undefined | ((...args: unknown[]) => unknown),
    permissionCheck: undefined as undefined | ((...args: unknown[]) => unknown)
  }
  const calls = { enableSandbox: 0, openExternal: [] as string[] }
  /** Native dialogs opened, and what the next one answers. */
  const dialogs = {
    opened: [] as { kind: 'save' | 'open'; parent: unknown; options: Record<string, unknown> }[],
    answer: { canceled: false, filePath: '', filePaths: [] as string[] },
    /** Message boxes shown; each is answered with its cancel button. */
    messages: [] as Record<string, unknown>[]
  }
  /** Every application menu set, last one current. */
  const menus: unknown[] = []
  /** Schemes registered as privileged, and the handlers given to session.protocol.handle. */
  const schemes: { scheme: string; privileges: Record<string, boolean> }[] = []
  const protocols = new Map<string, (request: Request) => Promise<Response>>()
  return { handlers, appEvents, windows, session, calls, dialogs, menus, schemes, protocols }
})

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows(): BrowserWindow[] {
      return []
    }
    webContents: Record<string, unknown>
    constructor(options: Record<string, unknown>) {
      this.#options = options
      const record = {
        options,
        events: new Map<string, Handler>(),
        loaded: [] as string[],
        sent: [] as unknown[][]
      } as (typeof fake.windows)[number]
      fake.windows.push(record)
      this.webContents = {
        on: (e: string, fn: Handler) => record.events.set(e, fn),
        setWindowOpenHandler: (fn: (d: { url: string }) => unknown) => (record.openHandler = fn),
        send: (...args: unknown[]) => void record.sent.push(args)
      }
      // As Electron does: every new web contents is announced to the app.
      for (const fn of fake.appEvents.get('web-contents-created') ?? []) fn({}, this.webContents)
    }
    #options: Record<string, unknown>
    once(): void {}
    on(): void {}
    show(): void {}
    getContentBounds(): { x: number; y: number; width: number; height: number } {
      const n = (key: string): number => Number(this.#options[key] ?? 0)
      return { x: n('x'), y: n('y'), width: n('width'), height: n('height') }
    }
    maximize(): void {}
    isDestroyed(): boolean {
      return false
    }
    loadFile(f: string): Promise<void> {
      fake.windows.at(-1)?.loaded.push(f)
      return Promise.resolve()
    }
    loadURL(u: string): Promise<void> {
      fake.windows.at(-1)?.loaded.push(u)
      return Promise.resolve()
    }
  }
  const on = (e: string, fn: Handler): void => {
    fake.appEvents.set(e, [...(fake.appEvents.get(e) ?? []), fn])
  }
  const electron = {
    app: {
      setName: () => undefined,
      enableSandbox: () => {
        fake.calls.enableSandbox++
      },
      on,
      requestSingleInstanceLock: () => true,
      // A packaged app: development conveniences (dev server URL, DevTools) must be off.
      isPackaged: true,
      getLocale: () => 'zh-CN',
      whenReady: () => Promise.resolve(),
      getPath: (name: string) =>
        name === 'documents'
          ? '/home/analyst/Documents'
          : (process.env.GLEANER_TEST_USERDATA as string),
      quit: () => undefined
    },
    BrowserWindow,
    dialog: {
      showSaveDialog: (parent: unknown, options: Record<string, unknown>) => {
        fake.dialogs.opened.push({ kind: 'save', parent, options })
        return Promise.resolve(fake.dialogs.answer)
      },
      showOpenDialog: (parent: unknown, options: Record<string, unknown>) => {
        fake.dialogs.opened.push({ kind: 'open', parent, options })
        return Promise.resolve(fake.dialogs.answer)
      },
      showMessageBox: (_parent: unknown, options: Record<string, unknown>) => {
        fake.dialogs.messages.push(options)
        return Promise.resolve({ response: options.cancelId ?? 0 })
      }
    },
    Menu: {
      buildFromTemplate: (t: unknown) => t,
      setApplicationMenu: (menu: unknown) => void fake.menus.push(menu)
    },
    protocol: {
      registerSchemesAsPrivileged: (list: (typeof fake.schemes)[number][]) =>
        void fake.schemes.push(...list)
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived: (fn: Handler) => (fake.session.onHeadersReceived = fn)
        },
        setPermissionRequestHandler: (fn: Handler) => (fake.session.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Handler) => (fake.session.permissionCheck = fn),
        protocol: {
          handle: (scheme: string, fn: (request: Request) => Promise<Response>) =>
            void fake.protocols.set(scheme, fn)
        }
      }
    },
    shell: {
      openExternal: (url: string) => {
        fake.calls.openExternal.push(url)
        return Promise.resolve()
      },
      showItemInFolder: () => undefined
    },
    // The OS keychain team passwords are encrypted with (none in this test: nothing is saved).
    safeStorage: {
      isEncryptionAvailable: () => false,
      encryptString: () => {
        throw new Error('no keychain in this test')
      },
      decryptString: () => {
        throw new Error('no keychain in this test')
      }
    },
    ipcMain: {
      handle: (channel: string, fn: Handler) => fake.handlers.set(channel, fn),
      removeHandler: (channel: string) => fake.handlers.delete(channel)
    }
  }
  return { ...electron, default: electron }
})

let userData: string

beforeAll(async () => {
  userData = mkdtempSync(join(tmpdir(), 'gleaner-shell-'))
  process.env.GLEANER_TEST_USERDATA = userData
  process.env.GLEANER_LIBRARY = join(userData, 'library.db')
  // Set in a packaged app's environment, it must not make the window load (and the API
  // trust) that page.
  process.env.ELECTRON_RENDERER_URL = 'https://evil.example/'
  await import('../../src/main/index')
  delete process.env.ELECTRON_RENDERER_URL
  // Let app.whenReady().then(...) run.
  for (let i = 0; i < 20 && fake.windows.length === 0; i++)
    await new Promise((r) => setImmediate(r))
})

afterAll(() => {
  for (const fn of fake.appEvents.get('will-quit') ?? []) fn()
  rmSync(userData, { recursive: true, force: true })
})

function mainWindow(): (typeof fake.windows)[number] {
  const w = fake.windows[0]
  if (!w)
    throw new Error(
      'the shell created no window (createWindow threw: see the unhandled error above)'
    )
  return w
}

describe('the window', () => {
  it('is sandboxed, context-isolated, without Node or webviews', () => {
    expect(fake.calls.enableSandbox).toBe(1)
    const prefs = mainWindow().options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false
    })
    expect(prefs.nodeIntegrationInWorker ?? false).toBe(false)
    expect(prefs.nodeIntegrationInSubFrames ?? false).toBe(false)
    expect(prefs.webSecurity ?? true).toBe(true)
    expect(prefs.allowRunningInsecureContent ?? false).toBe(false)
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.cjs$/u)
  })

  it('loads its page from the gleaner:// protocol, which serves only the renderer, with the CSP', async () => {
    expect(mainWindow().loaded).toEqual([RENDERER_URL])
    expect(fake.schemes).toEqual([
      {
        scheme: 'gleaner',
        privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true }
      }
    ])
    const handler = fake.protocols.get('gleaner')!
    const page = await handler(new Request(RENDERER_URL))
    expect(page.status).toBe(200)
    // The policy, plus at most the first frame's inlined stylesheet by its hash.
    expect(page.headers.get('content-security-policy')).toMatch(
      new RegExp(
        `^${CONTENT_SECURITY_POLICY.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&').replace(
          "style-src 'self'",
          "style-src 'self'( 'sha256-[A-Za-z0-9+/=]+')?"
        )}$`,
        'u'
      )
    )
    expect(await page.text()).toContain('<div id="app">')
    // The remote-image route is there (a request naming no image is refused as such).
    expect((await handler(new Request('gleaner://app/remote-image'))).status).toBe(400)
    for (const url of ['gleaner://app/../../package.json', 'gleaner://other/index.html']) {
      expect((await handler(new Request(url))).status, url).toBe(404)
    }
  })

  it('refuses to navigate anywhere but its own page', () => {
    const nav = mainWindow().events.get('will-navigate') as Handler
    expect(nav).toBeTypeOf('function')
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>'
    ]) {
      const event = { preventDefault: vi.fn() }
      nav(event, url)
      expect(event.preventDefault, url).toHaveBeenCalled()
    }
    const own = { preventDefault: vi.fn() }
    nav(own, RENDERER_URL)
    expect(own.preventDefault).not.toHaveBeenCalled()
  })

  it('opens no new windows; web links go to the browser only after a check', () => {
    const open = mainWindow().openHandler as (d: { url: string }) => unknown
    expect(open).toBeTypeOf('function')
    fake.calls.openExternal.length = 0
    for (const url of [
      'https://example.org/a',
      'http://example.org/b',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'smb://host/share',
      'https://user:pass@evil.example/',
      'vbscript:x',
      'not a url'
    ])
      expect(open({ url }), url).toEqual({ action: 'deny' })
    expect(fake.calls.openExternal).toEqual(['https://example.org/a', 'http://example.org/b'])
  })

  it('gives every web contents (the PDF window too) no navigation, redirect, new window or webview', async () => {
    const { BrowserWindow } = await import('electron')
    // What printBriefingToPdf creates: a hidden window of its own.
    new BrowserWindow({ show: false, webPreferences: { javascript: false } })
    const pdf = fake.windows.at(-1)!
    for (const w of [mainWindow(), pdf]) {
      for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
        const handler = w.events.get(name)
        expect(handler, name).toBeTypeOf('function')
        for (const url of ['https://evil.example/', 'file:///etc/passwd', 'gleaner://other/']) {
          const event = { url, preventDefault: vi.fn() }
          handler!(event, url)
          expect(event.preventDefault, `${name} ${url}`).toHaveBeenCalled()
        }
      }
      const webview = { preventDefault: vi.fn() }
      w.events.get('will-attach-webview')?.(webview, {}, {})
      expect(webview.preventDefault).toHaveBeenCalled()
      expect(w.openHandler?.({ url: 'about:blank' })).toEqual({ action: 'deny' })
    }
    fake.calls.openExternal.length = 0
    expect(pdf.openHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' })
    expect(fake.calls.openExternal).toEqual([])
  })

  it('ignores ELECTRON_RENDERER_URL and offers no DevTools when packaged', () => {
    // Set to https://evil.example/ before start-up (see beforeAll).
    expect(mainWindow().loaded).toEqual([RENDERER_URL])
    const prefs = mainWindow().options.webPreferences as Record<string, unknown>
    expect(prefs.devTools).toBe(false)
    const roles = JSON.stringify(fake.menus)
    expect(roles).not.toMatch(/toggleDevTools/iu)
    const nav = mainWindow().events.get('will-navigate') as Handler
    const event = { url: 'https://evil.example/', preventDefault: vi.fn() }
    nav(event, event.url)
    expect(event.preventDefault).toHaveBeenCalled()
  })
})

describe('the session', () => {
  it('puts the CSP on every response, replacing none of it with something weaker', () => {
    const onHeaders = fake.session.onHeadersReceived as Handler
    expect(onHeaders).toBeTypeOf('function')
    for (const url of [RENDERER_URL, 'https://cdn.example/x.js', 'http://localhost:5173/']) {
      let got: { responseHeaders?: Record<string, string[]> } | undefined
      onHeaders(
        { url, responseHeaders: { 'Content-Type': ['text/html'] } },
        (r: typeof got) => (got = r)
      )
      expect(got?.responseHeaders?.['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY])
      expect(got?.responseHeaders?.['Content-Type']).toEqual(['text/html'])
    }
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'self'/u)
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/u)
    expect(CONTENT_SECURITY_POLICY).toMatch(/object-src 'none'/u)
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/u)
  })

  it('refuses remote images, inline <style> and frames in the policy itself', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => {
        const [name, ...sources] = d.split(' ')
        return [name!, sources.join(' ')]
      })
    )
    // A remote image the user allowed comes through the core, at 'self' (remote-images.ts).
    expect(directives.get('img-src')).toBe("'self' data:")
    expect(directives.get('style-src')).toBe("'self'")
    expect(directives.get('frame-src')).toBe("'none'")
    expect(directives.get('media-src')).toBe("'none'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|blob:|about:|\*/u)
    // index.html's own meta policy is the same (less frame-ancestors, which a meta cannot set).
    const html = readFileSync(join(import.meta.dirname, '../../src/renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/u.exec(html)?.[1]
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace(/; frame-ancestors 'none'/u, ''))
  })

  it('denies every permission request and check', () => {
    const request = fake.session.permissionRequest as Handler
    const check = fake.session.permissionCheck as Handler
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal'
    ]) {
      const cb = vi.fn()
      request({}, permission, cb, {})
      expect(cb).toHaveBeenCalledWith(false)
      expect(check({}, permission, RENDERER_URL, {})).toBe(false)
    }
  })
})

describe('the IPC handler', () => {
  const call = (url: string | undefined, method: unknown, args: unknown): Promise<unknown> => {
    const handler = fake.handlers.get(IPC_INVOKE_CHANNEL) as Handler
    return Promise.resolve().then(() =>
      handler({ senderFrame: url === undefined ? null : { url } }, method, args)
    )
  }

  it('answers Gleaner’s own window', async () => {
    const outcome = (await call(RENDERER_URL, 'libraryInfo', [])) as {
      ok: true
      result: { articleCount: number }
    }
    expect(outcome.ok).toBe(true)
    expect(outcome.result.articleCount).toBe(0)
  })

  it('rejects other senders', async () => {
    for (const url of ['https://evil.example/', 'file:///tmp/evil.html', 'about:blank', undefined])
      await expect(call(url, 'libraryInfo', []), String(url)).rejects.toThrow(/refused/u)
  })

  it('rejects unknown methods and invalid arguments', async () => {
    // Refused calls come back as errors with a code (errors as data), never reaching the core.
    const refused = { ok: false, error: { code: 'invalid-arguments' } }
    for (const method of ['constructor', '__proto__', 'close', 'db', 'toString', 42, null])
      await expect(call(RENDERER_URL, method, []), String(method)).resolves.toMatchObject(refused)
    for (const [method, args] of [
      ['setRead', [['1'], true]],
      ['setRead', [[1], 'yes']],
      ['getArticle', [-1]],
      ['getArticle', ['1; DROP TABLE articles']],
      ['importPaths', ['/etc']],
      ['listArticles', [{ limit: 'all' }]],
      ['libraryInfo', 'not an array']
    ] as const)
      await expect(
        call(RENDERER_URL, method, args),
        `${method} ${JSON.stringify(args)}`
      ).resolves.toMatchObject(refused)
  })
})

describe('paths the window may name', () => {
  const call = (method: string, args: unknown[]): Promise<unknown> =>
    Promise.resolve().then(() =>
      (fake.handlers.get(IPC_INVOKE_CHANNEL) as Handler)(
        { senderFrame: { url: RENDERER_URL } },
        method,
        args
      )
    )
  const grantDropped = (url: string | undefined, path: unknown): Promise<unknown> =>
    Promise.resolve().then(() =>
      (fake.handlers.get(IPC_GRANT_DROPPED_CHANNEL) as Handler)(
        { senderFrame: url === undefined ? null : { url } },
        path
      )
    )
  const refused = { ok: false, error: { code: 'path-not-granted' } }
  const SEED = join(SHARED, 'corpus/seed')

  it('refuses to import or export a path the user did not pick or drop', async () => {
    const out = join(userData, 'evil-out')
    mkdirSync(out, { recursive: true })
    for (const paths of [['/etc/passwd'], ['/etc'], [SEED], [join(userData, 'library.db')]])
      await expect(call('importPaths', [paths]), paths.join()).resolves.toMatchObject(refused)
    const bashrc = join(out, '.bashrc')
    await expect(
      call('exportArticles', [{ source: { articleIds: [1] }, format: 'html', outPath: bashrc }])
    ).resolves.toMatchObject(refused)
    expect(existsSync(bashrc)).toBe(false)
    const info = (await call('libraryInfo', [])) as { result: { articleCount: number } }
    expect(info.result.articleCount).toBe(0)
  })

  it('imports what preload reports dropped, from Gleaner’s own window only', async () => {
    for (const url of ['https://evil.example/', 'about:blank', undefined])
      await expect(grantDropped(url, SEED), String(url)).rejects.toThrow(/refused/u)
    for (const bad of ['', 'relative/path', 42, null, ['/etc'], `/a${'\u0000'}b`])
      await expect(grantDropped(RENDERER_URL, bad), JSON.stringify(bad)).rejects.toThrow(
        /pathForFile/u
      )
    expect(await grantDropped(RENDERER_URL, SEED)).toBe(SEED)
    const run = (await call('importPaths', [[SEED]])) as {
      ok: boolean
      result: { counts: { imported: number } }
    }
    expect(run.ok).toBe(true)
    expect(run.result.counts.imported).toBe(1)
  })

  it('reads inside a granted folder only what really lies in it (symlinks resolved)', async () => {
    const dropped = join(userData, 'dropped')
    mkdirSync(dropped, { recursive: true })
    symlinkSync('/etc', join(dropped, 'etc-link'))
    await grantDropped(RENDERER_URL, dropped)
    await expect(
      call('importPaths', [[join(dropped, 'etc-link', 'passwd')]])
    ).resolves.toMatchObject(refused)
    await expect(call('importPaths', [[join(dropped, '..', 'library.db')]])).resolves.toMatchObject(
      refused
    )
  })

  it('imports what the Import… dialog picked and exports where the save dialog pointed', async () => {
    const flat = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
      items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flat(i.submenu) : [])])
    const picked = join(SHARED, 'corpus/rsshub/博客')
    fake.dialogs.answer = { canceled: false, filePath: '', filePaths: [picked] }
    const importItem = flat(fake.menus.at(-1) as MenuItemConstructorOptions[]).find(
      (i) => i.id === 'import'
    )!
    ;(importItem.click as unknown as () => void)()
    await vi.waitFor(async () =>
      expect(((await call('importPaths', [[picked]])) as { ok: boolean }).ok).toBe(true)
    )
    const target = join(userData, 'exports', '简报.html')
    mkdirSync(join(userData, 'exports'), { recursive: true })
    const request = { source: { articleIds: [1] }, format: 'html', outPath: target }
    await expect(call('exportArticles', [request])).resolves.toMatchObject(refused)
    fake.dialogs.answer = { canceled: false, filePath: target, filePaths: [] }
    await (fake.handlers.get(IPC_SAVE_PATH_CHANNEL) as Handler)(
      { senderFrame: { url: RENDERER_URL } },
      { defaultName: '简报.html', folder: false, filters: [] }
    )
    await expect(call('exportArticles', [request])).resolves.toMatchObject({ ok: true })
    expect(existsSync(target)).toBe(true)
    // Granted for writing only: the exported file cannot be imported back by the window.
    await expect(call('importPaths', [[target]])).resolves.toMatchObject(refused)
  })
})

describe('the save dialog channel', () => {
  const choose = (url: string | undefined, request: unknown): Promise<unknown> => {
    const handler = fake.handlers.get(IPC_SAVE_PATH_CHANNEL) as Handler
    return Promise.resolve().then(() =>
      handler({ senderFrame: url === undefined ? null : { url } }, request)
    )
  }
  const good = {
    defaultName: '进博会简报.html',
    folder: false,
    filters: [{ name: 'HTML', extensions: ['html'] }]
  }

  it('opens a save dialog in Documents with the name and file type, and returns the choice', async () => {
    // No folder remembered from an earlier export (save-dialog.test.ts covers remembering).
    rmSync(join(userData, 'export-folder.json'), { force: true })
    fake.dialogs.opened.length = 0
    fake.dialogs.answer = { canceled: false, filePath: '/tmp/out/简报.html', filePaths: [] }
    expect(await choose(RENDERER_URL, good)).toBe('/tmp/out/简报.html')
    expect(fake.dialogs.opened).toHaveLength(1)
    const [opened] = fake.dialogs.opened
    expect(opened?.kind).toBe('save')
    // Modal to the main window, not a free-floating dialog.
    expect(opened?.parent).toBeTruthy()
    expect(opened?.options).toMatchObject({
      defaultPath: join('/home/analyst/Documents', '进博会简报.html'),
      filters: [{ name: 'HTML', extensions: ['html'] }]
    })
    expect(opened?.options.properties).toContain('showOverwriteConfirmation')
  })

  it('opens a folder picker for a folder export (Markdown)', async () => {
    rmSync(join(userData, 'export-folder.json'), { force: true })
    fake.dialogs.opened.length = 0
    fake.dialogs.answer = { canceled: false, filePath: '', filePaths: ['/tmp/out/简报'] }
    expect(await choose(RENDERER_URL, { defaultName: '简报', folder: true, filters: [] })).toBe(
      '/tmp/out/简报'
    )
    const [opened] = fake.dialogs.opened
    expect(opened?.kind).toBe('open')
    expect(opened?.options.defaultPath).toBe(join('/home/analyst/Documents', '简报'))
    expect(opened?.options.properties).toEqual(expect.arrayContaining(['openDirectory']))
    expect(opened?.options.properties).not.toContain('openFile')
    expect(opened?.options.properties).not.toContain('multiSelections')
  })

  it('answers null when the user cancels', async () => {
    fake.dialogs.answer = { canceled: true, filePath: '', filePaths: [] }
    expect(await choose(RENDERER_URL, good)).toBeNull()
  })

  it('rejects other senders without opening a dialog', async () => {
    fake.dialogs.opened.length = 0
    for (const url of ['https://evil.example/', 'file:///tmp/evil.html', 'about:blank', undefined])
      await expect(choose(url, good), String(url)).rejects.toThrow(/refused/u)
    expect(fake.dialogs.opened).toHaveLength(0)
  })

  it('rejects bad arguments without opening a dialog', async () => {
    fake.dialogs.opened.length = 0
    for (const request of [
      undefined,
      null,
      'brief.html',
      [good],
      {},
      { ...good, defaultName: '' },
      { ...good, defaultName: '   ' },
      { ...good, defaultName: '../../.bashrc' },
      { ...good, defaultName: '/etc/passwd' },
      { ...good, defaultName: 'C:\\Windows\\x.html' },
      { ...good, defaultName: '..' },
      { ...good, defaultName: 'a\u0000b.html' },
      { ...good, defaultName: 'x'.repeat(300) },
      { ...good, defaultName: 42 },
      { ...good, folder: 'yes' },
      { ...good, filters: 'html' },
      { ...good, filters: [{ name: 'HTML', extensions: ['../x'] }] },
      { ...good, filters: [{ name: 'HTML', extensions: [] }] },
      { ...good, filters: [{ name: 'HTML', extensions: 'html' }] },
      { ...good, filters: [{ name: '', extensions: ['html'] }] },
      { ...good, filters: Array.from({ length: 11 }, () => good.filters[0]) },
      { ...good, defaultPath: '/etc' },
      { ...good, filters: [{ name: 'HTML', extensions: ['html'], defaultPath: '/etc' }] }
    ])
      await expect(choose(RENDERER_URL, request), JSON.stringify(request)).rejects.toThrow(
        /chooseSavePath/u
      )
    expect(fake.dialogs.opened).toHaveLength(0)
  })
})

describe('the shell language', () => {
  const setLanguage = (url: string | undefined, locale: unknown): Promise<unknown> => {
    const handler = fake.handlers.get(IPC_SHELL_LANGUAGE_CHANNEL) as Handler
    return Promise.resolve().then(() =>
      handler({ senderFrame: url === undefined ? null : { url } }, locale)
    )
  }
  const flatten = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
    items.flatMap((item) => [
      item,
      ...(Array.isArray(item.submenu) ? flatten(item.submenu as MenuItemConstructorOptions[]) : [])
    ])
  const currentMenu = (): MenuItemConstructorOptions[] =>
    flatten(fake.menus.at(-1) as MenuItemConstructorOptions[])
  const item = (id: string): MenuItemConstructorOptions => {
    const found = currentMenu().find((i) => i.id === id)
    if (!found) throw new Error(`no menu item ${id}`)
    return found
  }
  const good = { defaultName: '简报.html', folder: false, filters: [] }
  const saveTitle = async (): Promise<unknown> => {
    fake.dialogs.opened.length = 0
    fake.dialogs.answer = { canceled: true, filePath: '', filePaths: [] }
    await (fake.handlers.get(IPC_SAVE_PATH_CHANNEL) as Handler)(
      { senderFrame: { url: RENDERER_URL } },
      good
    )
    return fake.dialogs.opened[0]?.options.title
  }

  it('starts in the OS language: menu, save and import dialogs; File › Re-clean goes to the window', async () => {
    // Built at start (and again whenever Edit › Undo's label changes, after earlier tests' edits).
    expect(fake.menus.length).toBeGreaterThanOrEqual(1)
    expect(item('import').label).toBe('导入…')
    expect(item('find').label).toBe('查找')
    expect(await saveTitle()).toBe('导出')
    fake.dialogs.opened.length = 0
    fake.dialogs.answer = { canceled: true, filePath: '', filePaths: [] }
    ;(item('import').click as unknown as () => void)()
    await vi.waitFor(() => expect(fake.dialogs.opened).toHaveLength(1))
    expect(fake.dialogs.opened[0]?.options.title).toBe('导入文章')
    // Re-clean opens the window's dialog (its progress and Cancel), not a native one.
    fake.dialogs.messages.length = 0
    const sent = fake.windows[0]!.sent
    sent.length = 0
    ;(currentMenu().find((i) => i.label === '重新清理文章…')?.click as unknown as () => void)()
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, 'menuCommand', { command: 'reclean' }]])
    expect(fake.dialogs.messages).toEqual([])
  })

  it('rebuilds the menu and retitles later dialogs when the window switches', async () => {
    const built = fake.menus.length
    await setLanguage(RENDERER_URL, 'en')
    expect(fake.menus).toHaveLength(built + 1)
    expect(item('import').label).toBe('Import…')
    expect(item('find').label).toBe('Find')
    expect(await saveTitle()).toBe('Export')
    // The same language again changes nothing.
    await setLanguage(RENDERER_URL, 'en')
    expect(fake.menus).toHaveLength(built + 1)
    await setLanguage(RENDERER_URL, 'zh')
    expect(fake.menus).toHaveLength(built + 2)
    expect(item('import').label).toBe('导入…')
    expect(await saveTitle()).toBe('导出')
  })

  it('refuses other senders and other languages, and keeps the menu', async () => {
    const menus = fake.menus.length
    for (const url of ['https://evil.example/', 'file:///tmp/evil.html', 'about:blank', undefined])
      await expect(setLanguage(url, 'en'), String(url)).rejects.toThrow(/refused/u)
    for (const bad of ['en-US', 'fr', '', null, undefined, 7, ['en'], { locale: 'en' }])
      await expect(setLanguage(RENDERER_URL, bad), JSON.stringify(bad)).rejects.toThrow(
        /setShellLanguage/u
      )
    expect(fake.menus).toHaveLength(menus)
    expect(item('import').label).toBe('导入…')
  })
})
