// PDF is the HTML briefing printed by a browser engine. The app passes Electron's printToPDF;
// the CLI and tests use Debian's Chromium through playwright-core (loaded only when needed).
export type PdfRenderer = (html: string) => Promise<Uint8Array>

export interface ChromiumPdfOptions {
  /** Defaults to $GLEANER_CHROMIUM or /usr/bin/chromium. */
  executablePath?: string
}

export function chromiumPdfRenderer(options: ChromiumPdfOptions = {}): PdfRenderer {
  return async (html) => {
    // A variable specifier keeps bundlers from pulling this dev-only package into the app's main
    // bundle; the app prints with Electron instead.
    const specifier = 'playwright-core'
    const { chromium } = (await import(
      /* @vite-ignore */ specifier
    )) as typeof import('playwright-core')
    const browser = await chromium.launch({
      executablePath: options.executablePath ?? process.env.GLEANER_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    })
    try {
      const page = await browser.newPage()
      // The briefing references nothing; refuse any request anyway so printing never touches the network.
      await page.route('**/*', (route) => route.abort())
      await page.setContent(html, { waitUntil: 'load' })
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
      return new Uint8Array(pdf)
    } finally {
      await browser.close()
    }
  }
}
