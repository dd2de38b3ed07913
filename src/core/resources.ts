// Where the data Gleaner ships (site rules, export templates, word lists) lives, wherever the core runs:
// the repository (tests, CLI, web preview), the built app (out/main), or a packaged app
// (electron-builder copies resources into process.resourcesPath).
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export type ResourceName = 'site-rules' | 'templates' | 'synonyms' | 'analysis'

/** This module's folder, when it was loaded from a file (bundlers and test DOMs may say otherwise). */
function moduleDir(): string | null {
  try {
    const url = new URL('.', import.meta.url)
    return url.protocol === 'file:' ? fileURLToPath(url) : null
  } catch {
    return null
  }
}

/** Candidate folders for a resource, most specific first. */
export function resourceCandidates(name: ResourceName): string[] {
  const out: string[] = []
  if (process.env.GLEANER_RESOURCES) out.push(join(process.env.GLEANER_RESOURCES, name))
  // Set by Electron in packaged apps; read from `process` so the core never imports electron.
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath
  if (resourcesPath) out.push(join(resourcesPath, name))
  const starts = [moduleDir(), process.cwd()].filter((d): d is string => d !== null)
  for (const start of starts) {
    for (let dir = start; ; dir = dirname(dir)) {
      out.push(join(dir, 'resources', name))
      if (dirname(dir) === dir) break
    }
  }
  return out
}

/** The first existing folder for the resource that holds `marker` (a file inside it), or null. */
export function findResourceDir(name: ResourceName, marker?: string): string | null {
  for (const dir of resourceCandidates(name)) {
    if (existsSync(marker ? join(dir, marker) : dir)) return dir
  }
  return null
}
