// The page's entry: the stylesheet, then the app. A prerendered window (its first frame is
// already in the HTML, see src/host/prerendered-index.ts) loads and runs the app only once that
// frame is on screen, so the app's code does not hold up the first paint (clicks and keys on
// the frame meanwhile are played back once it runs); otherwise the app starts at once.
import './styles/app.css'
import { FIRST_FRAME_ROUTE, FIRST_PAINT_ID, type FirstFrame } from '../../shared/first-paint'
import { placeFirstFrame } from './lib/firstFrame'
import { readToken, TOKEN_HEADER } from './lib/bridge'
import { applyPaneWidths, loadLayout } from './lib/layoutValues'
import { holdEarlyInput } from './lib/earlyInput'

// The panes as the user left them, before the first frame paints where possible.
applyPaneWidths(loadLayout(), document.documentElement)

const start = (): Promise<void> => import('./start').then((app) => app.start())

function run(): void {
  if (document.getElementById(FIRST_PAINT_ID)) {
    const early = holdEarlyInput()
    requestAnimationFrame(() => setTimeout(() => void start().finally(() => early.replay())))
  } else {
    void start()
  }
}

/**
 * The web preview's first frame: its `/` carries none of the library (that request cannot
 * carry the token), so the page asks for the frame with the token and draws it as if it had
 * come in the HTML. Without a token or a frame, the app builds the window itself.
 */
async function fetchFirstFrame(target: HTMLElement): Promise<void> {
  const token = readToken(window)
  if (!token) return
  try {
    const response = await fetch(`${FIRST_FRAME_ROUTE}?height=${window.innerHeight}`, {
      headers: { [TOKEN_HEADER]: token }
    })
    const frame = response.ok ? ((await response.json()) as FirstFrame | null) : null
    if (frame && target.childElementCount === 0) placeFirstFrame(document, target, frame)
  } catch {
    // The app builds the window itself.
  }
}

const app = document.getElementById('app')
if (!window.gleaner && app && !document.getElementById(FIRST_PAINT_ID)) {
  void fetchFirstFrame(app).then(run)
} else {
  run()
}
