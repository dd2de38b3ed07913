// A real corpus post as a browser shows it: a news site's page (navigation, the article, a
// footer) around the post's own HTML body, for the clipper's tests to serve, select in and clip.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { RSSHUB } from './corpus'
import { corpusParagraphs } from './syndicate'

export const CLIP_POST = '金融/财联社/深度/10天23地，南京疫情是如何扩散全国的.md'

export interface ClipPage {
  title: string
  /** The whole page, as served. */
  html: string
  /** The post's paragraphs as text (tags stripped). */
  paragraphs: string[]
}

export function clipPage(relPath = CLIP_POST): ClipPage {
  const text = readFileSync(join(RSSHUB, relPath), 'utf8')
  const end = text.indexOf('\n---', 4)
  const title = /^title:\s*'?(.*?)'?$/mu.exec(text.slice(0, end))?.[1] ?? relPath
  const body = text.slice(end + 4)
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title></head>
<body>
<nav><a href="/">首页</a> <a href="/finance">财经</a> <a href="/depth">深度</a></nav>
<article>
<h1>${title}</h1>
<p class="byline">财联社 2021-08-02</p>
${body}
</article>
<footer><p>版权所有 © 财联社</p></footer>
</body></html>`
  return { title, html, paragraphs: corpusParagraphs(relPath).paragraphs }
}
