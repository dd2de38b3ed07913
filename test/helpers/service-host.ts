// The real service in a plain Node process, driven over stdin/stdout (one JSON object per
// line): what component tests under jsdom talk to, since the service cannot run there (its
// importer and worker pool need Node's own globals). Calls go through the same validated
// dispatch as IPC and HTTP, and every event the service announces is written out.
//   tsx test/helpers/service-host.ts LIBRARY [--allow-private-addresses] [--keychain]
// The flag lets feeds be fetched from the loopback test server (ServiceOptions.capture);
// --keychain gives the service a keychain (memory) for team passwords, as the app's.
import { createInterface } from 'node:readline'
import { EVENT_NAMES } from '../../src/shared/api'
import { dispatchSettled } from '../../src/shared/validate'
import { createGleanerService } from '../../src/core/service'
import { memorySecretStore } from '../../src/core/team/secrets'

const libraryPath = process.argv[2]
if (!libraryPath) throw new Error('usage: service-host.ts LIBRARY')
// Other connections (the test's own, resetting data between tests) are heard quickly.
const service = createGleanerService({
  libraryPath,
  watchExternal: { intervalMs: 50, quietMs: 50 },
  capture: { allowPrivateAddresses: process.argv.includes('--allow-private-addresses') },
  // A keychain as the app has one (in memory: this process's life), for team passwords.
  ...(process.argv.includes('--keychain') ? { team: { secrets: memorySecretStore() } } : {})
})
const write = (message: unknown): void => void process.stdout.write(JSON.stringify(message) + '\n')
for (const name of EVENT_NAMES) service.on(name, (payload) => write({ event: name, payload }))
write({ ready: true })
const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  const { id, method, args } = JSON.parse(line) as { id: number; method: string; args: unknown[] }
  void dispatchSettled(service, method, args).then((outcome) => write({ id, outcome }))
})
lines.on('close', () => {
  service.close()
  process.exit(0)
})
