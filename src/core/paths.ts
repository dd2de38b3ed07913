import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_DIR_NAME = 'Gleaner'
export const LIBRARY_FILE_NAME = 'library.db'

/**
 * The per-user folder the desktop app keeps its data in. Matches Electron's
 * app.getPath('userData') for an app named Gleaner, so the CLI and the app share a library.
 */
export function appDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir()
): string {
  if (platform === 'win32')
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME)
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_DIR_NAME)
}

/** --library beats GLEANER_LIBRARY beats the app's default. */
export function resolveLibraryPath(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env
): string {
  return (
    explicit || env.GLEANER_LIBRARY || join(appDataDir(process.platform, env), LIBRARY_FILE_NAME)
  )
}
