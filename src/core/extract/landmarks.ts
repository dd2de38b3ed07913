// The handful of elements metadata comes from, found in one walk instead of a selector query each.
import { attr, inlineText, textOf } from '../html/html-tree'
import type { Element } from '../html/html-tree'

export interface Landmarks {
  html: Element | null
  body: Element | null
  title: string
  firstH1: string
  metas: Element[]
  jsonLd: string[]
  canonical: string | null
  firstTimeDatetime: string | null
}

export function findLandmarks(elements: readonly Element[]): Landmarks {
  const found: Landmarks = {
    html: null,
    body: null,
    title: '',
    firstH1: '',
    metas: [],
    jsonLd: [],
    canonical: null,
    firstTimeDatetime: null
  }
  let titleSeen = false
  for (const el of elements) {
    switch (el.name) {
      case 'html':
        found.html ??= el
        break
      case 'body':
        found.body ??= el
        break
      case 'title':
        // The document title, not an <svg><title>: the first one wins.
        if (!titleSeen) {
          found.title = textOf(el)
          titleSeen = true
        }
        break
      case 'h1':
        if (!found.firstH1) found.firstH1 = inlineText(el)
        break
      case 'meta':
        found.metas.push(el)
        break
      case 'script':
        if (attr(el, 'type').toLowerCase() === 'application/ld+json') found.jsonLd.push(textOf(el))
        break
      case 'link':
        if (!found.canonical && attr(el, 'rel').toLowerCase() === 'canonical' && attr(el, 'href'))
          found.canonical = attr(el, 'href')
        break
      case 'time':
        if (!found.firstTimeDatetime && attr(el, 'datetime'))
          found.firstTimeDatetime = attr(el, 'datetime')
        break
    }
  }
  return found
}
