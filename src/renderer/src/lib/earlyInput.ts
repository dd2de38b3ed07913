// Clicks and keys that land on the prerendered frame before the app has taken it over: the
// frame looks ready, so a click on a row there must not be lost. They are held, then played
// back on the live window (the same DOM, now with its handlers).
const MAX_HELD = 20

export interface EarlyInput {
  /** Stops holding and plays what was held back, in order. */
  replay(): void
}

export function holdEarlyInput(doc: Document = document): EarlyInput {
  const held: (MouseEvent | KeyboardEvent)[] = []
  const hold = (event: Event): void => {
    if (held.length < MAX_HELD) held.push(event as MouseEvent | KeyboardEvent)
  }
  doc.addEventListener('click', hold, true)
  doc.addEventListener('keydown', hold, true)
  return {
    replay() {
      doc.removeEventListener('click', hold, true)
      doc.removeEventListener('keydown', hold, true)
      for (const event of held) {
        if (event.type === 'click') {
          // Hydration kept the element, so the click goes to what the user clicked.
          const target = event.target
          if (target instanceof Element && target.isConnected) {
            target.dispatchEvent(
              new MouseEvent('click', {
                bubbles: true,
                cancelable: true,
                ctrlKey: event.ctrlKey,
                shiftKey: event.shiftKey,
                metaKey: event.metaKey,
                altKey: event.altKey
              })
            )
          }
        } else {
          const key = event as KeyboardEvent
          ;(doc.activeElement ?? doc.body).dispatchEvent(
            new KeyboardEvent('keydown', {
              key: key.key,
              code: key.code,
              bubbles: true,
              cancelable: true,
              ctrlKey: key.ctrlKey,
              shiftKey: key.shiftKey,
              metaKey: key.metaKey,
              altKey: key.altKey
            })
          )
        }
      }
      held.length = 0
    }
  }
}
