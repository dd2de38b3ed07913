// `gleaner history`, `gleaner undo`, `gleaner redo`: the library's change log from the terminal,
// the same log and the same undo stack as the app's Edit menu.
import { changeAction, changeSentence } from '../../shared/change-labels'
import type { LibraryChange } from '../../shared/change-types'
import { parseCommandArgs, parseId } from '../args'
import type { CliCommand } from '../command'

const historyUsage = `Usage: gleaner history [--limit N] [--before SEQ] [--json]
Lists the library's changes, newest first: when, from where (app, web, cli, watch), what. Changes
marked "undone" stand reverted; 'gleaner undo' reverts the newest change that can be undone.`

function line(c: LibraryChange): string {
  const when = c.at.replace('T', ' ').replace(/\.\d+Z$/u, 'Z')
  const flag = c.undone ? '  (undone)' : ''
  return `${String(c.seq).padStart(6)}  ${when}  ${c.origin.padEnd(5)}  ${changeSentence(c, 'en')}${flag}`
}

export const historyCommand: CliCommand = {
  name: 'history',
  summary: 'list the library’s changes, newest first',
  usage: historyUsage,
  async run(args, ctx) {
    const { values } = parseCommandArgs(
      args,
      { json: { type: 'boolean' }, limit: { type: 'string' }, before: { type: 'string' } },
      historyUsage
    )
    const changes = await ctx.service().history({
      limit: values.limit === undefined ? 50 : parseId(values.limit, 'limit'),
      ...(values.before === undefined ? {} : { beforeSeq: parseId(values.before, 'seq') })
    })
    if (values.json) ctx.out(JSON.stringify(changes, null, 2))
    else if (changes.length === 0) ctx.out('No changes yet.')
    else for (const c of changes) ctx.out(line(c))
    return 0
  }
}

function revertCommand(kind: 'undo' | 'redo'): CliCommand {
  const usage = `Usage: gleaner ${kind} [--json]
${kind === 'undo' ? 'Undoes the newest change that can be undone' : 'Redoes the newest undone change'} (the same stack as the app's Edit › ${kind === 'undo' ? 'Undo' : 'Redo'}).`
  return {
    name: kind,
    summary: kind === 'undo' ? 'undo the last change' : 'redo the last undone change',
    usage,
    async run(args, ctx) {
      const { values } = parseCommandArgs(args, { json: { type: 'boolean' } }, usage)
      const service = ctx.service()
      const change = kind === 'undo' ? await service.undo() : await service.redo()
      if (values.json) ctx.out(JSON.stringify(change))
      else if (!change) ctx.out(kind === 'undo' ? 'Nothing to undo.' : 'Nothing to redo.')
      else
        ctx.out(
          `${kind === 'undo' ? 'Undid' : 'Redid'}: ${changeAction(change, 'en')} (change ${change.seq})`
        )
      return 0
    }
  }
}

export const undoCommand = revertCommand('undo')
export const redoCommand = revertCommand('redo')
