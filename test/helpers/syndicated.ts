// A real corpus post republished as portals republish a wire story: each copy under another
// outlet's name, a few hours later, with that portal's own head and tail lines and one
// paragraph of the original dropped. The material for copy groups in the window's tests.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { RSSHUB } from './corpus'

/** A long real post (44 paragraphs) whose copies the tests make. */
export const SYNDICATED_POST = '金融/新浪财经/新浪财经－国內/1049元_斤！天价荔枝什么来头？.md'
export const SYNDICATED_TITLE = '1049元_斤！天价荔枝什么来头？'
/** The outlets that republish it, one copy each. */
export const COPY_OUTLETS = ['南方快讯', '岭南日报网', '荔城在线'] as const

export interface CopyFile {
  path: string
  outlet: string
  /** The original's paragraph this copy leaves out. */
  dropped: string
  head: string
  tail: string
}

/** Writes one copy of SYNDICATED_POST per outlet into dir. */
export function writeSyndicatedCopies(
  dir: string,
  outlets: readonly string[] = COPY_OUTLETS
): CopyFile[] {
  const text = readFileSync(join(RSSHUB, SYNDICATED_POST), 'utf8')
  const end = text.indexOf('\n---', 4)
  const front = text.slice(0, end)
  const body = text.slice(end + 4)
  const paragraphs = [...body.matchAll(/<p[^>]*>[\s\S]*?<\/p>/gu)].map((m) => m[0])
  return outlets.map((outlet, k) => {
    // A paragraph of plain text (not a heading) from the middle, a different one per copy.
    const drop = paragraphs.filter((p) => !p.includes('<font') && p.length > 80)[6 + k]!
    const head = `${outlet}讯 据新华社报道，本网转载。`
    const tail = `（本文来源：${outlet}，转载请注明出处）`
    const hours = String(11 + k).padStart(2, '0')
    const copyFront = front
      .replace(/^author:.*$/mu, `author: ${outlet}`)
      .replace(/^date:.*$/mu, `date: Mon, 18 Jul 2022 ${hours}:20:00 GMT`)
      .replace(/^categories:[\s\S]*?(?=^headimg:)/mu, `categories: \n - 转载\n - ${outlet}\n`)
    const copyBody = `<p>${head}</p>` + body.replace(drop, '') + `<p>${tail}</p>`
    const path = join(dir, `copy-${k + 1}.md`)
    writeFileSync(path, `${copyFront}\n---\n${copyBody}`)
    return {
      path,
      outlet,
      dropped: drop.replace(/<[^>]+>/gu, '').replace(/^[\s\u3000]+/u, ''),
      head,
      tail
    }
  })
}
