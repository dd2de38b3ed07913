// LISTEN on the team library's channel over a connection of its own (a connection in LISTEN
// must not sit inside another's transactions). Pushes NOTIFY the new server version at commit.
// When that connection is lost (server restart, network), `onLost` hears it once, so the sync
// engine can reconnect and pull what it missed.
import { escapeIdentifier as ident } from 'pg'
import { openClient } from './connection'
import { TeamServerError, teamError } from './errors'
import { endClient, type Session } from './session'

export async function listen(
  s: Session,
  onVersion: (version: number) => void,
  onLost?: (err: TeamServerError) => void
): Promise<() => Promise<void>> {
  let stopped = false
  let lost = false
  const reportLost = (err: unknown): void => {
    if (stopped || lost) return
    lost = true
    onLost?.(teamError(err ?? new Error('Connection terminated'), s.ctx))
  }
  const { client } = await openClient(
    { ...s.address, sslMode: s.tls ? s.address.sslMode : 'disable' },
    {
      password: s.password,
      applicationName: s.applicationName,
      timeoutMs: s.timeoutMs
    },
    s.ctx,
    reportLost
  )
  client.on('end', () => reportLost(new Error('Connection terminated')))
  client.on('notification', (msg) => {
    if (msg.channel !== s.names.channel) return
    const v = Number(msg.payload)
    if (Number.isSafeInteger(v)) onVersion(v)
  })
  try {
    await client.query(`LISTEN ${ident(s.names.channel)}`)
  } catch (err) {
    stopped = true
    await endClient(client)
    throw teamError(err, s.ctx)
  }
  return async () => {
    if (stopped) return
    stopped = true
    await endClient(client)
  }
}
