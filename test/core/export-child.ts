// Child process for export-atomic.test.ts: writes a bundle (read from a JSON file the parent
// loaded from a real library) with the real exporter, under whatever limits the parent set
// (`ulimit -f`, the way a disk fills up), and prints the outcome as one JSON line.
import { readFileSync } from 'node:fs'
import { exportBundle } from '../../src/core/export'
import { errorData } from '../../src/shared/errors'
import type { ExportBundle, ExportFormat } from '../../src/shared/export-types'

const [bundlePath, format, out] = process.argv.slice(2)
if (!bundlePath || !format || !out) throw new Error('usage: export-child.ts BUNDLE FORMAT OUT')
const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as ExportBundle
try {
  const result = await exportBundle(bundle, format as ExportFormat, out, { overwrite: true })
  process.stdout.write(JSON.stringify({ ok: true, files: result.files }) + '\n')
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, error: errorData(e) }) + '\n')
}
