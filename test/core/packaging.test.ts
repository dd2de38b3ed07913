// electron-builder downloads Electron and platform tools, so `npm run dist` cannot run on these
// offline machines. This checks what it would be given: the configuration and its inputs.
import { describe, expect, it } from 'vitest'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import yaml from 'js-yaml'

const ROOT = resolve(__dirname, '../..')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string
  productName: string
  scripts: Record<string, string>
  devDependencies: Record<string, string>
  dependencies: Record<string, string>
}
interface BuilderConfig {
  appId: string
  productName: string
  directories: { buildResources: string; output: string }
  files: string[]
  extraResources: { from: string; to: string }[]
  asarUnpack: string[]
  npmRebuild: boolean
  linux: { target: string[]; icon: string }
  mac: { target: string[]; icon: string }
  win: { target: string[]; icon: string }
  electronFuses: Record<string, boolean>
}
const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig

function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file)
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG')
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) }
}

describe('packaging configuration', () => {
  it('targets AppImage and deb, nsis, and dmg, with one product name', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']))
    expect(config.win.target).toContain('nsis')
    expect(config.mac.target).toContain('dmg')
    expect(config.productName).toBe('Gleaner')
    expect(pkg.productName).toBe('Gleaner')
    expect(pkg.scripts.dist).toMatch(/electron-vite build && electron-builder/u)
    expect(pkg.devDependencies['electron-builder']).toMatch(/^\d+\.\d+\.\d+$/u)
    expect(pkg.devDependencies.electron).toMatch(/^\d+\.\d+\.\d+$/u)
  })

  it('has icons of at least 512×512 for every platform', () => {
    for (const p of [config.linux, config.mac, config.win]) {
      const icon = join(ROOT, p.icon)
      expect(existsSync(icon)).toBe(true)
      const { width, height } = pngSize(icon)
      expect(width).toBeGreaterThanOrEqual(512)
      expect(height).toBe(width)
    }
  })

  it('ships the built app and the data the core reads at run time', () => {
    expect(config.files).toContain('out/**')
    expect(pkg.main).toBe('./out/main/index.js')
    for (const r of config.extraResources) {
      const dir = join(ROOT, r.from)
      expect(statSync(dir).isDirectory()).toBe(true)
    }
    expect(config.extraResources.map((r) => r.to).sort()).toEqual([
      'analysis',
      'site-rules',
      'synonyms',
      'templates'
    ])
    // The native module loads from outside the archive, and is never rebuilt (N-API prebuild).
    expect(config.asarUnpack.join()).toMatch(/better-sqlite3/u)
    expect(config.npmRebuild).toBe(false)
    expect(pkg.dependencies['better-sqlite3']).toMatch(/^13\./u)
  })

  it('flips the Electron fuses that turn the packaged binary into less than a Node runtime', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false
    })
    // RunAsNode off breaks child_process.fork in main: nothing there may use it.
    for (const file of readdirSync(join(ROOT, 'src/main'), { recursive: true }))
      if (String(file).endsWith('.ts'))
        expect(
          readFileSync(join(ROOT, 'src/main', String(file)), 'utf8'),
          String(file)
        ).not.toMatch(/child_process|\bfork\(/u)
  })

  it('is a configuration electron-builder itself accepts (its own schema)', async () => {
    const { validateConfiguration } = await import('app-builder-lib/out/util/config/config')
    const { DebugLogger } = await import('builder-util')
    await expect(
      validateConfiguration(structuredClone(config) as never, new DebugLogger(false))
    ).resolves.toBeUndefined()
    // The check is real: a misspelt fuse is refused.
    await expect(
      validateConfiguration(
        { ...structuredClone(config), electronFuses: { runAsnode: false } } as never,
        new DebugLogger(false)
      )
    ).rejects.toThrow(/electronFuses/u)
  })

  // npm test builds before vitest runs; a bare `vitest` without a build fails here saying so,
  // rather than passing without having looked.
  it('the build outputs it packages exist (run `npm run build` first)', () => {
    expect(
      existsSync(join(ROOT, 'out', 'main', 'index.js')),
      'out/main/index.js is missing: run `npm run build` before these tests'
    ).toBe(true)
    expect(existsSync(join(ROOT, 'out', 'preload', 'index.cjs'))).toBe(true)
    expect(existsSync(join(ROOT, 'out', 'renderer', 'index.html'))).toBe(true)
    // The window's first frame is rendered by this (src/host/prerendered-index.ts); svelte and
    // virtua are devDependencies, so it must hold them rather than import them.
    const prerender = readFileSync(join(ROOT, 'out', 'main', 'prerender.js'), 'utf8')
    expect(prerender).not.toMatch(/^import[^\n]*["'](?:svelte|virtua)[/"']/mu)
  })
})
