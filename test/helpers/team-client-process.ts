// A team client in a process of its own, for tests that SIGKILL it at a chosen point:
//   node --import tsx team-client-process.ts LIBRARY URL ROLE TEAM POINT
// POINT is where it stops and waits to be killed, after printing the point's name:
//   before-push   the batch is saved here but never sent
//   after-push    the server committed the batch; its answer is not yet settled here
//   mid-pull      the first page of a pull was applied; the second is being fetched
import { clientOn } from './team-clients'
import type { TeamServer } from '../../src/core/team/protocol'

const [libraryPath, url, role, team, point] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string
]
const hang = (): Promise<never> => new Promise<never>(() => setInterval(() => {}, 1000))
const say = (what: string): void => void process.stdout.write(what + '\n')

const wrap = (s: TeamServer): TeamServer => {
  let pulls = 0
  return {
    ...s,
    info: s.info,
    async push(batchId, clientId, writes) {
      if (point === 'before-push') {
        say(`before-push ${batchId}`)
        return hang()
      }
      const r = await s.push(batchId, clientId, writes)
      if (point === 'after-push') {
        say(`after-push ${batchId}`)
        return hang()
      }
      return r
    },
    async pull(since, limit) {
      if (point === 'mid-pull' && ++pulls === 2) {
        say(`mid-pull ${since}`)
        return hang()
      }
      return s.pull(since, limit)
    }
  }
}

const client = clientOn(libraryPath, url, role, team, { wrap, limits: { pageFields: 20 } })
client.sync.syncNow().then(
  () => say('done'),
  (e: unknown) => say(`failed ${(e as Error).message}`)
)
