import { chromium } from 'playwright-core'
import { readFileSync } from 'node:fs'
const svg = readFileSync('resources/icons/icon.svg', 'utf8')
const b = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
})
const p = await b.newPage({ viewport: { width: 512, height: 512 } })
await p.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`)
await p.screenshot({
  path: 'resources/icons/icon.png',
  omitBackground: true,
  clip: { x: 0, y: 0, width: 512, height: 512 }
})
await b.close()
