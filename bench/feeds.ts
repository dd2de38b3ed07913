// Feed polling benchmark (issue 18): 500 feeds × 50 items made from the corpus's RSSHub posts,
// served by loopback servers on several addresses (127.0.0.2 …: one "host" each). A first poll
// of every feed (every item imported), then a steady-state poll (every feed answers 304).
//
//   npm run bench:feeds
//   npm run bench:feeds -- --feeds 100 --items 20 --hosts 5 --latency-ms 50
//
// The servers run in a child process of their own, so this process's CPU and peak RSS are the
// poller's and the import's alone; the child counts the most requests in flight per host.
import { fork, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createGleanerService } from '../src/core/service'
import { posts, rss2 } from '../test/helpers/feed-docs'
import { cpuSecs, peakRssMb } from './lib/import-run'

const SELF = fileURLToPath(import.meta.url)

const { values } = parseArgs({
  options: {
    feeds: { type: 'string', default: '500' },
    items: { type: 'string', default: '50' },
    hosts: { type: 'string', default: '10' },
    'latency-ms': { type: 'string', default: '20' },
    serve: { type: 'boolean', default: false }
  }
})
const FEEDS = Number(values.feeds)
const ITEMS = Number(values.items)
const HOSTS = Number(values.hosts)
/** Each answer waits this long first, as over a network (and so requests to one host overlap). */
const LATENCY_MS = Number(values['latency-ms'])

interface ServeStats {
  maxPerHost: number
  requests: number
  notModified: number
}

/** The child: one HTTP server per host, each serving its share of the feeds. */
async function serve(): Promise<void> {
  const origins: string[] = []
  let maxPerHost = 0
  let requests = 0
  let notModified = 0
  for (let h = 0; h < HOSTS; h++) {
    const host = `127.0.0.${h + 2}`
    let inFlight = 0
    const server = createServer((req, res) => {
      requests++
      inFlight++
      maxPerHost = Math.max(maxPerHost, inFlight)
      res.on('close', () => inFlight--)
      setTimeout(() => answer(req, res), LATENCY_MS)
    })
    const answer = (req: IncomingMessage, res: ServerResponse): void => {
      const m = /^\/feed\/(\d+)$/.exec(req.url ?? '')
      const n = m ? Number(m[1]) : -1
      if (n < 0 || n >= FEEDS) return void res.writeHead(404).end()
      // Each feed's document never changes: its ETag is known without building it.
      const etag = `"feed-${n}-${ITEMS}"`
      if (req.headers['if-none-match'] === etag) {
        notModified++
        return void res.writeHead(304, { etag }).end()
      }
      const origin = `http://${host}:${(server.address() as { port: number }).port}`
      const body = rss2(
        { title: `RSSHub 路由 ${n}`, site: `${origin}/site/${n}` },
        posts(ITEMS, `${origin}/p/${n}`, n * ITEMS)
      )
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(body)
    }
    server.keepAliveTimeout = 30_000
    await new Promise<void>((r) => server.listen(0, host, r))
    origins.push(`http://${host}:${(server.address() as { port: number }).port}`)
  }
  process.on('message', (msg) => {
    if (msg === 'stats') process.send?.({ maxPerHost, requests, notModified } satisfies ServeStats)
    if (msg === 'reset') {
      maxPerHost = 0
      requests = 0
      notModified = 0
      process.send?.('reset')
    }
  })
  process.send?.({ origins })
}

function ask<T>(child: ChildProcess, msg: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T))
    child.send(msg)
  })
}

async function main(): Promise<void> {
  const child = fork(
    SELF,
    ['--serve', '--feeds', String(FEEDS), '--items', String(ITEMS), '--hosts', String(HOSTS)],
    {
      execArgv: process.execArgv
    }
  )
  const { origins } = await new Promise<{ origins: string[] }>((resolve) =>
    child.once('message', (m) => resolve(m as { origins: string[] }))
  )
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-bench-feeds-'))
  const svc = createGleanerService({
    libraryPath: join(dir, 'library.db'),
    capture: { perHostLimit: 2, pollConcurrency: 16 }
  })
  try {
    // Subscribing is one undoable change: the OPML import (no first poll is measured here).
    const opml = `<?xml version="1.0"?><opml version="2.0"><body>${Array.from(
      { length: FEEDS },
      (_, n) => `<outline type="rss" text="f${n}" xmlUrl="${origins[n % HOSTS]}/feed/${n}"/>`
    ).join('')}</body></opml>`
    // importOpml starts the first polls in the background; the measured poll shares them.
    const t0 = performance.now()
    const cpu0 = process.cpuUsage()
    const added = await svc.importOpml(opml)
    const first = await svc.pollFeeds(added.added.map((f) => f.id))
    const firstSecs = (performance.now() - t0) / 1000
    const firstCpu = cpuSecs(cpu0)
    const imported = first.reduce((n, r) => n + r.counts.imported, 0)
    const failed = first.filter((r) => r.status === 'failed')
    const firstStats = await ask<ServeStats>(child, 'stats')
    await ask(child, 'reset')

    const t1 = performance.now()
    const cpu1 = process.cpuUsage()
    const steady = await svc.pollFeeds()
    const steadySecs = (performance.now() - t1) / 1000
    const steadyCpu = cpuSecs(cpu1)
    const steadyStats = await ask<ServeStats>(child, 'stats')
    const notModified = steady.filter((r) => r.status === 'not-modified').length
    const articles = (await svc.listArticles({ limit: 1 })).total

    const maxPerHost = Math.max(firstStats.maxPerHost, steadyStats.maxPerHost)
    const digest = createHash('sha256').update(String(articles)).digest('hex').slice(0, 8)
    console.log(
      `feeds ${FEEDS} × ${ITEMS} items on ${HOSTS} hosts (${origins[0]} …), ${LATENCY_MS} ms a response`
    )
    console.log(
      `first poll:  ${firstSecs.toFixed(1)} s wall, ${firstCpu.toFixed(1)} CPU s (this process), ${imported} items imported (${(imported / firstSecs).toFixed(0)}/s), ${failed.length} feeds failed, ${firstStats.requests} requests`
    )
    if (failed[0]) console.log(`  first failure: ${failed[0].url}: ${failed[0].error?.message}`)
    console.log(
      `steady poll: ${steadySecs.toFixed(2)} s wall, ${steadyCpu.toFixed(2)} CPU s, ${notModified}/${steady.length} not modified, ${steadyStats.requests} requests`
    )
    console.log(
      `library: ${articles} articles (${digest}); peak RSS ${peakRssMb()} MB; most requests to one host at once: ${maxPerHost}`
    )
    console.log(
      `BENCH feeds feeds=${FEEDS} first_poll_s=${firstSecs.toFixed(1)} steady_poll_s=${steadySecs.toFixed(2)} steady_cpu_s=${steadyCpu.toFixed(2)} peak_rss_mb=${peakRssMb()} max_per_host=${maxPerHost}`
    )
  } finally {
    svc.close()
    child.kill()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (values.serve) void serve()
else
  main().catch((e: unknown) => {
    console.error(e)
    process.exitCode = 1
  })
