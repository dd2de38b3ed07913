// The Team section over the real core (in a child process) on a library made the copy of a team
// library on a real PostgreSQL server of this file's own (by `gleaner team create`): hidden in a
// personal library; after Sync now it names the team library, the server (without a password),
// "synced just now", no edits pending and who is connected, in English and Chinese; with the
// server down, Sync now shows "offline" and the error in the window's language, not the core's
// English line; the heading folds it away by keyboard.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { configure, fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GleanerApi, GleanerBridge } from '../../src/shared/api'
import TeamSection from '../../src/renderer/src/components/team/TeamSection.svelte'
import { TeamData } from '../../src/renderer/src/lib/teamData.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { childBridge, type ChildBridge } from '../helpers/childBridge'
import { pgAvailable, startPgCluster, type PgCluster } from '../helpers/pg-cluster'
import { openRealLibrary, ROOT, type RealLibrary } from './realLibrary'

configure({ asyncUtilTimeout: 15_000 })

let pg: PgCluster
let team: RealLibrary
let personal: RealLibrary
let core: ChildBridge
let solo: ChildBridge
/** The app's case: a keychain, and no password in the environment. */
let keyed: ChildBridge
let api: GleanerApi
let bridge: GleanerBridge

const describeWithPg = pgAvailable ? describe : describe.skip
if (!pgAvailable)
  console.warn('TeamSection tests skipped: PostgreSQL 15 binaries are not installed')

beforeAll(async () => {
  if (!pgAvailable) return
  pg = await startPgCluster()
  pg.psql(`CREATE ROLE desk_admin LOGIN CREATEROLE PASSWORD 'admin-pw'`)
  pg.psql(`CREATE DATABASE news OWNER desk_admin`)
  team = openRealLibrary()
  personal = openRealLibrary()
  // The front door an administrator uses.
  execFileSync(
    join(ROOT, 'node_modules/.bin/tsx'),
    [
      join(ROOT, 'src/cli/main.ts'),
      'team',
      'create',
      'desk',
      '--server',
      `postgres://desk_admin:admin-pw@127.0.0.1:${pg.port}/news`,
      '--library',
      team.path
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }
  )
  // The child service finds the password where the CLI and the web preview do.
  process.env.PGPASSWORD = 'admin-pw'
  core = childBridge(team.path)
  solo = childBridge(personal.path)
  keyed = childBridge(team.path, {
    keychain: true,
    env: { ...process.env, PGPASSWORD: 'not-the-password', PGPASSFILE: '/nonexistent' }
  })
  await Promise.all([core.ready, solo.ready, keyed.ready])
  bridge = core.bridge
  api = bridge.api
}, 180_000)

afterAll(async () => {
  await core?.close()
  await solo?.close()
  await keyed?.close()
  team?.dispose()
  personal?.dispose()
  pg?.destroy()
  delete process.env.PGPASSWORD
})

/** TeamData as App.svelte keeps it: loaded, then replaced by every teamStatus event. */
async function teamData(from: GleanerBridge): Promise<{ data: TeamData; off: () => void }> {
  const data = new TeamData(from.api)
  await data.load()
  return { data, off: from.on('teamStatus', (s) => data.heard(s)) }
}

const state = (): string => screen.getByTestId('team-state').textContent?.trim() ?? ''

describeWithPg('the Team section', () => {
  it('is not there in a personal library', async () => {
    const { data, off } = await teamData(solo.bridge)
    expect(data.loaded).toBe(true)
    expect(data.status).toBeNull()
    const view = render(TeamSection, { data })
    expect(document.querySelector('section.team')).toBeNull()
    view.unmount()
    off()
  })

  it('after Sync now: the team library, its server, synced just now, nothing pending, who is connected — in English and Chinese', async () => {
    i18n.set('en')
    localStorage.clear()
    const { data, off } = await teamData(bridge)
    const view = render(TeamSection, { data })
    expect(screen.getByRole('heading', { name: 'Team' })).toBeTruthy()
    expect(screen.getByText('desk')).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Sync now' }))
    await waitFor(() => expect(state()).toBe('Synced just now'))
    expect(screen.getByTestId('team-pending').textContent?.trim()).toBe('All edits sent')
    const server = `postgres://desk_admin@127.0.0.1:${pg.port}/news`
    expect(screen.getByText(server)).toBeTruthy()
    expect(document.body.textContent).not.toContain('admin-pw')
    expect(screen.getByText('You: desk_admin, administrator')).toBeTruthy()
    const connected = screen.getByRole('list', { name: 'Connected now' })
    expect(connected.textContent).toContain('desk_admin')
    i18n.set('zh')
    await waitFor(() => expect(state()).toBe('刚刚已同步'))
    expect(screen.getByText('修改已全部发送')).toBeTruthy()
    expect(screen.getByRole('button', { name: '立即同步' })).toBeTruthy()
    view.unmount()
    off()
  })

  it('with the server down, Sync now says offline and why, in the window’s language', async () => {
    i18n.set('zh')
    const { data, off } = await teamData(bridge)
    const view = render(TeamSection, { data })
    pg.stop()
    try {
      await fireEvent.click(screen.getByRole('button', { name: '立即同步' }))
      await waitFor(() => expect(state()).toBe('离线：修改暂存在本机'))
      const alert = screen.getByRole('alert')
      expect(alert.textContent).toContain('无法连接服务器')
      // The core's English line is not what the window shows.
      const status = await api.teamStatus()
      expect(status?.lastError?.message).toBeTruthy()
      expect(alert.textContent).not.toContain(status!.lastError!.message)
      i18n.set('en')
      await waitFor(() =>
        expect(screen.getByRole('alert').textContent).toMatch(/cannot be reached/)
      )
    } finally {
      pg.start()
    }
    // Pressed again while it still says offline, as a user would: on a busy machine the first
    // press can meet the cluster still starting, or a sync from before still running.
    await waitFor(
      async () => {
        if (state().startsWith('Offline'))
          await fireEvent.click(screen.getByRole('button', { name: 'Sync now' }))
        expect(state()).toBe('Synced just now')
      },
      { timeout: 20_000, interval: 500 }
    )
    expect(screen.queryByRole('alert')).toBeNull()
    view.unmount()
    off()
    // Stopping and starting a PostgreSQL cluster takes seconds on a busy machine.
  }, 30_000)

  it('asks for the password when the server refuses the login, keeps it in the keychain and syncs', async () => {
    i18n.set('en')
    localStorage.clear()
    const { data, off } = await teamData(keyed.bridge)
    const view = render(TeamSection, { data })
    expect(screen.queryByLabelText(/Password of desk_admin/)).toBeNull()
    await fireEvent.click(screen.getByRole('button', { name: 'Sync now' }))
    const field = (await screen.findByLabelText(/Password of desk_admin/)) as HTMLInputElement
    expect(screen.getByRole('alert').textContent).toMatch(/refused the login of desk_admin/)
    await fireEvent.input(field, { target: { value: 'admin-pw' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save and sync' }))
    await waitFor(() => expect(state()).toBe('Synced just now'))
    expect(screen.queryByLabelText(/Password of desk_admin/)).toBeNull()
    // Kept for the next sync, not typed again.
    await keyed.bridge.api.syncTeam()
    expect((await keyed.bridge.api.teamStatus())?.lastError).toBeNull()
    // A host without a keychain (the web preview, the CLI) refuses to keep one.
    await expect(api.setTeamPassword('admin-pw')).rejects.toMatchObject({
      code: 'keychain-unavailable'
    })
    view.unmount()
    off()
  }, 60_000)

  it('folds away from its heading by keyboard, and stays folded when shown again', async () => {
    i18n.set('en')
    localStorage.clear()
    const { data, off } = await teamData(bridge)
    const first = render(TeamSection, { data })
    const toggle = screen.getByRole('button', { name: 'Team' })
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    toggle.focus()
    await fireEvent.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    expect(document.getElementById('team-body')!.hidden).toBe(true)
    first.unmount()
    const again = render(TeamSection, { data })
    expect(screen.getByRole('button', { name: 'Team' }).getAttribute('aria-expanded')).toBe('false')
    again.unmount()
    off()
  })
})
