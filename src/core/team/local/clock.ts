// The clock of one field write: from the time of the edit (its team_dirty row), and always
// after the clock of the value it replaced (the shadow's), so causality holds per field even
// when this device's wall clock lags the one that wrote before.
import { formatHlc, parseHlc } from '../hlc'

export function fieldHlc(atMs: number, shadowHlc: string, client: string): string {
  const prev = parseHlc(shadowHlc)
  if (!prev || atMs > prev.ms) return formatHlc({ ms: atMs, counter: 0, client })
  return formatHlc({ ms: prev.ms, counter: prev.counter + 1, client })
}
