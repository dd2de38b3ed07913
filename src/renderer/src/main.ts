// The page's entry: the stylesheet, then the app. A prerendered window (its first frame is
// already in the HTML, see src/main/first-paint.ts) loads and runs the app only once that
// frame is on screen, so the app's code does not hold up the first paint (clicks and keys on
// the frame meanwhile are played back once it runs); otherwise the app starts at once.
import './styles/app.css'
import { FIRST_PAINT_ID } from '../../shared/first-paint'
import { applyPaneWidths, loadLayout } from './lib/layoutValues'
import { holdEarlyInput } from './lib/earlyInput'

// The panes as the user left them, before the first frame paints where possible.
applyPaneWidths(loadLayout(), document.documentElement)

const start = (): Promise<void> => import('./start').then((app) => app.start())

if (document.getElementById(FIRST_PAINT_ID)) {
  const early = holdEarlyInput()
  requestAnimationFrame(() => setTimeout(() => void start().finally(() => early.replay())))
} else {
  void start()
}
