// The shape every `gleaner <command>` module exports; main.ts dispatches by name.
import type { GleanerService } from '../core/service'
import type { Db } from '../core/library/open'
import type { SecretStore } from '../core/team/service-part'
import type { Segment } from './terminal'

export interface CliContext {
  /** Absolute path of the library file (--library, GLEANER_LIBRARY, or the app's default). */
  libraryPath: string
  /** The library's service (opened on first use, closed by main.ts after the command). */
  service(): GleanerService
  /** The service's database handle, for commands that work below the API. */
  db(): Db
  /**
   * Team libraries' passwords for this process only (a `team create` / `team join` URL's): the
   * library's service reads them here; nothing is written down.
   */
  secrets?: SecretStore
  /** Writes a line to stdout, made safe for a terminal (terminal.ts); segments mark highlights. */
  out(line: string | readonly Segment[]): void
  /** Writes a line to stderr, made safe for a terminal. */
  err(line: string): void
  /** True when stdout is a terminal (progress bars, colours). */
  isTTY: boolean
  /**
   * Asks a question on the terminal and returns the line typed; absent when stdin or stdout is
   * not a terminal (a script cannot answer: commands that must ask refuse without their flag).
   */
  ask?: (question: string) => Promise<string>
}

export interface CliCommand {
  name: string
  summary: string
  usage: string
  /**
   * The command never writes to the library: it starts without the integrity checks that take
   * seconds on a big library (commands that write run them all before they start).
   */
  readsOnly?: boolean
  /** Returns the process exit code: 0 when the command ran, even if some inputs failed. */
  run(args: string[], ctx: CliContext): Promise<number>
}
