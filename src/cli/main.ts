// `gleaner` — the command-line front door over the same core as the app.
import { resolve } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { createGleanerService, type GleanerService } from '../core/service'
import { resolveLibraryPath } from '../core/paths'
import type { CliCommand, CliContext } from './command'
import { COMMANDS } from './commands'
import { memorySecretStore } from '../core/team/secrets'
import { printable, terminalSafe } from './terminal'

const GLOBAL_HELP = `Usage: gleaner [--library FILE] <command> [options]

Library: --library FILE, or GLEANER_LIBRARY, or the app's default library.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join('\n')}

Run 'gleaner <command> --help' for a command's options.`

/** Takes --library from anywhere on the line so it can sit before or after the command. */
function splitGlobal(argv: string[]): { library?: string; rest: string[] } {
  const rest: string[] = []
  let library: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? ''
    if (a === '--library') library = argv[++i]
    else if (a.startsWith('--library=')) library = a.slice('--library='.length)
    else rest.push(a)
  }
  return library === undefined ? { rest } : { library, rest }
}

/** The search index being rebuilt before a command runs (a new Gleaner, a new SQLite). */
function drawIndexProgress(done: number, total: number): void {
  process.stderr.write(
    done < total
      ? `\rRebuilding the search index: ${done} of ${total} articles\u001b[K`
      : '\r\u001b[K'
  )
}

/** One line typed on the terminal in answer to a question. */
async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  try {
    return await rl.question(question)
  } finally {
    rl.close()
  }
}

export async function runCli(argv: string[]): Promise<number> {
  const { library, rest } = splitGlobal(argv)
  const [name, ...args] = rest
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(GLOBAL_HELP + '\n')
    return name ? 0 : 2
  }
  const command: CliCommand | undefined = COMMANDS.find((c) => c.name === name)
  if (!command) {
    process.stderr.write(`gleaner: unknown command '${terminalSafe(name)}'\n\n${GLOBAL_HELP}\n`)
    return 2
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${command.usage}\n`)
    return 0
  }
  const libraryPath = resolve(resolveLibraryPath(library))
  let service: GleanerService | undefined
  const secrets = memorySecretStore()
  const ctx: CliContext = {
    libraryPath,
    secrets,
    // The CLI's changes reach open windows through the log; it needs to hear none itself.
    service: () =>
      (service ??= createGleanerService({
        libraryPath,
        origin: name === 'watch' ? 'watch' : 'cli',
        watchExternal: false,
        // A short-lived process: check everything before a command that writes, nothing that
        // takes long before one that only reads (SQLite still reports damage it runs into).
        check: command.readsOnly ? 'open-only' : 'full',
        // A one-shot command needs the new index at once; a terminal sees it being built.
        indexRebuild: 'at-open',
        // `gleaner watch` runs for hours: it polls subscribed feeds on their schedule too.
        capture: { scheduleFeeds: name === 'watch' },
        // One-shot commands sync when asked (`team sync`); `gleaner watch` keeps in step.
        team: { continuous: name === 'watch', secrets },
        ...(process.stderr.isTTY ? { onIndexProgress: drawIndexProgress } : {})
      })),
    db: () => ctx.service().db,
    out: (line) => process.stdout.write(printable(line, ctx.isTTY) + '\n'),
    err: (line) => process.stderr.write(terminalSafe(line) + '\n'),
    isTTY: Boolean(process.stdout.isTTY),
    ...(process.stdin.isTTY && process.stdout.isTTY ? { ask } : {})
  }
  try {
    return await command.run(args, ctx)
  } catch (e) {
    // Commands that write below the API (annotate, collections) meet a damaged library as
    // SQLite's own error; say it as the API would (library-corrupt, with how to restore).
    const shown = (service?.health.noteError(e) ?? e) as Error
    process.stderr.write(terminalSafe(`gleaner ${name}: ${shown.message ?? String(shown)}`) + '\n')
    return 1
  } finally {
    // Re-cleans an import set off (lines learned as a source's boilerplate) finish first.
    await service?.idle()
    service?.close()
  }
}

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    process.stderr.write(terminalSafe(`gleaner: ${String(e)}`) + '\n')
    process.exitCode = 1
  }
)
