#!/usr/bin/env node
// Runs the CLI on the Node the project installs (better-sqlite3 13 needs Node >= 22),
// whatever `node` is first on the caller's PATH.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bundledNode = join(root, 'node_modules', 'node', 'bin', 'node')
const nodeBin = Number(process.versions.node.split('.')[0]) >= 22 ? process.execPath : bundledNode
if (!existsSync(nodeBin)) {
  process.stderr.write(
    'gleaner: Node >= 22 is required; run `npm install` in the Gleaner folder.\n'
  )
  process.exit(1)
}
const result = spawnSync(
  nodeBin,
  [
    join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
    join(root, 'src', 'cli', 'main.ts'),
    ...process.argv.slice(2)
  ],
  { stdio: 'inherit', cwd: process.cwd() }
)
process.exit(result.status ?? 1)
