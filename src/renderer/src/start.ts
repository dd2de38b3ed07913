// Builds the window, or brings a prerendered one to life (hydration) with the rows it was
// rendered from. A prerendered frame in another language than the user chose, or drawn with
// copies folded for a user who unfolds them, is rebuilt.
import { hydrate, mount } from 'svelte'
import App from './App.svelte'
import { connectBridge } from './lib/bridge'
import { readFirstPaint } from './lib/firstFrame'
import { i18n } from './lib/i18n.svelte'
import { LIST_DEFAULTS, loadListPrefs } from './lib/listPrefs'

export function start(): void {
  const target = document.getElementById('app')
  if (!target) throw new Error('index.html lacks #app')

  const { bridge, kind } = connectBridge()
  const first = readFirstPaint(document)
  const sameList = loadListPrefs().collapseCopies === LIST_DEFAULTS.collapseCopies
  if (first && first.locale === i18n.locale && sameList) {
    hydrate(App, {
      target,
      props: { bridge, bridgeKind: kind, firstPaint: { rows: first.rows, drawn: first.drawn } }
    })
  } else {
    target.replaceChildren()
    mount(App, { target, props: { bridge, bridgeKind: kind } })
  }
}
