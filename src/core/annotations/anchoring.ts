// Describing a range of clean text with W3C selectors, and finding it again after the text
// changed: by position, then exact quote, then fuzzy quote. Scoring follows Hypothesis's
// match-quote (quote 50, prefix 20, suffix 20, position 2); unlike Hypothesis, a match below
// the thresholds is reported as failed so the highlight is flagged, never moved silently.
// Articles repeat themselves (summaries quoting the body, templated list items), so anything
// but an exact match with all its context is checked against look-alikes with the extended
// (128-character) context, the quote's own paragraph, and its numbers.
import approxSearch from 'approx-string-match'
import type {
  AnchorResult,
  ExtendedContext,
  Selectors,
  TextPositionSelector,
  TextQuoteSelector
} from '../../shared/annotation-types'
import { foldedOffset, foldText } from './normalize'
import type { FoldedText } from './normalize'
import { edgeAnchoredScore, editDistance, reverse } from './text-distance'

export const CONTEXT_CHARS = 32
/**
 * Extended context kept beside the W3C selectors: about a paragraph on each side. Copies of a
 * line (summary and body, templated list items) share 32 characters of context far more often
 * than 128; see ExtendedContext.
 */
export const EXTENDED_CONTEXT_CHARS = 128

const QUOTE_WEIGHT = 50
const PREFIX_WEIGHT = 20
const SUFFIX_WEIGHT = 20
const POSITION_WEIGHT = 2
/** Quotes at least this long get the full quote weight; see quoteWeight. */
const FULL_WEIGHT_QUOTE_CHARS = 16

/** Below this, a candidate is a suggestion, not an anchor. Tuned on bench/anchoring.ts. */
export const MIN_CONFIDENCE = 0.8
/** Two candidates closer than this in confidence cannot be told apart: ask the user. */
const AMBIGUITY_MARGIN = 0.04
const WIDE_AMBIGUITY_MARGIN = 0.1
/**
 * A quote this long that occurs exactly once is taken when one side of its context still half
 * agrees (a neighbouring paragraph dropped or moved): such a string does not recur by chance.
 */
const DISTINCTIVE_QUOTE_CHARS = 24
/** A fuzzy match must keep most of the quote: "上海"→"上某" is not the same highlight. */
const MIN_FUZZY_QUOTE_SCORE = 0.7
/** The one-side rule needs a quote and a context that could not match by chance. */
const MIN_ONE_SIDE_QUOTE_CHARS = 2
const MIN_INFORMATIVE_CONTEXT = 8
/** Context next to a short quote, within its paragraph: the nearest characters exactly, the rest nearly. */
const NEAR_CONTEXT_CHARS = 6
const SAME_PARAGRAPH_MIN = 0.75
/** One side of the context this close to what it was identifies an exact quote by itself. */
const ONE_SIDE_INTACT = 0.95
/** Context scores for an expected empty prefix/suffix (quote at the text's edge). */
const EDGE_MATCH = 1
const EDGE_MISMATCH = 0.5
/**
 * A side of the context whose 32 characters agree must agree over its extended reach too, this
 * well, before that side alone may identify a passage: a copy elsewhere agrees for 32-odd
 * characters and then diverges (score ≈ 0.3), while an edit here or there costs a few points.
 */
const EXTENDED_AGREE = 0.75
/** Another place whose extended context fits this much better means we cannot tell which was meant. */
const EXTENDED_RIVAL_MARGIN = 0.05
/**
 * Where the quote has look-alikes (the same or nearly the same text elsewhere), the rest of its
 * own paragraph must still agree this well: templated items ("确诊病例1/2/3：中国籍，7月8日从…")
 * share their neighbours and most of their wording, and differ only in a few characters of
 * their own paragraph.
 */
const OWN_PARAGRAPH_INTACT = 0.95
/** How many runners-up the extended-context rival check looks at. */
const EXTENDED_RIVALS = 12
/** Guards against pathological inputs (a one-letter quote in a huge text). */
const MAX_CANDIDATES = 2000
const MAX_CONTEXT_HITS = 16

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff

/** Moves a boundary off the middle of a surrogate pair (toward `dir`). */
function snap(text: string, i: number, dir: -1 | 1): number {
  if (i <= 0 || i >= text.length) return i
  if (isLowSurrogate(text.charCodeAt(i)) && isHighSurrogate(text.charCodeAt(i - 1))) {
    return dir < 0 ? i - 1 : i + 1
  }
  return i
}

/**
 * Selectors for [start, end) of `text` (UTF-16 offsets, end exclusive). Throws RangeError for a
 * range outside the text or empty; a boundary inside a surrogate pair is widened to the whole
 * character.
 */
export function describeRange(text: string, start: number, end: number): Selectors {
  if (!Number.isInteger(start) || !Number.isInteger(end)) {
    throw new RangeError(`range offsets must be integers (got ${start}, ${end})`)
  }
  if (start < 0 || end > text.length || start >= end) {
    throw new RangeError(
      `range [${start}, ${end}) is empty or outside the text (length ${text.length})`
    )
  }
  const s = snap(text, start, -1)
  const e = snap(text, end, 1)
  const prefixStart = snap(text, Math.max(0, s - CONTEXT_CHARS), -1)
  const suffixEnd = snap(text, Math.min(text.length, e + CONTEXT_CHARS), 1)
  const extStart = snap(text, Math.max(0, s - EXTENDED_CONTEXT_CHARS), -1)
  const extEnd = snap(text, Math.min(text.length, e + EXTENDED_CONTEXT_CHARS), 1)
  return {
    quote: {
      type: 'TextQuoteSelector',
      exact: text.slice(s, e),
      prefix: text.slice(prefixStart, s),
      suffix: text.slice(e, suffixEnd)
    },
    position: { type: 'TextPositionSelector', start: s, end: e },
    context: {
      type: 'GleanerContextSelector',
      prefix: text.slice(extStart, s),
      suffix: text.slice(e, extEnd)
    }
  }
}

interface Candidate {
  start: number
  end: number
  /** Known errors from approximate search, when the span is too long to re-measure. */
  errors?: number
}

interface Scored {
  start: number
  end: number
  exact: boolean
  quoteScore: number
  prefixScore: number
  suffixScore: number
  confidence: number
}

interface Expected {
  exact: string
  prefix: string
  suffix: string
  /** Extended context; equal to prefix/suffix when the selectors carry none. */
  extPrefix: string
  extSuffix: string
  /**
   * Null when the context was cut at its full reach; otherwise it stopped at the text's edge,
   * and this is the fraction of the reach it filled. A place with text beyond that edge agrees
   * only for that fraction (a 2-character prefix at the start of the text says little about a
   * copy of the sentence further down).
   */
  prefixEdge: number | null
  suffixEdge: number | null
  hint: number | null
}

/** Reads selectors defensively: they come from the database, imports and other programs. */
function readSelectors(selectors: unknown): Expected | null {
  if (typeof selectors !== 'object' || selectors === null) return null
  const { quote, position, context } = selectors as {
    quote?: Partial<TextQuoteSelector>
    position?: Partial<TextPositionSelector>
    context?: Partial<ExtendedContext>
  }
  if (typeof quote !== 'object' || quote === null || typeof quote.exact !== 'string') return null
  const str = (v: unknown): string => (typeof v === 'string' ? v : '')
  const hint =
    typeof position === 'object' && position !== null && Number.isInteger(position.start)
      ? (position.start as number)
      : null
  const prefix = str(quote.prefix)
  const suffix = str(quote.suffix)
  // Extended context only counts when it extends the quote's own (it is a superset by
  // construction; anything else was edited by hand or belongs to other selectors).
  const ext = typeof context === 'object' && context !== null ? context : {}
  const hasExt = {
    prefix: typeof ext.prefix === 'string' && ext.prefix.endsWith(prefix),
    suffix: typeof ext.suffix === 'string' && ext.suffix.startsWith(suffix)
  }
  const extPrefix = hasExt.prefix ? str(ext.prefix) : prefix
  const extSuffix = hasExt.suffix ? str(ext.suffix) : suffix
  const edge = (s: string, extended: boolean): number | null => {
    const reach = extended ? EXTENDED_CONTEXT_CHARS : CONTEXT_CHARS
    return s.length < reach ? s.length / reach : null
  }
  return {
    exact: quote.exact,
    prefix,
    suffix,
    extPrefix,
    extSuffix,
    prefixEdge: edge(extPrefix, hasExt.prefix),
    suffixEdge: edge(extSuffix, hasExt.suffix),
    hint
  }
}

function contextScore(
  text: string,
  at: number,
  expected: string,
  side: 'prefix' | 'suffix'
): number {
  if (expected.length === 0) {
    const atEdge = side === 'prefix' ? at === 0 : at === text.length
    return atEdge ? EDGE_MATCH : EDGE_MISMATCH
  }
  const reach = expected.length + Math.ceil(expected.length / 4)
  return side === 'prefix'
    ? edgeAnchoredScore(reverse(text.slice(Math.max(0, at - reach), at)), reverse(expected))
    : edgeAnchoredScore(text.slice(at, at + reach), expected)
}

/**
 * A short quote says little about where it is ("上海" recurs); its weight grows with its length
 * up to Hypothesis's 50, so for short quotes the context has to carry the match.
 */
function quoteWeight(quote: string): number {
  return QUOTE_WEIGHT * Math.min(1, quote.length / FULL_WEIGHT_QUOTE_CHARS)
}

function score(text: string, c: Candidate, want: Expected): Scored {
  const span = text.slice(c.start, c.end)
  const exact = span === want.exact
  let quoteScore = 1
  if (!exact) {
    const len = Math.max(span.length, want.exact.length)
    const errors =
      c.errors !== undefined && span.length * want.exact.length > 4_000_000
        ? c.errors
        : editDistance(span, want.exact)
    quoteScore = len === 0 ? 0 : Math.max(0, 1 - errors / len)
  }
  const prefixScore = contextScore(text, c.start, want.prefix, 'prefix')
  const suffixScore = contextScore(text, c.end, want.suffix, 'suffix')
  const positionScore =
    want.hint === null || text.length === 0
      ? 1
      : 1 - Math.min(1, Math.abs(c.start - want.hint) / text.length)
  const qw = quoteWeight(want.exact)
  const confidence =
    (qw * quoteScore +
      PREFIX_WEIGHT * prefixScore +
      SUFFIX_WEIGHT * suffixScore +
      POSITION_WEIGHT * positionScore) /
    (qw + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT)
  return { start: c.start, end: c.end, exact, quoteScore, prefixScore, suffixScore, confidence }
}

function exactOccurrences(text: string, quote: string): Candidate[] {
  const out: Candidate[] = []
  for (
    let i = text.indexOf(quote);
    i !== -1 && out.length < MAX_CANDIDATES;
    i = text.indexOf(quote, i + 1)
  ) {
    out.push({ start: i, end: i + quote.length })
  }
  return out
}

/** Where the context says the quote should be: between a found prefix and a found suffix. */
function contextCandidates(text: string, want: Expected): Candidate[] {
  const out: Candidate[] = []
  const q = want.exact.length
  const slack = Math.max(8, Math.ceil(q / 2))
  const hits = (pattern: string): { start: number; end: number }[] => {
    // Short context (the quote sits at the text's edge) would match almost anywhere.
    if (pattern.length < 8) return []
    const maxErrors = Math.floor(pattern.length / 4)
    return approxSearch(text, pattern, maxErrors).slice(0, MAX_CONTEXT_HITS)
  }
  const prefixEnds = hits(want.prefix).map((m) => m.end)
  const suffixStarts = hits(want.suffix).map((m) => m.start)
  for (const pe of prefixEnds) {
    for (const ss of suffixStarts) {
      if (ss > pe && ss - pe <= q + slack && ss - pe >= Math.max(1, q - slack))
        out.push({ start: pe, end: ss })
    }
    const windowText = text.slice(pe, pe + q + slack)
    for (const m of approxSearch(windowText, want.exact, Math.floor(q / 2))) {
      out.push({ start: pe + m.start, end: pe + m.end, errors: m.errors })
      if (m.start > 0) out.push({ start: pe, end: pe + m.end })
    }
  }
  for (const ss of suffixStarts) {
    const from = Math.max(0, ss - q - slack)
    const windowText = text.slice(from, ss)
    for (const m of approxSearch(windowText, want.exact, Math.floor(q / 2))) {
      out.push({ start: from + m.start, end: from + m.end, errors: m.errors })
      if (from + m.end < ss) out.push({ start: from + m.start, end: ss })
    }
  }
  return out
}

function fuzzyCandidates(text: string, quote: string): Candidate[] {
  const maxErrors = Math.min(256, Math.floor(quote.length / 2))
  return approxSearch(text, quote, maxErrors)
    .slice(0, MAX_CANDIDATES)
    .map((m) => ({ start: m.start, end: m.end, errors: m.errors }))
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end

/** Finds the passage the selectors describe in `text`. Never throws. */
export function anchorSelectors(text: string, selectors: Selectors): AnchorResult {
  const want = typeof text === 'string' ? readSelectors(selectors) : null
  if (!want || want.exact.length === 0)
    return { method: 'failed', reason: 'empty-quote', confidence: 0 }

  const pos = (selectors as Partial<Selectors>).position
  if (pos && Number.isInteger(pos.start) && Number.isInteger(pos.end)) {
    const { start, end } = pos
    if (
      start >= 0 &&
      end <= text.length &&
      text.slice(start, end) === want.exact &&
      text.slice(Math.max(0, start - want.prefix.length), start) === want.prefix &&
      text.slice(end, end + want.suffix.length) === want.suffix &&
      // All the context, not only 32 characters: templated paragraphs swapped keep these.
      text.slice(Math.max(0, start - want.extPrefix.length), start) === want.extPrefix &&
      text.slice(end, end + want.extSuffix.length) === want.extSuffix
    ) {
      return { start, end, method: 'position', confidence: 1 }
    }
  }

  const raw = findQuote(text, want)
  if (raw.method !== 'failed') return raw

  // Again in the folded view, where whitespace and punctuation-width changes disappear.
  const folded = foldText(text)
  const fold = (s: string): string => foldText(s).text
  const fwant: Expected = {
    exact: fold(want.exact),
    prefix: fold(want.prefix),
    suffix: fold(want.suffix),
    extPrefix: fold(want.extPrefix),
    extSuffix: fold(want.extSuffix),
    prefixEdge: want.prefixEdge,
    suffixEdge: want.suffixEdge,
    hint: want.hint === null ? null : foldedOffset(folded, want.hint)
  }
  if (fwant.exact.length === 0) return raw
  const f = findQuote(folded.text, fwant)
  if (f.method === 'failed') return raw.confidence >= f.confidence ? raw : mapFailure(f, folded)
  const start = folded.starts[f.start] ?? 0
  const end = folded.ends[f.end - 1] ?? text.length
  return {
    start,
    end,
    method: text.slice(start, end) === want.exact ? 'quote' : 'fuzzy',
    confidence: f.confidence
  }
}

function mapFailure(f: AnchorResult & { method: 'failed' }, folded: FoldedText): AnchorResult {
  if (!f.candidate) return f
  const start = folded.starts[f.candidate.start] ?? 0
  const end = folded.ends[f.candidate.end - 1] ?? start
  return { ...f, candidate: { start, end } }
}

function findQuote(text: string, want: Expected): AnchorResult {
  const exactHits = exactOccurrences(text, want.exact)
  const candidates = [...exactHits, ...contextCandidates(text, want)]
  if (exactHits.length === 0) candidates.push(...fuzzyCandidates(text, want.exact))
  if (candidates.length === 0) return { method: 'failed', reason: 'not-found', confidence: 0 }

  const seen = new Set<string>()
  const scored: Scored[] = []
  for (const c of candidates) {
    const s = snap(text, c.start, -1)
    const e = snap(text, c.end, 1)
    const key = `${s}:${e}`
    if (e <= s || seen.has(key)) continue
    seen.add(key)
    scored.push(score(text, { ...c, start: s, end: e }, want))
  }
  scored.sort((a, b) => b.confidence - a.confidence || a.start - b.start)
  return decide(text, scored, exactHits.length, want)
}

const contextOf = (s: Scored): number => (s.prefixScore + s.suffixScore) / 2

interface SideScores {
  prefix: number
  suffix: number
}

/**
 * Extended-context agreement around a candidate, per side. Where the selectors carry no more
 * than the quote's 32 characters (old selectors, or the text's edge is that close), it is the
 * 32-character score: there is nothing further to check.
 */
function extendedScorer(text: string, want: Expected): (s: Scored) => SideScores {
  const cache = new Map<Scored, SideScores>()
  // Text beyond where the context met the text's edge: that much of the reach disagrees. A few
  // characters of slack, as contextScore reads a little past the expected context.
  const pastEdge = (edge: number | null, expected: string, available: number): number =>
    edge !== null && expected.length > 0 && available > expected.length + 2 + expected.length / 4
      ? edge
      : 1
  return (s) => {
    let out = cache.get(s)
    if (!out) {
      const prefix =
        want.extPrefix.length > want.prefix.length
          ? contextScore(text, s.start, want.extPrefix, 'prefix')
          : s.prefixScore
      const suffix =
        want.extSuffix.length > want.suffix.length
          ? contextScore(text, s.end, want.extSuffix, 'suffix')
          : s.suffixScore
      out = {
        prefix: prefix * pastEdge(want.prefixEdge, want.extPrefix, s.start),
        suffix: suffix * pastEdge(want.suffixEdge, want.extSuffix, text.length - s.end)
      }
      cache.set(s, out)
    }
    return out
  }
}

/**
 * Whether a fuzzy candidate's text is what the old text had next to the quote rather than the
 * quote edited: it occurs in the stored context, away from the quote, with fewer errors than it
 * has against the quote. That is the neighbouring line sliding into a deleted line's place
 * ("Minorities Employees" gone, "Minorities Managers" after it), or the next item's heading.
 */
function explainedByContext(want: Expected, span: string, quoteScore: number): boolean {
  const errors = Math.round((1 - quoteScore) * Math.max(span.length, want.exact.length))
  if (errors < 1 || span.length === 0) return false
  const around = want.extPrefix + want.exact + want.extSuffix
  const qs = want.extPrefix.length
  const qe = qs + want.exact.length
  return approxSearch(around, span, errors - 1).some(
    (m) => Math.min(m.end, qe) - Math.max(m.start, qs) < span.length / 2
  )
}

/**
 * Whether `span` has digits the quote has not, in order: "确诊病例2" for "确诊病例3", "7月9日"
 * for "7月8日". Templated paragraphs differ exactly in their numbers, so a fuzzy match that
 * changes a number is a different item of the list, not an edit. (A digit dropped or replaced
 * by a letter is an ordinary edit and passes.)
 */
export function introducesDigits(quote: string, span: string): boolean {
  const want = quote.replace(/[^0-9]/g, '')
  const got = span.replace(/[^0-9]/g, '')
  let i = 0
  for (const d of got) {
    i = want.indexOf(d, i)
    if (i === -1) return true
    i++
  }
  return false
}

function decide(
  text: string,
  scored: readonly Scored[],
  exactCount: number,
  want: Expected
): AnchorResult {
  const topExact = scored.find((s) => s.exact)
  const topOther = scored.find((s) => !s.exact && (!topExact || !overlaps(s, topExact)))
  const fail = (reason: 'ambiguous' | 'low-confidence', at: Scored): AnchorResult => ({
    method: 'failed',
    reason,
    confidence: at.confidence,
    candidate: { start: at.start, end: at.end }
  })
  const ext = extendedScorer(text, want)
  const own = ownParagraphScorer(text, want)
  /** Every acceptance is checked against look-alikes with the context beyond 32 characters. */
  const accept = (at: Scored): AnchorResult => {
    const lookalike = scored.some(
      (s) => s !== at && !overlaps(s, at) && s.quoteScore >= MIN_FUZZY_QUOTE_SCORE
    )
    if (lookalike && own(at) < OWN_PARAGRAPH_INTACT) return fail('ambiguous', at)
    if (extendedRival(scored, at, ext)) return fail('ambiguous', at)
    return {
      start: at.start,
      end: at.end,
      method: at.exact ? 'quote' : 'fuzzy',
      confidence: at.confidence
    }
  }

  /** This side agrees over its extended reach, not just its first 32 characters. */
  const extAgrees = (s: Scored, side: 'prefix' | 'suffix'): boolean =>
    ext(s)[side] >= EXTENDED_AGREE

  let best = topExact ?? topOther
  if (!best) return { method: 'failed', reason: 'not-found', confidence: 0 }
  if (topExact && topOther && contextOf(topOther) >= 0.8 && contextOf(topExact) < 0.98) {
    // The quote's own text here, but another place fits the context: the passage there was
    // probably edited, and this may be a copy (articles repeat their summary in the body).
    const clearlyThere =
      topOther.confidence > topExact.confidence + 0.1 &&
      contextOf(topOther) > contextOf(topExact) + 0.2
    if (clearlyThere) best = topOther
    else if (topOther.confidence > topExact.confidence - 0.1) return fail('ambiguous', topExact)
  }

  if (best.exact) {
    const quoteChars = want.exact.trim().length
    if (
      exactCount === 1 &&
      quoteChars >= DISTINCTIVE_QUOTE_CHARS &&
      ((best.prefixScore >= 0.5 && extAgrees(best, 'prefix')) ||
        (best.suffixScore >= 0.5 && extAgrees(best, 'suffix')))
    ) {
      return accept(best)
    }
    // The quote with all its context on one side: the other side's paragraph moved or went.
    // That models a paragraph-level change, so the other side must still agree up to the
    // paragraph break: templated paragraphs ("确诊病例2…", "确诊病例3…") differ right there.
    // "Agree" allows small edits further out; the characters right next to the quote must match.
    const samePara = (side: 'prefix' | 'suffix', s: Scored): boolean => {
      if (side === 'prefix') {
        const own = want.prefix.slice(want.prefix.lastIndexOf('\n') + 1)
        const near = own.slice(-NEAR_CONTEXT_CHARS)
        if (text.slice(s.start - near.length, s.start) !== near) return false
        const window = text.slice(Math.max(0, s.start - own.length - 4), s.start)
        return edgeAnchoredScore(reverse(window), reverse(own)) >= SAME_PARAGRAPH_MIN
      }
      const nl = want.suffix.indexOf('\n')
      const own = nl === -1 ? want.suffix : want.suffix.slice(0, nl)
      const near = own.slice(0, NEAR_CONTEXT_CHARS)
      if (text.slice(s.end, s.end + near.length) !== near) return false
      return edgeAnchoredScore(text.slice(s.end, s.end + own.length + 4), own) >= SAME_PARAGRAPH_MIN
    }
    const intact = (s: Scored): boolean =>
      (s.prefixScore >= ONE_SIDE_INTACT &&
        want.prefix.trim().length >= MIN_INFORMATIVE_CONTEXT &&
        extAgrees(s, 'prefix') &&
        samePara('suffix', s)) ||
      (s.suffixScore >= ONE_SIDE_INTACT &&
        want.suffix.trim().length >= MIN_INFORMATIVE_CONTEXT &&
        extAgrees(s, 'suffix') &&
        samePara('prefix', s))
    const chosen = best
    if (
      quoteChars >= MIN_ONE_SIDE_QUOTE_CHARS &&
      intact(chosen) &&
      !scored.some(
        (s) =>
          s.exact &&
          !overlaps(s, chosen) &&
          Math.max(s.prefixScore, s.suffixScore) >= ONE_SIDE_INTACT - 0.1
      )
    ) {
      return accept(chosen)
    }
    // A short quote says little by itself: what is next to it within its paragraph must not
    // have changed either, or it may be a look-alike sentence elsewhere.
    if (
      quoteChars < DISTINCTIVE_QUOTE_CHARS &&
      !(samePara('prefix', chosen) && samePara('suffix', chosen))
    ) {
      return fail('low-confidence', chosen)
    }
  } else if (
    best.quoteScore < MIN_FUZZY_QUOTE_SCORE ||
    introducesDigits(want.exact, text.slice(best.start, best.end)) ||
    explainedByContext(want, text.slice(best.start, best.end), best.quoteScore)
  ) {
    return fail('low-confidence', best)
  }
  const chosen = best
  const rival = scored.find((s) => s.exact === chosen.exact && !overlaps(s, chosen))
  // Templated paragraphs ("确诊病例2：中国籍…", "确诊病例3：中国籍…") make near-copies: unless
  // the match is all but perfect, a close second means we cannot tell which one was meant.
  const margin = contextOf(chosen) >= 1 ? AMBIGUITY_MARGIN : WIDE_AMBIGUITY_MARGIN
  if (rival && rival.confidence > chosen.confidence - margin) return fail('ambiguous', chosen)
  return chosen.confidence >= MIN_CONFIDENCE ? accept(chosen) : fail('low-confidence', chosen)
}

/**
 * How well the rest of the quote's own paragraph (the extended context up to the nearest line
 * break on each side) agrees around a candidate: the lower of the two sides, 1 where a side
 * has too little of its own paragraph to say anything.
 */
function ownParagraphScorer(text: string, want: Expected): (s: Scored) => number {
  const ownPrefix = want.extPrefix.slice(want.extPrefix.lastIndexOf('\n') + 1)
  const nl = want.extSuffix.indexOf('\n')
  const ownSuffix = nl === -1 ? want.extSuffix : want.extSuffix.slice(0, nl)
  const informative = (x: string): boolean => x.trim().length >= MIN_ONE_SIDE_QUOTE_CHARS * 2
  return (s) =>
    Math.min(
      informative(ownPrefix) ? contextScore(text, s.start, ownPrefix, 'prefix') : 1,
      informative(ownSuffix) ? contextScore(text, s.end, ownSuffix, 'suffix') : 1
    )
}

/**
 * Whether another place fits the extended context better than the chosen one: the 32
 * characters favoured a copy (a summary line, a list item) whose surroundings then diverge,
 * while the passage itself was edited around. Only when the chosen place's own extended
 * context has changed; a place whose surroundings agree in full has no better rival.
 */
function extendedRival(
  scored: readonly Scored[],
  chosen: Scored,
  ext: (s: Scored) => SideScores
): boolean {
  const mine = ext(chosen)
  const mean = (x: SideScores): number => (x.prefix + x.suffix) / 2
  if (mean(mine) >= 1) return false
  let looked = 0
  for (const s of scored) {
    if (s === chosen || overlaps(s, chosen)) continue
    if (looked++ >= EXTENDED_RIVALS) break
    if (mean(ext(s)) > mean(mine) + EXTENDED_RIVAL_MARGIN) return true
  }
  return false
}
