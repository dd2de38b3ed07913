import type { CliCommand } from '../command'
import { annotateCommand } from './annotate'
import { annotationsCommand } from './annotations'
import { categoriesCommand } from './categories'
import { collectionsCommand } from './collections'
import { exportCommand } from './export'
import { importCommand } from './import'
import { listCommand } from './list'
import { recleanCommand } from './reclean'
import { searchCommand } from './search'
import { showCommand } from './show'

export const COMMANDS: readonly CliCommand[] = [
  importCommand,
  listCommand,
  categoriesCommand,
  showCommand,
  searchCommand,
  recleanCommand,
  annotateCommand,
  annotationsCommand,
  collectionsCommand,
  exportCommand
]
