import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { FeedPollResult, FeedSummary } from '../../shared/capture-types'
import { GleanerError } from '../../shared/errors'
import { parseCategoryPath } from '../../shared/category-path'
import { normaliseFeedUrl } from '../../core/feeds/store'
import { MAX_OPML_CHARS } from '../../core/feeds/opml'
import { parseCommandArgs } from '../args'
import type { CliCommand, CliContext } from '../command'
import { table } from '../table'

const usage = `Usage: gleaner feeds <subcommand> [options]
Feed subscriptions (RSS 2.0, RSS 1.0, Atom, JSON Feed), polled for new items.
  feeds add URL [--category PATH] [--tag NAME…] [--full-text] [--interval MINUTES]
                     subscribe (PATH like 新闻/财经) and poll it once now
  feeds list [--json]                    subscriptions, last poll, errors, article counts
  feeds remove URL                       unsubscribe (its articles stay; undo brings it back)
  feeds poll [URL] [--json]              poll now (all feeds not paused, or one) and print
                                         what arrived; --json: per feed { url, status, error,
                                         counts, results } as in import --json
  feeds import-opml FILE                 subscribe to every feed an OPML file lists
  feeds export-opml FILE [--force]       write the subscriptions as OPML 2.0 (an existing
                                         file is not replaced without --force)`

function feedByUrl(feeds: FeedSummary[], raw: string): FeedSummary {
  const url = normaliseFeedUrl(raw)
  const found = feeds.find((f) => f.url === url)
  if (!found) throw new GleanerError('feed-not-found', `not subscribed to ${url}`, { url })
  return found
}

function printPoll(ctx: CliContext, results: FeedPollResult[]): void {
  for (const r of results) {
    const c = r.counts
    if (r.status === 'failed' || r.status === 'skipped')
      ctx.out(`${r.url}: failed: ${r.error?.message ?? 'unknown error'}`)
    else if (r.status === 'not-modified') ctx.out(`${r.url}: not modified`)
    else
      ctx.out(
        `${r.url}: ${c.imported} new, ${c.updated} updated, ${c.duplicates} duplicates, ${c.failed} failed`
      )
    for (const x of r.results) {
      if (x.status === 'failed') ctx.out(`  failed: ${x.path}: ${x.reason ?? ''}`)
      for (const w of x.warnings ?? []) ctx.out(`  warning: ${x.path}: ${w}`)
    }
  }
}

export const feedsCommand: CliCommand = {
  name: 'feeds',
  summary: 'subscribe to feeds, poll them, OPML import and export',
  usage,
  async run(args, ctx) {
    const [sub, ...rest] = args
    const { values, positionals } = parseCommandArgs(
      rest,
      {
        json: { type: 'boolean' },
        category: { type: 'string' },
        tag: { type: 'string', multiple: true },
        'full-text': { type: 'boolean' },
        interval: { type: 'string' },
        force: { type: 'boolean' }
      },
      usage
    )
    const one = (): string | null => {
      if (positionals.length !== 1) {
        ctx.err(usage)
        return null
      }
      return positionals[0] as string
    }
    const service = ctx.service()
    switch (sub) {
      case 'add': {
        const url = one()
        if (url === null) return 2
        const interval = values.interval === undefined ? undefined : Number(values.interval)
        const feed = await service.addFeed(url, {
          ...(values.category ? { categoryPath: parseCategoryPath(values.category) } : {}),
          ...(values.tag?.length ? { tags: values.tag } : {}),
          ...(values['full-text'] ? { fullText: true } : {}),
          ...(interval !== undefined ? { intervalMinutes: interval } : {})
        })
        ctx.out(`Subscribed to ${feed.url}`)
        // The first poll started with the subscription; this process waits for it and says
        // what arrived (it would be stopped when the command ends otherwise).
        printPoll(ctx, await service.pollFeeds([feed.id]))
        return 0
      }
      case 'list': {
        const feeds = await service.listFeeds()
        if (values.json) {
          ctx.out(JSON.stringify(feeds, null, 2))
          return 0
        }
        if (!feeds.length) {
          ctx.out('No feeds. Add one with: gleaner feeds add URL')
          return 0
        }
        for (const line of table(
          [
            { header: 'Feed' },
            { header: 'Articles', align: 'right' },
            { header: 'Unread', align: 'right' },
            { header: 'Last poll' },
            { header: 'State' }
          ],
          feeds.map((f) => [
            `${f.title ?? f.url}${f.title ? ` <${f.url}>` : ''}`,
            f.articleCount,
            f.unread,
            f.lastPollAt?.slice(0, 16).replace('T', ' ') ?? 'never',
            f.paused
              ? `paused${f.lastError ? `: ${f.lastError.message}` : ''}`
              : f.lastError
                ? `error (${f.failures} in a row): ${f.lastError.message}`
                : 'ok'
          ])
        ))
          ctx.out(line)
        return 0
      }
      case 'remove': {
        const url = one()
        if (url === null) return 2
        const feed = feedByUrl(await service.listFeeds(), url)
        await service.removeFeed(feed.id)
        ctx.out(
          `Unsubscribed from ${feed.url}; its ${feed.articleCount} article(s) stay in the library`
        )
        return 0
      }
      case 'poll': {
        if (positionals.length > 1) {
          ctx.err(usage)
          return 2
        }
        const ids = positionals[0]
          ? [feedByUrl(await service.listFeeds(), positionals[0]).id]
          : undefined
        const results = await service.pollFeeds(ids)
        if (values.json) ctx.out(JSON.stringify(results, null, 2))
        else if (!results.length) ctx.out('No feeds to poll.')
        else printPoll(ctx, results)
        return 0
      }
      case 'import-opml': {
        const file = one()
        if (file === null) return 2
        const text = readFileSync(resolve(file), 'utf8')
        if (text.length > MAX_OPML_CHARS)
          throw new GleanerError('opml-invalid', `${file} is over ${MAX_OPML_CHARS} characters`)
        const r = await service.importOpml(text)
        ctx.out(`Subscribed to ${r.added.length} feed(s); skipped ${r.skipped.length}`)
        for (const s of r.skipped) ctx.out(`  skipped: ${s.url}: ${s.reason}`)
        // Their first polls started with the import; wait for them.
        if (r.added.length) printPoll(ctx, await service.pollFeeds(r.added.map((f) => f.id)))
        return 0
      }
      case 'export-opml': {
        const file = one()
        if (file === null) return 2
        const path = resolve(file)
        const opml = await service.exportOpml()
        try {
          // 'wx': never replace the user's file unless asked to.
          writeFileSync(path, opml, { flag: values.force ? 'w' : 'wx' })
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EEXIST')
            throw new GleanerError(
              'file-exists',
              `${path} already exists; nothing was written. Add --force to replace it.`,
              { path }
            )
          throw e
        }
        ctx.out(`Wrote ${(await service.listFeeds()).length} feed(s) to ${path}`)
        return 0
      }
      default:
        ctx.err(usage)
        return 2
    }
  }
}
