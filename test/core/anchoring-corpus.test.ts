import { describe, expect, it } from 'vitest'
import {
  anchoredRatio,
  loadCorpusCleanTexts,
  runAnchoringTrial,
  type WrongCase
} from '../../bench/anchoring'
import { CORPUS } from '../helpers/corpus'

// A deterministic slice of bench/anchoring.ts: every third corpus article, two highlights of
// each kind, every mutation. Ground truth rides through each mutation, so "wrong" means an
// anchor on text that is not the passage the user highlighted.
describe('re-anchoring real articles after realistic changes', () => {
  it('never lands on the wrong passage, and anchors ≥ 95% of passages that survived small edits', () => {
    const texts = loadCorpusCleanTexts(CORPUS)
      .filter((_, i) => i % 3 === 0)
      .map((a) => a.text)
    expect(texts.length).toBeGreaterThan(30)
    const wrongs: WrongCase[] = []
    const report = runAnchoringTrial(texts, {
      seed: 7,
      highlightsPerKind: 2,
      onWrong: (w) => wrongs.push(w)
    })
    expect(report.all.total).toBeGreaterThan(1000)
    expect(wrongs).toEqual([])
    expect(report.all.wrong).toBe(0)
    expect(anchoredRatio(report.all)).toBeGreaterThanOrEqual(0.95)
    // Text that is gone must be flagged, not re-attached somewhere else.
    expect(report.all.gone).toBeGreaterThan(0)
  })
})
