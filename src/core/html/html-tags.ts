// What each HTML element is, in one table. The page extractor, the cleaner and the plain-text
// writer take their tag sets from here, so they cannot disagree about what a block is (they
// had three lists that did). Only facts about elements live here; how a heuristic weighs them
// (the extractor's scores, the cleaner's rules) stays with the heuristic.

interface TagFacts {
  /** Laid out as a block: text before it and after it is another paragraph. */
  block?: true
  /** A table cell: its row stays one line of text, and it stays even when empty (columns). */
  cell?: true
  /** Shows something without any text: an image, a rule, a table, media. */
  content?: true
  /** Preformatted: its lines are kept as written, and are code or verse rather than prose. */
  preformatted?: true
  /** Inline, and showing nothing once empty (formatting, a link without text). */
  wrapper?: true
  /** Phrasing content: may stand inside a paragraph without the parser moving it. */
  phrasing?: true
  /** Void: no end tag, no children. */
  void?: true
}

const B = { block: true } as const
const PHRASING = { phrasing: true } as const
const WRAPPER = { phrasing: true, wrapper: true } as const

const TAGS: Record<string, TagFacts> = {
  address: B,
  article: B,
  aside: B,
  blockquote: B,
  body: B,
  caption: B,
  center: B,
  dd: B,
  details: B,
  dialog: B,
  dir: B,
  div: B,
  dl: B,
  dt: B,
  fieldset: B,
  figcaption: B,
  figure: B,
  footer: B,
  form: B,
  h1: B,
  h2: B,
  h3: B,
  h4: B,
  h5: B,
  h6: B,
  header: B,
  hgroup: B,
  hr: { block: true, content: true, void: true },
  html: B,
  li: B,
  main: B,
  menu: B,
  nav: B,
  noscript: B,
  ol: B,
  p: B,
  pre: { block: true, content: true, preformatted: true },
  section: B,
  summary: B,
  table: { block: true, content: true },
  tbody: B,
  td: { block: true, cell: true },
  tfoot: B,
  th: { block: true, cell: true },
  thead: B,
  tr: B,
  ul: B,

  a: WRAPPER,
  abbr: PHRASING,
  audio: { phrasing: true, content: true },
  b: WRAPPER,
  bdi: PHRASING,
  bdo: PHRASING,
  big: WRAPPER,
  br: { phrasing: true, void: true },
  cite: PHRASING,
  code: PHRASING,
  data: PHRASING,
  del: PHRASING,
  dfn: PHRASING,
  em: WRAPPER,
  font: WRAPPER,
  i: WRAPPER,
  img: { phrasing: true, content: true, void: true },
  ins: PHRASING,
  kbd: PHRASING,
  label: PHRASING,
  mark: PHRASING,
  picture: { phrasing: true, content: true },
  q: PHRASING,
  rp: PHRASING,
  rt: PHRASING,
  ruby: PHRASING,
  s: PHRASING,
  samp: PHRASING,
  small: PHRASING,
  span: WRAPPER,
  strike: PHRASING,
  strong: WRAPPER,
  sub: PHRASING,
  sup: PHRASING,
  svg: { content: true },
  time: PHRASING,
  tt: PHRASING,
  u: WRAPPER,
  var: PHRASING,
  video: { phrasing: true, content: true },
  wbr: { phrasing: true, void: true },

  area: { void: true },
  base: { void: true },
  col: { void: true },
  embed: { void: true },
  input: { void: true },
  link: { void: true },
  meta: { void: true },
  param: { void: true },
  source: { void: true },
  track: { void: true }
}

function tagsWhere(test: (facts: TagFacts) => boolean): ReadonlySet<string> {
  return new Set(Object.keys(TAGS).filter((name) => test(TAGS[name]!)))
}

/** Block-level elements: a paragraph break before and after each. */
export const BLOCK_TAGS = tagsWhere((t) => t.block === true)

/** Table cells: a row's cells stay on one line of text, and an empty cell stays. */
export const CELL_TAGS = tagsWhere((t) => t.cell === true)

/** Elements that are content without any text (never dropped as empty). */
export const CONTENT_WITHOUT_TEXT_TAGS = tagsWhere((t) => t.content === true)

/** Blocks whose lines are kept as written (code, verse): never read as prose lines. */
export const PREFORMATTED_TAGS = tagsWhere((t) => t.preformatted === true)

/** Dropped once they hold no text and no content element: blocks (not cells) and wrappers. */
export const REMOVABLE_WHEN_EMPTY_TAGS = tagsWhere(
  (t) => (t.block === true && t.cell !== true && t.content !== true) || t.wrapper === true
)

/** Phrasing content: may be moved into a paragraph without the parser reading it otherwise. */
export const PHRASING_TAGS = tagsWhere((t) => t.phrasing === true)

/** Void elements: written without an end tag. */
export const VOID_TAGS = tagsWhere((t) => t.void === true)
