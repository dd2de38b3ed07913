// How a team library's sync reads in the window: its state in a few words (synced N minutes
// ago, syncing…, offline) and its last error in the user's language (by the error's code).
import type { TeamStatus } from '../../../shared/team-types'
import { errorText } from './errorText'
import { i18n, t } from './i18n.svelte'

export type TeamState = 'syncing' | 'offline' | 'error' | 'synced' | 'never'

export function teamState(s: TeamStatus, syncing = false): TeamState {
  if (syncing || s.state === 'syncing') return 'syncing'
  if (s.state === 'offline') return 'offline'
  if (s.lastError) return 'error'
  return s.lastSyncAt ? 'synced' : 'never'
}

/** "Synced 3 min ago", "Syncing…", "Offline": minutes for the last hour, then the time. */
export function teamStateText(s: TeamStatus, now: Date, syncing = false): string {
  const state = teamState(s, syncing)
  if (state === 'syncing') return t('teamSyncing')
  if (state === 'offline') return t('teamOffline')
  if (!s.lastSyncAt) return t('teamNeverSynced')
  const minutes = Math.floor((now.getTime() - new Date(s.lastSyncAt).getTime()) / 60_000)
  const synced =
    minutes < 1
      ? t('teamSyncedNow')
      : minutes < 60
        ? t('teamSyncedMinutes', { n: minutes })
        : t('teamSyncedAt', { time: i18n.formatDate(s.lastSyncAt) })
  return state === 'error' ? `${synced} · ${t('teamSyncFailed')}` : synced
}

/** The last sync's error in the window's language (an unknown code keeps the core's English). */
export function teamErrorText(s: TeamStatus): string | null {
  return s.lastError ? errorText(s.lastError) : null
}
