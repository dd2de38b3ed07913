// A one-pass index of the ids and classes present in a page. css-select compiles and runs each
// selector over the whole tree; most rule selectors name an id or class the page does not have,
// so checking those names first skips nearly every query (the bulk of the time on big rule sets).
import type { Element } from '../html/html-tree'

export class DocIndex {
  private readonly ids = new Set<string>()
  private readonly classes = new Set<string>()
  private classText = ''
  private idText = ''
  private readonly memo = new Map<string, boolean>()

  constructor(elements: readonly Element[]) {
    const classParts: string[] = []
    const idParts: string[] = []
    for (const el of elements) {
      const id = el.attribs['id']
      if (id) {
        this.ids.add(id)
        idParts.push(id)
      }
      const cls = el.attribs['class']
      if (cls) {
        classParts.push(cls)
        for (const c of cls.split(/\s+/)) if (c) this.classes.add(c)
      }
    }
    this.classText = classParts.join(' ')
    this.idText = idParts.join(' ')
  }

  /** False only when the selector certainly matches nothing (it needs an id or class the page lacks). */
  mayMatch(selector: string): boolean {
    const known = this.memo.get(selector)
    if (known !== undefined) return known
    const result = selector.split(',').some((part) => this.partMayMatch(part))
    this.memo.set(selector, result)
    return result
  }

  private partMayMatch(part: string): boolean {
    // Attribute values first (they may contain . or #), then strip them before reading #id / .class.
    for (const m of part.matchAll(/\[(class|id)\s*([~^$*|]?)=\s*["']?([^"'\]]+)["']?\s*\]/g)) {
      const text = m[1] === 'class' ? this.classText : this.idText
      if (!text.includes(m[3]!)) return false
    }
    const bare = part.replace(/\[[^\]]*\]/g, '').replace(/:[\w-]+\([^)]*\)/g, '')
    for (const m of bare.matchAll(/#([\w-]+)/g)) if (!this.ids.has(m[1]!)) return false
    for (const m of bare.matchAll(/\.([\w-]+)/g)) if (!this.classes.has(m[1]!)) return false
    return true
  }
}
