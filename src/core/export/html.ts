// The HTML briefing: one self-contained file and the single source of the PDF (Chromium here,
// Electron's printToPDF in the app). The article text is the clean text the annotations are
// anchored to, so every <mark> sits exactly on its annotated range. Images kept in the library
// are embedded as data: URIs; no fonts or other resources are referenced, and a strict CSP is
// enforced even on user templates.
import type {
  ExportArticle,
  ExportBundle,
  ExportImage,
  ExportOptions
} from '../../shared/export-types'
import { colorHex, colorName } from './colors'
import { dataUri, placeImages } from './images'
import { segmentArticle, type Paragraph } from './segments'
import { escapeHtml, loadTemplate, renderTemplate, TEMPLATE_NAMES } from './templates'
import { countNoun, fill, labelsFor, type ExportLabels } from './labels'
import { termsLine } from './terms'
import { safeHttpUrl } from './urls'

export const BRIEFING_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; base-uri 'none'; form-action 'none'"

function textWithBreaks(s: string): string {
  return escapeHtml(s).replace(/\n/g, '<br>')
}

function renderParagraph(p: Paragraph, numbers: Map<number, number>): string {
  let html = ''
  const notes: { n: number; html: string }[] = []
  for (const piece of p.pieces) {
    let inner = textWithBreaks(piece.text)
    const top = piece.covering[piece.covering.length - 1]
    if (top) {
      const ids = piece.covering.map((a) => `ann-${a.id}`).join(' ')
      inner = `<mark class="hl" data-ann="${ids}" style="background:${colorHex(top.color)}">${inner}</mark>`
    }
    html += inner
    for (const a of piece.ending) {
      const n = numbers.get(a.id)
      // Highlights without a note or tags need no reference: the mark says it all.
      if (n === undefined) continue
      html += `<sup class="ref">${n}</sup>`
      const tags = a.tags.map((t) => `<span class="tag">#${escapeHtml(t)}</span>`).join(' ')
      const note = a.note ? `<span class="note-text">${textWithBreaks(a.note)}</span>` : ''
      notes.push({
        n,
        html: `<li class="note" style="border-color:${colorHex(a.color)}"><span class="n">${n}</span>${note}${tags ? ` ${tags}` : ''}</li>`
      })
    }
  }
  notes.sort((x, y) => x.n - y.n)
  const aside =
    notes.length > 0
      ? `<aside class="notes"><ol>${notes.map((x) => x.html).join('')}</ol></aside>`
      : ''
  return `<div class="para${aside ? ' has-notes' : ''}"><p>${html}</p>${aside}</div>`
}

/** A kept image, embedded (the briefing references nothing outside itself). */
function figureHtml(image: ExportImage): string {
  const alt = escapeHtml(image.caption ?? '')
  return `<figure class="image"><img src="${dataUri(image)}" alt="${alt}"></figure>`
}

/** BCP 47 tag for the text, so the browser picks Chinese or Japanese glyphs for shared Han characters. */
export function guessLang(text: string): string {
  const sample = text.slice(0, 2000)
  if (/[\u3040-\u30ff]/.test(sample)) return 'ja'
  const han = (sample.match(/[\u4e00-\u9fff]/g) ?? []).length
  return han > sample.length / 10 ? 'zh' : 'en'
}

function articleView(
  entry: ExportArticle,
  index: number,
  labels: ExportLabels,
  notesOnly: boolean | undefined
): Record<string, unknown> {
  const a = entry.article
  const seg = segmentArticle(entry, notesOnly)
  const numbers = new Map<number, number>()
  let n = 0
  for (const ann of entry.annotations) {
    if (seg.ranges.has(ann.id) && (ann.note || ann.tags.length > 0)) numbers.set(ann.id, ++n)
  }
  const placed = placeImages(notesOnly ? [] : entry.images, seg.paragraphs)
  const bodyHtml = [
    ...seg.paragraphs.map(
      (p, i) => (placed.before.get(i) ?? []).map(figureHtml).join('') + renderParagraph(p, numbers)
    ),
    ...placed.after.map(figureHtml)
  ].join('\n')
  // Article notes, and highlights whose text is no longer in the article, still reach the reader.
  const unplaced = entry.annotations
    .filter((ann) => !seg.ranges.has(ann.id))
    .map((ann) => ({
      quote: ann.exact || null,
      note: ann.note || null,
      color: colorHex(ann.color),
      tags: ann.tags.map((t) => `#${t}`).join(' ')
    }))
  return {
    anchor: `article-${index + 1}`,
    number: index + 1,
    title: a.title || labels.untitled,
    lang: guessLang(a.title + '\n' + a.cleanText),
    source: a.source ?? a.author,
    author: a.author && a.author !== a.source ? a.author : null,
    date: a.publishedAt ? a.publishedAt.slice(0, 10) : null,
    url: safeHttpUrl(a.url),
    categories: a.categoryPath.join(' › ') || null,
    tags: a.tags.length > 0 ? a.tags.map((t) => `#${t}`).join(' ') : null,
    terms: termsLine(entry, labels),
    itemNote: entry.itemNote ?? null,
    highlightCount: seg.ranges.size,
    bodyHtml,
    unplaced,
    hasUnplaced: unplaced.length > 0,
    colors: entry.annotations.map((x) => colorName(x.color))
  }
}

function ensureCsp(html: string): string {
  if (/http-equiv=["']?Content-Security-Policy/i.test(html)) return html
  const meta = `<meta http-equiv="Content-Security-Policy" content="${BRIEFING_CSP}">`
  return /<head[^>]*>/i.test(html)
    ? html.replace(/<head[^>]*>/i, (m) => `${m}\n${meta}`)
    : meta + html
}

export function renderHtmlBriefing(bundle: ExportBundle, options: ExportOptions = {}): string {
  const template = loadTemplate(TEMPLATE_NAMES.htmlBriefing, options.templateDir)
  const css = loadTemplate(TEMPLATE_NAMES.htmlStyles, options.templateDir)
  const labels = labelsFor(options.locale)
  const articles = bundle.articles.map((e, i) => articleView(e, i, labels, bundle.notesOnly))
  const annotations = bundle.articles.flatMap((e) => e.annotations)
  const sources = new Set(
    bundle.articles.map((e) => e.article.source ?? e.article.author).filter(Boolean)
  )
  const dates = bundle.articles
    .map((e) => e.article.publishedAt)
    .filter((d): d is string => d !== null)
    .sort()
  const highlightCount = annotations.filter((a) => a.exact !== '').length
  const noteCount = annotations.filter((a) => a.note !== '').length
  const dateRange =
    dates.length > 0
      ? `${(dates[0] as string).slice(0, 10)} – ${(dates[dates.length - 1] as string).slice(0, 10)}`
      : null
  const html = renderTemplate(
    template,
    {
      labels: {
        lang: options.locale ?? 'en',
        briefing: labels.briefing,
        contents: labels.contents,
        whyHere: labels.whyHere,
        notesOnArticle: bundle.notesOnly ? labels.highlightsHeading : labels.notesOnArticle,
        articles: countNoun(labels.articles, bundle.articles.length),
        highlights: countNoun(labels.highlights, highlightCount),
        notes: countNoun(labels.notes, noteCount),
        sources: countNoun(labels.sources, sources.size),
        articlesPublished: dateRange ? fill(labels.articlesPublished, { range: dateRange }) : null,
        generatedBy: fill(labels.generatedBy, { date: bundle.generatedAt })
      },
      title: bundle.title,
      lang: guessLang(bundle.title + '\n' + bundle.articles.map((e) => e.article.title).join('\n')),
      csp: BRIEFING_CSP,
      // CSS cannot contain a closing style tag by accident or design.
      css: css.replace(/<\/style/gi, '<\\/style'),
      generatedAt: bundle.generatedAt,
      generatedDate: bundle.generatedAt.slice(0, 10),
      articleCount: bundle.articles.length,
      highlightCount,
      noteCount,
      sourceCount: sources.size,
      dateRange,
      articles
    },
    escapeHtml
  )
  return ensureCsp(html)
}
