import type { CliCommand } from '../command'
import { categoriesCommand } from './categories'
import { importCommand } from './import'
import { listCommand } from './list'
import { showCommand } from './show'

export const COMMANDS: readonly CliCommand[] = [
  importCommand,
  listCommand,
  categoriesCommand,
  showCommand
]
