import type { CliCommand } from '../command'
import { annotateCommand } from './annotate'
import { annotationsCommand } from './annotations'
import { backupCommand } from './backup'
import { boilerplateCommand } from './boilerplate'
import { checkCommand } from './check'
import { categoriesCommand } from './categories'
import { collectionsCommand } from './collections'
import { copiesCommand } from './copies'
import { entitiesCommand } from './entities'
import { exportCommand } from './export'
import { feedsCommand } from './feeds'
import { historyCommand, redoCommand, undoCommand } from './history'
import { importCommand } from './import'
import { listCommand } from './list'
import { recleanCommand } from './reclean'
import { restoreCommand } from './restore'
import { searchCommand } from './search'
import { showCommand } from './show'
import { storiesCommand } from './stories'
import { tagCommand } from './tag'
import { teamCommand } from './team'
import { trashCommand } from './trash'
import { watchCommand } from './watch'

export const COMMANDS: readonly CliCommand[] = [
  importCommand,
  listCommand,
  categoriesCommand,
  showCommand,
  searchCommand,
  copiesCommand,
  storiesCommand,
  entitiesCommand,
  recleanCommand,
  boilerplateCommand,
  annotateCommand,
  annotationsCommand,
  collectionsCommand,
  tagCommand,
  trashCommand,
  exportCommand,
  feedsCommand,
  watchCommand,
  teamCommand,
  backupCommand,
  checkCommand,
  restoreCommand,
  historyCommand,
  undoCommand,
  redoCommand
]
