// Real corpus posts re-filed under one feed source, with that source's header and footer lines
// added as portals add them: the material for learning a source's boilerplate (core and window).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { RSSHUB } from './corpus'

/** Long real posts of different sources (their bodies become one source's articles). */
export const SOURCE_BODIES = [
  '金融/财联社/深度/10天23地，南京疫情是如何扩散全国的.md',
  '金融/财联社/深度/102家券商经营排行榜：4家营收超200亿，5家净利超100亿.md',
  '金融/格隆汇/主题文章/2021年两融余额如何变化？.md',
  '新媒体/虎嗅/首页资讯/1%名单.md',
  '金融/新浪财经/新浪财经－国內/1049元_斤！天价荔枝什么来头？.md'
]

export const SOURCE_NAME = '快报'
export const SOURCE_HEAD = '快报讯 关注我们获取更多资讯'
// Lines only this source prints (the cleaner knows no pattern for them): what learning is for.
export const SOURCE_FOOTER = ['快报出品，每个工作日早八点更新。', '快报 · 用五分钟读懂一天的财经']

/** The HTML body of real post `i` (after its front matter). */
export function sourceBody(i: number): string {
  const text = readFileSync(join(RSSHUB, SOURCE_BODIES[i]!), 'utf8')
  return text.slice(text.indexOf('\n---', 4) + 4)
}

/** Writes body `i` as a post of the source 快报 (title 快报第{i+1}篇) into dir; returns its path. */
export function writeSourcePost(
  dir: string,
  i: number,
  extra: { head?: string[]; tail?: string[]; name?: string } = {}
): string {
  const text = readFileSync(join(RSSHUB, SOURCE_BODIES[i]!), 'utf8')
  const end = text.indexOf('\n---', 4)
  const front = text
    .slice(0, end)
    .replace(/^author:.*$/m, `author: ${SOURCE_NAME}`)
    .replace(/^title:.*$/m, `title: '${SOURCE_NAME}第${i + 1}篇'`)
  const body = text.slice(end + 4)
  const p = (s: string): string => `<p>${s}</p>`
  const html =
    front +
    '\n---\n' +
    (extra.head ?? [SOURCE_HEAD]).map(p).join('') +
    body +
    (extra.tail ?? SOURCE_FOOTER).map(p).join('\n')
  const file = join(dir, extra.name ?? `post-${i}.md`)
  writeFileSync(file, html)
  return file
}
