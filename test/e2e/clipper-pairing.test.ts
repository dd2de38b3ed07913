// Pairing the browser clipper from the window: the command (Shift+P, and the Library menu)
// opens a dialog with the one-time code and the address; a browser that pairs with that code
// over the real endpoint appears in its list, and Revoke there shuts it out at once.
import { request } from 'node:http'
import { afterAll, describe, expect, it } from 'vitest'
import { startClipEndpoint, type ClipEndpoint } from '../../src/host/clip-endpoint'
import { step, JOURNEY_MS, windowForFile } from './harness'
import { checkedScreenshot } from './screen'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 })
const EXT = 'chrome-extension://kfbnkjfmlmokhgbcpfiabojmhbbgdgnk'
const UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'

let endpoint: ClipEndpoint | undefined
const s = windowForFile(async (library) => {
  endpoint = await startClipEndpoint({ clipper: library.service.clipper, port: 0 })
  return { locale: 'en-US' }
})
afterAll(async () => {
  await endpoint?.close()
})

/** What the extension sends: its own Origin and user agent. */
function post(
  path: string,
  body: unknown,
  token?: string
): Promise<{ status: number; body: { token: string } }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: endpoint!.port,
        method: 'POST',
        path,
        headers: {
          origin: EXT,
          'user-agent': UA,
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {})
        }
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
      }
    )
    req.on('error', reject)
    req.end(JSON.stringify(body))
  })
}

describe('pairing the browser clipper from the window', () => {
  it(
    'shows a code that pairs, lists the browser, and revokes it',
    async () => {
      const { page } = s()
      const dialog = page.getByRole('dialog', { name: 'Browser clipper' })
      let token = ''

      await step('Shift+P opens the dialog with a code and the address', async () => {
        await page.keyboard.press('Shift+P')
        await dialog.waitFor()
        await poll(() => dialog.getByTestId('clipper-endpoint').innerText()).toBe(endpoint!.url)
        expect(await dialog.innerText()).toContain('No browser is paired yet.')
      })

      await step('the code pairs a browser, which the list then shows', async () => {
        const code = await dialog.getByTestId('clipper-code').innerText()
        expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/u)
        const paired = await post('/pair', { code })
        expect(paired.status).toBe(200)
        token = paired.body.token
        const list = dialog.getByRole('list', { name: 'Paired browsers' })
        await poll(() => list.innerText()).toContain('Chrome 156')
        expect(await list.innerText()).toContain(EXT)
        expect(await list.innerText()).toContain('nothing clipped yet')
        // The code was used: New code gives another.
        await dialog.getByRole('button', { name: 'New code' }).click()
        await poll(() => dialog.getByTestId('clipper-code').innerText()).not.toBe(code)
        await checkedScreenshot(page, 'clipper-pairing-en.png', {
          lang: 'en',
          scheme: 'light',
          texts: ['Browser clipper', 'Pairing code', 'Paired browsers', 'Chrome 156']
        })
      })

      await step('Revoke shuts the browser out at once', async () => {
        expect((await post('/targets', {}, token)).status).toBe(200)
        await dialog.getByRole('button', { name: 'Revoke Chrome 156' }).click()
        await poll(() => dialog.innerText()).toContain('No browser is paired yet.')
        expect(await dialog.innerText()).toContain(
          'Chrome 156 can no longer clip into this library.'
        )
        expect((await post('/targets', {}, token)).status).toBe(401)
        expect(await s().library.service.listClipperClients()).toEqual([])
        await dialog.getByRole('button', { name: 'Close' }).click()
      })

      await step('the Library menu offers it too', async () => {
        await page.getByRole('button', { name: 'Library ▾' }).click()
        await page
          .getByRole('menu', { name: 'Library' })
          .getByRole('menuitem', { name: 'Pair browser clipper…' })
          .click()
        await dialog.waitFor()
        await poll(() => dialog.getByTestId('clipper-code').innerText()).toMatch(/^\w{4}-\w{4}$/u)
        await dialog.getByRole('button', { name: 'Close' }).click()
      })

      await step('in Chinese', async () => {
        await page.getByRole('combobox', { name: 'Language' }).selectOption('zh')
        await page.keyboard.press('Shift+P')
        const zh = page.getByRole('dialog', { name: '浏览器剪藏' })
        await zh.waitFor()
        await poll(() => zh.getByTestId('clipper-code').innerText()).toMatch(/^\w{4}-\w{4}$/u)
        await checkedScreenshot(page, 'clipper-pairing-zh.png', {
          lang: 'zh',
          scheme: 'light',
          texts: ['浏览器剪藏', '配对码', '已配对的浏览器', '还没有配对的浏览器。']
        })
      })
    },
    JOURNEY_MS
  )
})
