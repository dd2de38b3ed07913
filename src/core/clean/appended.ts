// Content a page or feed appends after the article: everything after a "back to the site, see
// more" line (portals append the next story there), and a trailing list of related headlines.
import { isElement, textOf } from '../html/html-tree'
import type { AnyNode, Element, ParentNode } from '../html/html-tree'
import { removedText, type RemovedBlock } from '../model/parsed-article'
import { weightedLength } from '../extract/text-density'

/** A line that closes the article on the site that shows it: 返回搜狐，查看更多 and the like. */
const END_OF_ARTICLE = /^返回.{1,12}?[，,、]?\s*查看更多[。！!]?$/u
/** The heading of an appended list of other stories. */
const RELATED_HEADING =
  /^[【[]?(相关(阅读|新闻|文章|报道|链接|推荐)|延伸阅读|推荐阅读|热门(文章|推荐|新闻)|猜你喜欢|更多(阅读|新闻|精彩)|related( (articles|stories|posts|news|content))?|read more|more (stories|news|articles)|you (may|might) also like)[】\]]?[:：]?$/iu
/** A linked headline list without a heading is only taken from this many items on. */
const MIN_LIST = 5
/** Longest text (characters) a headline item has. */
const MAX_HEADLINE = 80

const squeeze = (s: string): string => s.replace(/[\s\u00a0\u3000]+/g, ' ').trim()

export interface BlockAccess {
  /** Leaf blocks in document order (current). */
  leaves(): Element[]
  /** Removes a node and forgets what was computed from the tree. */
  remove(node: AnyNode): void
}

/** Everything after a block in document order, up to the root: its later siblings, then its
 * parent's, and so on. */
function nodesAfter(marker: AnyNode, root: ParentNode): AnyNode[] {
  const after: AnyNode[] = []
  for (let node: AnyNode = marker; node.parent && node !== root; node = node.parent) {
    for (let next = node.next; next; next = next.next) after.push(next)
    if (node.parent === root) break
  }
  return after
}

/** Removes the end-of-article line and everything after it; whether it found one. */
export function cutAfterEndLine(
  root: ParentNode,
  blocks: BlockAccess,
  removed: RemovedBlock[]
): boolean {
  const marker = blocks.leaves().find((el) => END_OF_ARTICLE.test(squeeze(textOf(el))))
  if (!marker) return false
  const after = nodesAfter(marker, root)
  removed.push({ rule: 'appended:end-line', text: removedText(textOf(marker)) })
  blocks.remove(marker)
  const text = removedText(after.map(textOf).join(' '))
  if (text) removed.push({ rule: 'appended:after-end-line', text })
  for (const n of after) blocks.remove(n)
  return true
}

function linkedShare(el: Element, length: number): number {
  let linked = 0
  const walk = (n: AnyNode): void => {
    if (!isElement(n)) return
    if (n.name === 'a') linked += squeeze(textOf(n)).length
    else for (const c of n.children) walk(c)
  }
  walk(el)
  return length === 0 ? 0 : linked / length
}

/** The hosts the links in these blocks lead to ('' for relative links). */
function linkHosts(blocks: Element[]): Set<string> {
  const hosts = new Set<string>()
  const walk = (n: AnyNode): void => {
    if (!isElement(n)) return
    if (n.name === 'a') {
      const href = n.attribs['href'] ?? ''
      const m = /^(?:https?:)?\/\/(?:www\.)?([^/?#:]+)/i.exec(href)
      hosts.add(m ? m[1]!.toLowerCase() : '')
    } else for (const c of n.children) walk(c)
  }
  for (const b of blocks) walk(b)
  return hosts
}

function isHeadline(el: Element, text: string, needLink: boolean): boolean {
  if (text.length < 4 || text.length > MAX_HEADLINE) return false
  // Headlines are not sentences: no full stop inside or at the end.
  if (/[。]|[.](\s|$)/u.test(text)) return false
  return !needLink || linkedShare(el, text.length) >= 0.8
}

/**
 * Removes a trailing list of other stories' headlines: after a 相关阅读 / Related heading, or
 * MIN_LIST linked headlines in a row ending the body. Prose must come before it.
 */
export function cutTrailingHeadlines(blocks: BlockAccess, removed: RemovedBlock[]): boolean {
  const leaves = blocks.leaves()
  const texts = leaves.map((el) => squeeze(textOf(el)))
  // Trailing empty blocks (image holders) do not end the list.
  let end = leaves.length
  while (end > 0 && texts[end - 1] === '') end--
  let start = end
  while (start > 0 && isHeadline(leaves[start - 1]!, texts[start - 1]!, false)) start--
  let from = -1
  // A heading inside the run marks where the list begins.
  for (let i = start; i < end; i++) {
    if (RELATED_HEADING.test(texts[i]!) && end - i - 1 >= 2) {
      from = i
      break
    }
  }
  if (from < 0 && start > 0 && RELATED_HEADING.test(texts[start - 1] ?? '') && end - start >= 2)
    from = start - 1
  if (from < 0) {
    let linked = end
    while (linked > start && isHeadline(leaves[linked - 1]!, texts[linked - 1]!, true)) linked--
    // Other stories of the same site; a list of links to several sites is the author's
    // references or further reading.
    if (end - linked >= MIN_LIST && linkHosts(leaves.slice(linked, end)).size === 1) from = linked
  }
  if (from < 0) return false
  const proseBefore = texts.slice(0, from).some((t) => weightedLength(t) >= 80)
  if (!proseBefore) return false
  const list = leaves.slice(from, end)
  removed.push({
    rule: 'appended:related-headlines',
    text: removedText(texts.slice(from, end).join(' · '))
  })
  for (const el of list) {
    // The list's wrapper (ul, div) goes when nothing else is left in it.
    let target: AnyNode = el
    while (
      target.parent &&
      isElement(target.parent) &&
      target.parent.children.every((c) => c === target || !squeeze(textOf(c)))
    )
      target = target.parent
    if ((target as { parent: unknown }).parent) blocks.remove(target)
  }
  return true
}

/**
 * A notice that closes an article on its site rather than saying anything of the story: rights
 * and reprint terms (版权所有, 未经授权不得转载, ©, All rights reserved), an investment
 * disclaimer (风险提示, 免责声明, 不构成投资建议), a "this article first appeared in …" credit,
 * a call for tips (线索投递：…), the cover picture's credit (封面图片来源：…), the topic tags.
 */
const CLOSING_NOTICE =
  /^(?:©|ⓒ|\(c\)\s*\d{4}|copyright\b)|all rights reserved|(?:版权|版權|著作权|著作權|信息网络传播权|資訊網路傳播權)(?:所有|归|歸|属|屬|由)|(?:未经|未經|不得|禁止|严禁|嚴禁).{0,16}(?:转载|轉載|转发|轉發|复制|複製)(?=$|[。，,.！!、；;）)]|或|及|和)|(?:转载|轉載).{0,12}(?:请|請|须|須|需).{0,12}(?:联系|聯繫|注明|註明|授权|授權)|^(?:风险提示|風險提示|免责声明|免責聲明|特别声明|特別聲明|投资有风险|投資有風險)|不(?:构成|構成).{0,6}(?:投资|投資)建议|^(?:新闻|新聞)?(?:线索|線索)(?:投递|投遞|提供|征集|徵集|报料|報料)|^(?:爆料|报料|報料|投稿)(?:邮箱|郵箱|电话|電話|热线|熱線)|^(?:封面|题图|題圖|头图|頭圖|配图|配圖)(?:图片|圖片)?(?:来源|來源|来自|來自|由)|^(?:话题标签|話題標籤|话题|話題)\s*[:：]|^本文(?:来自|來自|来源于|來源於|转载自|轉載自|转自|轉自|首发于|首發於|原载于|原載於)/iu
/** A notice is a few lines at most; a paragraph holding these words is prose about them. The
 * reprint terms are matched as the formula ends ("…不得转载。"), not as a verb with an object
 * ("未经授权转载原告作品" is a court report). */
const MAX_NOTICE = 200
/** What may follow a notice in the closing run: a short link ("查看知乎讨论") or a notice. */
const MAX_TRAILING_LINK = 30

/**
 * Removes the closing notices that end an article (rights terms, disclaimers, a first-published
 * credit) with the few short lines under a notice heading (风险提示 / 风险事件冲击…) and short
 * links after them; a notice that is the last line of a paragraph (after a <br>) goes alone.
 * Prose must come before, and every removed block is short.
 */
export function cutClosingNotices(blocks: BlockAccess, removed: RemovedBlock[]): boolean {
  const leaves = blocks.leaves()
  const texts = leaves.map((el) => squeeze(textOf(el)))
  const notice = (t: string): boolean => t.length <= MAX_NOTICE && CLOSING_NOTICE.test(t)
  const linkOnly = (i: number): boolean =>
    texts[i]!.length <= MAX_TRAILING_LINK && linkedShare(leaves[i]!, texts[i]!.length) >= 0.9
  let end = leaves.length
  while (end > 0 && texts[end - 1] === '') end--
  // The closing run: notices, short links after them, and up to 3 short lines under a notice
  // that is a heading alone (风险提示 then its one-line list).
  let from = end
  let i = end - 1
  let pending: number[] = []
  while (i >= 0) {
    const t = texts[i]!
    if (t === '' || linkOnly(i)) {
      pending.push(i)
    } else if (notice(t)) {
      from = i
      pending = []
    } else if (
      t.length <= 120 &&
      pending.filter((j) => texts[j] !== '').length < 3 &&
      isNoticeHeading(previousText(texts, i))
    ) {
      pending.push(i)
    } else break
    i--
  }
  let cut = false
  if (from < end && texts.slice(0, from).some((x) => weightedLength(x) >= 80)) {
    const run = leaves.slice(from, end)
    removed.push({
      rule: 'appended:closing-notice',
      text: removedText(texts.slice(from, end).filter(Boolean).join(' · '))
    })
    for (const el of run) blocks.remove(el)
    cut = true
  }
  return cutClosingNoticeLine(cut ? blocks.leaves() : leaves, blocks, removed) || cut
}

/** The nearest non-empty text before block i (empty paragraphs stand between in many posts). */
function previousText(texts: string[], i: number): string {
  for (let j = i - 1; j >= 0; j--) if (texts[j] !== '') return texts[j]!
  return ''
}

function isNoticeHeading(t: string): boolean {
  return t.length <= 12 && CLOSING_NOTICE.test(t)
}

/** The last line of the last paragraph, after a <br>, when it is a notice (© DMM / C2). */
function cutClosingNoticeLine(
  leaves: Element[],
  blocks: BlockAccess,
  removed: RemovedBlock[]
): boolean {
  const last = [...leaves].reverse().find((el) => squeeze(textOf(el)) !== '')
  if (!last) return false
  const kids = last.children.filter((c) => !(c.type === 'text' && squeeze(textOf(c)) === ''))
  const tail = kids[kids.length - 1]
  const br = kids[kids.length - 2]
  if (!tail || !br || !isElement(br) || br.name !== 'br') return false
  const t = squeeze(textOf(tail))
  if (!t || t.length > MAX_NOTICE || !CLOSING_NOTICE.test(t)) return false
  removed.push({ rule: 'appended:closing-notice', text: removedText(t) })
  blocks.remove(tail)
  blocks.remove(br)
  return true
}

/**
 * A heading a site puts over the other stories it appends after an article: Popular, Most Read,
 * Trending, 热门推荐, 排行榜. Only the whole block, never words in a sentence.
 */
const APPENDED_SECTION =
  /^(?:more\s+)?(?:popular|most\s+(?:popular|read|viewed|shared|watched)|trending(?:\s+now)?|latest\s+(?:videos|news|stories)|top\s+stories|editor'?s\s+picks?|热门(?:推荐|文章|新闻|阅读|资讯)?|热点推荐|热读|排行榜?|精彩推荐|最新(?:资讯|文章|新闻)|今日热榜|熱門(?:推薦|文章|新聞)?|排行榜?)(?:\s+(?:news|stories|videos))?[:：]?$/iu
/** Prose (weighted characters) the article must have before such a heading. */
const MIN_ARTICLE_BEFORE = 400
/** Title-like blocks (short, no sentence end) that must follow it: a list of other stories. */
const MIN_TITLES_AFTER = 3

/**
 * Removes an appended section of other stories: a Popular / 热门推荐-style heading after the
 * article's prose, followed by at least MIN_TITLES_AFTER story titles (with or without their
 * teasers), and everything after it.
 */
export function cutAppendedSection(
  root: ParentNode,
  blocks: BlockAccess,
  removed: RemovedBlock[]
): boolean {
  const leaves = blocks.leaves()
  const texts = leaves.map((el) => squeeze(textOf(el)))
  let before = 0
  for (let i = 0; i < leaves.length; i++) {
    const t = texts[i]!
    if (APPENDED_SECTION.test(t) && before >= MIN_ARTICLE_BEFORE) {
      const titles = texts
        .slice(i + 1)
        .filter((x) => x.length >= 4 && x.length <= MAX_HEADLINE && !/[。！？]|[.!?]$/u.test(x))
      if (titles.length >= MIN_TITLES_AFTER) {
        const marker = leaves[i]!
        const after = nodesAfter(marker, root)
        removed.push({
          rule: 'appended:section',
          text: removedText([t, ...after.map(textOf)].join(' '))
        })
        blocks.remove(marker)
        for (const n of after) blocks.remove(n)
        return true
      }
    }
    before += weightedLength(t)
  }
  return false
}
