// `npm start`: build, then launch Electron. Where the Electron binary cannot be had (offline
// machines: it is downloaded from GitHub on first launch), say so and point to the web preview.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const root = join(dirname(new URL(import.meta.url).pathname), '..')

function electronBinary() {
  if (process.env.ELECTRON_EXEC_PATH && existsSync(process.env.ELECTRON_EXEC_PATH))
    return process.env.ELECTRON_EXEC_PATH
  try {
    const dir = dirname(require.resolve('electron/package.json'))
    const pathFile = join(dir, 'path.txt')
    if (!existsSync(pathFile)) return null
    const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
    return existsSync(bin) ? bin : null
  } catch {
    return null
  }
}

const bin = electronBinary()
if (!bin) {
  process.stderr
    .write(`Gleaner cannot start the desktop window here: the Electron binary is not installed.
Electron downloads it from GitHub on first launch (or with \`npx install-electron\`), and this
machine cannot reach GitHub. What you can do:
  - on a machine with internet access: run \`npx install-electron\` once, then \`npm start\`;
  - or set ELECTRON_EXEC_PATH to an Electron 45 binary you already have;
  - or use the same app in your browser: \`npm run preview:web\` (real library, loopback only);
  - or the command line: \`npm run cli -- --help\`.
`)
  process.exit(1)
}
const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit', cwd: root })
if (build.status !== 0) process.exit(build.status ?? 1)
const run = spawnSync(bin, [root], { stdio: 'inherit', cwd: root })
process.exit(run.status ?? 0)
