// Bylines: metadata that news sites print as body text. One module for every path (posts,
// feeds, saved pages all reach it through the cleaner), so a line is read the same wherever it
// comes from:
// - the editor credit (责任编辑：王翔, 責任編輯：, （编辑：张三）, Editor: Jane Doe) and the original
//   title of a syndicated story (原标题：…) are lifted into fields and taken out of the body, so
//   the reader shows them once, as metadata;
// - origin credits (来源：新华社, 据新华社报道, 新华社北京7月26日电（记者 张三 李四）, WASHINGTON
//   (Reuters) -) name who first published the story. They stay in the text (they are part of
//   what the outlet printed, and of what copies of a story share) and are read into `origin`.
import type { ArticleOrigin } from '../model/parsed-article'

/** A line lifted into a field and out of the body. */
export interface LiftedLine {
  /** Rule name in the removal report. */
  rule: string
  /** Blocks marked as this line by their class, besides every short leaf block. */
  selector: string
  /** Longest block text read as this line. */
  maxLength: number
  /** The field's value in a block's whole (squeezed) text, or null when it is not this line. */
  read(text: string): string | null
}

// `每经编辑 张三`, `本文编辑：李四`: an outlet's or role's few characters before 编辑, then a space or colon.
const EDITOR_LINE =
  /^[（(【[]?\s*(?:(?:责任编辑|責任編輯)\s*[：:]?|(?:责编|責編|编辑|編輯|Editors?)\s*[：:]|\p{Script=Han}{1,4}(?:编辑|編輯)(?:\s*[：:]|\s+)|Edited\s+by\s)\s*([^（）()【】[\]\n]{1,40}?)\s*[)）】\]]?\s*$/iu
/** A staff code after the editor's name (Sina's `刘万里 SF014`, `王翔SF014`): not part of it. */
const EDITOR_CODE = /\s*(?<![A-Za-z])[A-Z]{1,4}\d{2,}$/u

export const EDITOR: LiftedLine = {
  rule: 'editor-line',
  selector: '.article-editor, .editor, .show_author',
  maxLength: 60,
  read(text) {
    const name = EDITOR_LINE.exec(text)?.[1]?.replace(EDITOR_CODE, '').trim()
    return name || null
  }
}

const ORIGINAL_TITLE_LINE = /^[（(【[]?\s*(?:原标题|原標題)\s*[：:]\s*(.+?)\s*[)）】\]]?\s*$/u

export const ORIGINAL_TITLE: LiftedLine = {
  rule: 'original-title',
  selector: '.ori_titlesource',
  maxLength: 200,
  read(text) {
    return ORIGINAL_TITLE_LINE.exec(text)?.[1]?.trim() || null
  }
}

/** Longest block read as a 来源 (source) line; a longer block is prose that uses the word. */
export const ORIGIN_LINE_MAX = 60

// A whole short block: `来源：新华社`, `（来源：人民日报海外版）`, `文章来源：澎湃新闻`, `Source: Xinhua`.
const SOURCE_LINE =
  /^[（(【[]?\s*(?:文章|稿件|本文|新闻|消息|信息)?(?:来源|來源|出处|出處|Source)\s*[:：]\s*([^（）()【】[\]\n]{1,40}?)\s*[)）】\]]?$/iu

// An outlet's name as Chinese datelines and attributions write it.
const OUTLET =
  '(《[^》]{1,20}》|[\\p{Script=Han}A-Za-z·]{1,12}(?:通讯社|社|网|报|台|新闻|客户端|频道|周刊|杂志|财经))'
// `新华社北京7月26日电`, `中新网上海7月26日电`, `央视网消息`.
const DATELINE = new RegExp(
  `^[（(【\\[]?\\s*${OUTLET}\\s*(?:[\\p{Script=Han}]{1,8}?\\s*)?(?:\\d{1,2}\\s*月\\s*\\d{1,2}\\s*日\\s*)?(?:电|讯|消息)`,
  'u'
)
// `据新华社报道`, `据《华尔街日报》7月26日报道`.
const ACCORDING_TO = new RegExp(
  `^据\\s*${OUTLET}[^，。,；;]{0,20}?(?:报道|報導|消息|电|讯|援引)`,
  'u'
)
// `（记者 张三 李四）`, `(记者：张三 通讯员 李四)`.
const REPORTERS = /[（(]\s*(?:本报|本台|本网)?(?:记者|記者)\s*[:：]?\s*([^（）()]{2,40}?)\s*[)）]/u
const ROLE_WORDS = /^(?:记者|記者|通讯员|通訊員|实习生|實習生|摄影|攝影|报道|報導|编译|編譯)$/u
// `WASHINGTON (Reuters) -`, `BEIJING, July 26 (Xinhua) --`.
const ENGLISH_DATELINE =
  /^[A-Z][A-Z .,'/-]{1,40}(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?\s*\(([A-Z][\w .&-]{1,30})\)\s*[-–—]/u

/** How much of an opening paragraph origin credits are looked for in. */
export const OPENING_CHARS = 120
/** Leading blocks with text whose openings are read for datelines and reporter credits. */
export const OPENING_BLOCKS = 3

/** Another credit on the same line (`本文来源：新京报 责任编辑：张三`): where the outlet ends. */
const NEXT_LABEL =
  /\s+(?:责任编辑|責任編輯|编辑|編輯|作者|记者|記者|原标题|Editor|Author)\s*[:：].*$/iu

function outletName(raw: string): string | null {
  const name = raw
    .replace(NEXT_LABEL, '')
    .replace(/^《|》$/gu, '')
    .trim()
  // `本报` / `本台` is "this paper": the outlet is the article's own source, not named here.
  return name && !/^本(?:报|台|网|刊)$/u.test(name) ? name : null
}

/** The outlet a whole short block credits (来源：新华社), or null. */
export function readSourceLine(text: string): string | null {
  if (text.length > ORIGIN_LINE_MAX) return null
  const m = SOURCE_LINE.exec(text)
  return m ? outletName(m[1]!) : null
}

/** Origin credits at the start of an opening paragraph, or null when it has none. */
export function readOpeningCredits(
  opening: string
): { outlet: string | null; reporters: string[]; line: string } | null {
  const text = opening.slice(0, OPENING_CHARS)
  const dateline = DATELINE.exec(text) ?? ACCORDING_TO.exec(text)
  const english = dateline ? null : ENGLISH_DATELINE.exec(text)
  const credit = REPORTERS.exec(text)
  if (!dateline && !english && !credit) return null
  const reporters = credit
    ? credit[1]!
        .split(/[\s、，,;；/]+/u)
        .map((name) => name.trim())
        .filter((name) => name !== '' && !ROLE_WORDS.test(name))
    : []
  const outlet = dateline ? outletName(dateline[1]!) : english ? english[1]!.trim() : null
  const end = Math.max(
    dateline ? dateline.index + dateline[0].length : 0,
    english ? english.index + english[0].length : 0,
    credit ? credit.index + credit[0].length : 0
  )
  return { outlet, reporters, line: text.slice(0, end).trim() }
}

/** Collects origin credits as the cleaner finds them; the first outlet named wins. */
export class OriginCredits {
  private sourceLine: string | null = null
  private openingOutlet: string | null = null
  private readonly reporters: string[] = []
  private readonly lines: string[] = []

  /** A 来源 line names the outlet outright: it wins over a dateline or an attribution. */
  addSourceLine(outlet: string, line: string): void {
    this.sourceLine ??= outlet
    this.lines.push(line)
  }

  addOpening(credits: { outlet: string | null; reporters: string[]; line: string }): void {
    this.openingOutlet ??= credits.outlet
    for (const name of credits.reporters)
      if (!this.reporters.includes(name)) this.reporters.push(name)
    this.lines.push(credits.line)
  }

  result(): ArticleOrigin | null {
    if (this.lines.length === 0) return null
    return {
      outlet: this.sourceLine ?? this.openingOutlet,
      reporters: this.reporters,
      lines: this.lines
    }
  }
}
