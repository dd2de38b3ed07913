// A real library for the copies, stories and entities front doors (CLI, exports): the seed
// article and the finance feeds of the corpus, plus what a news analyst meets around them — a
// portal's syndicated copy of the seed (its own head and tail lines, a paragraph dropped, another
// source, a day later) and another outlet's report of the same event in its own words.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { RSSHUB, SEED_FILE, tempDir } from './corpus'
import { corpusParagraphs, writeSyndicated } from './syndicate'

/** The seed's paragraph the copy leaves out. */
export const DROPPED_PARAGRAPH = '高品质保障提升城市环境软实力'
export const COPY_SOURCE = '东方财富网'
/** The outlet the copy credits in its first line. */
export const COPY_CREDIT = '中国新闻网'
export const FOLLOW_UP_TITLE = '进博会倒计时百日 上海城市服务保障进入冲刺阶段'

/** Another outlet's own report of the event the seed tells (not a copy: its own sentences). */
export function followUpReport(): string {
  return `---
title: '${FOLLOW_UP_TITLE}'
categories:
 - 金融
 - 澎湃新闻
author: 澎湃新闻
date: Wed, 28 Jul 2021 08:00:00 GMT
---

<div>
<p>第四届中国国际进口博览会将于11月在国家会展中心（上海）举办，目前已进入百日冲刺阶段。</p>
<p>上海市政府副秘书长顾洪辉表示，上海将以城市软实力建设为牵引，做好进博会城市服务保障各项工作，安保、交通、接待和城市环境等方面的准备工作正在有序推进。</p>
<p>据介绍，今年的城市服务保障将继续依托“一网统管”，对国家会展中心周边的交通组织和市容环境开展专项整治，并为参展企业和采购商提供更便捷的通关和住宿服务。</p>
<p>顾洪辉说，进博会是展示上海城市形象的重要窗口，上海将努力让参展各方感受到城市的温度和品格。</p>
</div>
`
}

export interface StoryLibrary {
  dir: string
  libraryPath: string
  service: GleanerService
  seedId: number
  copyId: number
  followUpId: number
  cleanup(): Promise<void>
}

/** Imports seed, finance feeds, the copy and the follow-up into a new library. */
export async function storyLibrary(prefix: string): Promise<StoryLibrary> {
  const t = tempDir(prefix)
  const extra = join(t.dir, 'extra')
  mkdirSync(extra)
  // The seed as a portal republishes it: its own head and tail, one paragraph gone, a day later.
  const seed = relative(RSSHUB, SEED_FILE)
  const drop = corpusParagraphs(seed).paragraphs.findIndex((p) => p.includes(DROPPED_PARAGRAPH))
  if (drop < 0) throw new Error('fixture: the seed has changed')
  const copyPath = writeSyndicated(extra, seed, {
    source: COPY_SOURCE,
    date: 'Tue, 27 Jul 2021 01:30:00 GMT',
    head: [`来源：${COPY_CREDIT}`],
    tail: [`${COPY_SOURCE}声明：此内容系转载自合作媒体，不代表本站观点。`, '（责任编辑：李明）'],
    drop,
    name: '进博会城市服务保障-转载.md'
  })
  const followUpPath = join(extra, '进博会百日冲刺.md')
  writeFileSync(followUpPath, followUpReport())
  const libraryPath = join(t.dir, 'g.db')
  const service = createGleanerService({ libraryPath, watchExternal: false })
  const run = await service.importPaths([SEED_FILE, join(RSSHUB, '金融'), copyPath, followUpPath])
  await service.idle()
  const idOf = (path: string): number => {
    const r = run.results.find((x) => x.path === path)
    if (r?.articleId === undefined) throw new Error(`fixture: ${path} was not imported`)
    return r.articleId
  }
  return {
    dir: t.dir,
    libraryPath,
    service,
    seedId: idOf(SEED_FILE),
    copyId: idOf(copyPath),
    followUpId: idOf(followUpPath),
    async cleanup() {
      await service.idle()
      service.close()
      t.cleanup()
    }
  }
}
