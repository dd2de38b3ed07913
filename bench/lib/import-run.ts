// The app's import as the benchmarks run it (bench:import, bench:stories): the service's
// importPaths with the parse pool, timed, with CPU and peak RSS of the process.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { ImportOptions } from '../../src/core/importer/run'
import type { ImportProgress } from '../../src/shared/types'
import { createParsePool } from '../../src/core/importer/pool'
import { createGleanerService } from '../../src/core/service'

export interface SideResult {
  files: number
  articles: number
  secs: number
  /** CPU seconds of the whole process (all threads): robust to other load on the machine. */
  cpuSecs: number
  /** CPU seconds of the main thread alone (walk, read, hash, write, search index). */
  mainCpuSecs?: number
  peakRssMb: number
  maxProgressGapMs?: number
  poolMode?: string
  failed?: number
  /**
   * The run proper (walk, parse, write) until its last progress event, before what follows it
   * inside importPaths (the re-clean of older articles with newly learned boilerplate lines).
   */
  runSecs?: number
  runCpuSecs?: number
  runMainCpuSecs?: number
}

export function cpuSecs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since)
  return (u.user + u.system) / 1e6
}

export function peakRssMb(): number {
  // maxRSS is in kilobytes and covers the worker threads too (one process).
  return Math.round(process.resourceUsage().maxRSS / 1024)
}

export function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) yield* walk(p)
    else yield p
  }
}

/** Extra import options a benchmark sets (e.g. bench:stories turns the analysis off). */
export type BenchImportOptions = Omit<ImportOptions, 'parse' | 'signal' | 'onProgress' | 'onStart'>

export async function realImport(
  dir: string,
  dbPath: string,
  workers?: number,
  extra: BenchImportOptions = {},
  /** Each progress event, with the seconds since the run began. */
  onProgress?: (p: ImportProgress, secs: number) => void
): Promise<SideResult> {
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const m0 = process.threadCpuUsage()
  // What the app runs: the service's import (parse pool, batched writer, search indexing).
  // Pool start-up (workers loading the parser) is part of the import's cost.
  const pool = createParsePool(workers)
  const service = createGleanerService({
    libraryPath: dbPath,
    importOptions: { ...extra, parse: pool.parse }
  })
  let last = 0
  let maxGap = 0
  let runEnd = null as { secs: number; cpu: number; main: number } | null
  service.on('importProgress', (p) => {
    const t = performance.now()
    if (last) maxGap = Math.max(maxGap, t - last)
    onProgress?.(p, (t - t0) / 1000)
    last = t
    if (p.finished && !runEnd) {
      const m = process.threadCpuUsage(m0)
      runEnd = { secs: (t - t0) / 1000, cpu: cpuSecs(c0), main: (m.user + m.system) / 1e6 }
    }
  })
  const run = await service.importPaths([dir])
  const secs = (performance.now() - t0) / 1000
  const m = process.threadCpuUsage(m0)
  const mode = pool.mode
  await pool.close()
  service.close()
  return {
    files: run.counts.total,
    articles: run.counts.imported,
    failed: run.counts.failed,
    secs,
    cpuSecs: cpuSecs(c0),
    mainCpuSecs: (m.user + m.system) / 1e6,
    peakRssMb: peakRssMb(),
    maxProgressGapMs: Math.round(maxGap),
    poolMode: mode,
    ...(runEnd ? { runSecs: runEnd.secs, runCpuSecs: runEnd.cpu, runMainCpuSecs: runEnd.main } : {})
  }
}
