// What a change is called, in English and 简体中文: the Edit menu's "Undo Add tag", the
// window's undo toast, `gleaner history` and `gleaner undo`. One table for every front door, so
// the menu, the window and the terminal never call the same change two names.
import type { LibraryChange } from './change-types'
import type { Locale } from './first-paint'

interface Label {
  /** The action's name, for "Undo …" / "撤销…". */
  action: [en: string, zh: string]
  /** What happened, with {count} {name} {to} {title} filled in. */
  done: [en: string, zh: string]
}

const L = (action: Label['action'], done: Label['done']): Label => ({ action, done })

const LABELS: Record<string, Label> = {
  setRead: L(
    ['Mark as Read', '标为已读'],
    ['Marked {count} article(s) read', '已将 {count} 篇标为已读']
  ),
  setUnread: L(
    ['Mark as Unread', '标为未读'],
    ['Marked {count} article(s) unread', '已将 {count} 篇标为未读']
  ),
  setStarred: L(['Star', '加星'], ['Starred {count} article(s)', '已给 {count} 篇加星']),
  setUnstarred: L(
    ['Unstar', '取消星标'],
    ['Unstarred {count} article(s)', '已取消 {count} 篇的星标']
  ),
  deleteArticles: L(['Delete', '删除'], ['Deleted {count} article(s)', '已删除 {count} 篇文章']),
  restoreArticles: L(['Restore', '恢复'], ['Restored {count} article(s)', '已恢复 {count} 篇文章']),
  emptyTrash: L(
    ['Empty Trash', '清空回收站'],
    ['Removed {count} article(s) for good', '已永久删除 {count} 篇文章']
  ),
  deleteImported: L(
    ['Remove Import', '移除导入'],
    ['Removed {count} imported article(s)', '已移除导入的 {count} 篇文章']
  ),
  importPaths: L(
    ['Import', '导入'],
    ['Imported {imported}, updated {updated} article(s)', '导入 {imported} 篇，更新 {updated} 篇']
  ),
  reclean: L(['Re-clean', '重新清理'], ['Re-cleaned {count} article(s)', '已重新清理 {count} 篇']),
  addTag: L(
    ['Add Tag', '添加标签'],
    ['Tagged {count} article(s) “{name}”', '已为 {count} 篇文章添加标签“{name}”']
  ),
  removeTag: L(
    ['Remove Tag', '移除标签'],
    ['Removed “{name}” from {count} article(s)', '已从 {count} 篇文章移除标签“{name}”']
  ),
  renameTag: L(
    ['Rename Tag', '重命名标签'],
    ['Renamed tag “{name}” to “{to}”', '已将标签“{name}”改名为“{to}”']
  ),
  splitTag: L(
    ['Split Tags', '拆分标签'],
    ['Split tag “{name}” from “{to}”', '已将标签“{name}”从“{to}”拆出']
  ),
  deleteTag: L(
    ['Delete Tag', '删除标签'],
    ['Deleted tag “{name}” from {count} article(s)', '已从 {count} 篇文章删除标签“{name}”']
  ),
  renameCategory: L(
    ['Rename Category', '重命名分类'],
    ['Renamed category “{name}” to “{to}”', '已将分类“{name}”改名为“{to}”']
  ),
  deleteCategory: L(
    ['Delete Category', '删除分类'],
    ['Deleted category “{name}”', '已删除分类“{name}”']
  ),
  restoreCategory: L(
    ['Restore Category', '恢复分类'],
    ['Restored category “{name}”', '已恢复分类“{name}”']
  ),
  mergeCategory: L(
    ['Merge Categories', '合并分类'],
    ['Merged “{name}” into “{to}”', '已将“{name}”合并到“{to}”']
  ),
  unmergeCategory: L(
    ['Split Category', '拆回分类'],
    ['Split “{name}” out again', '已将“{name}”拆回']
  ),
  createAnnotation: L(['Highlight', '高亮'], ['Added “{name}”', '已添加“{name}”']),
  updateAnnotation: L(['Edit Note', '编辑批注'], ['Edited “{name}”', '已编辑“{name}”']),
  deleteAnnotation: L(['Delete Highlight', '删除高亮'], ['Deleted “{name}”', '已删除“{name}”']),
  restoreAnnotation: L(['Restore Highlight', '恢复高亮'], ['Restored “{name}”', '已恢复“{name}”']),
  reattachAnnotation: L(
    ['Re-attach Highlight', '重新定位高亮'],
    ['Re-attached “{name}”', '已重新定位“{name}”']
  ),
  confirmAnnotation: L(['Confirm Highlight', '确认高亮'], ['Confirmed “{name}”', '已确认“{name}”']),
  setAnnotationAnchor: L(
    ['Move Highlight', '移动高亮'],
    ['Moved “{name}” back', '已将“{name}”移回']
  ),
  setSourceBoilerplate: L(
    ['Learned Boilerplate', '学到的固定文字'],
    ['“{name}” in {to}', '{to} 的“{name}”']
  ),
  renameStory: L(
    ['Rename Story', '重命名事件'],
    ['Renamed story “{name}” to “{to}”', '已将事件“{name}”改名为“{to}”']
  ),
  followStory: L(['Follow Story', '关注事件'], ['Followed “{name}”', '已关注“{name}”']),
  unfollowStory: L(
    ['Unfollow Story', '取消关注事件'],
    ['Stopped following “{name}”', '已取消关注“{name}”']
  ),
  splitStory: L(
    ['Split Story', '拆分事件'],
    ['Split {count} article(s) out of “{name}”', '已从“{name}”拆出 {count} 篇']
  ),
  mergeStories: L(
    ['Merge Stories', '合并事件'],
    ['Merged “{name}” into “{to}”', '已将“{name}”并入“{to}”']
  ),
  clusterStories: L(
    ['Find Stories', '归并事件'],
    ['Read {count} article(s) for copies and stories', '已为 {count} 篇文章归并转载与事件']
  ),
  restoreStories: L(['Restore Stories', '恢复事件'], ['Restored stories', '已恢复事件']),
  addFeed: L(['Subscribe to Feed', '订阅源'], ['Subscribed to {name}', '已订阅 {name}']),
  updateFeed: L(['Edit Feed', '编辑订阅源'], ['Edited feed “{name}”', '已编辑订阅源“{name}”']),
  removeFeed: L(['Unsubscribe', '取消订阅'], ['Unsubscribed from “{name}”', '已取消订阅“{name}”']),
  restoreFeed: L(
    ['Restore Feed', '恢复订阅源'],
    ['Restored feed “{name}”', '已恢复订阅源“{name}”']
  ),
  importOpml: L(
    ['Import OPML', '导入 OPML'],
    ['Subscribed to {count} feed(s) from OPML', '已从 OPML 订阅 {count} 个源']
  ),
  removeFeeds: L(
    ['Unsubscribe', '取消订阅'],
    ['Unsubscribed from {count} feed(s)', '已取消订阅 {count} 个源']
  ),
  restoreFeeds: L(
    ['Restore Feeds', '恢复订阅源'],
    ['Restored {count} feed(s)', '已恢复 {count} 个订阅源']
  ),
  pollFeeds: L(['Poll Feeds', '检查订阅源'], ['Polled {count} feed(s)', '已检查 {count} 个订阅源']),
  teamSync: L(
    ['Team Sync', '团队同步'],
    ['Brought in {count} change(s) from the team', '已从团队同步 {count} 处更改']
  ),
  addSynonym: L(['Add Synonym', '添加同义词'], ['“{name}” = “{to}”', '“{name}” = “{to}”']),
  removeSynonym: L(['Remove Synonym', '移除同义词'], ['“{name}” ≠ “{to}”', '“{name}” ≠ “{to}”']),
  createCollection: L(
    ['New Collection', '新建专题'],
    ['Created collection “{name}” with {count} article(s)', '已新建专题“{name}”，收入 {count} 篇']
  ),
  renameCollection: L(
    ['Rename Collection', '重命名专题'],
    ['Renamed collection “{name}” to “{to}”', '已将专题“{name}”改名为“{to}”']
  ),
  deleteCollection: L(
    ['Delete Collection', '删除专题'],
    ['Deleted collection “{name}”', '已删除专题“{name}”']
  ),
  restoreCollection: L(
    ['Restore Collection', '恢复专题'],
    ['Restored collection “{name}”', '已恢复专题“{name}”']
  ),
  addToCollection: L(
    ['Add to Collection', '加入专题'],
    ['Added {count} article(s) to “{name}”', '已将 {count} 篇加入“{name}”']
  ),
  removeFromCollection: L(
    ['Remove from Collection', '移出专题'],
    ['Removed {count} article(s) from “{name}”', '已将 {count} 篇移出“{name}”']
  ),
  restoreCollectionItems: L(
    ['Put Back in Collection', '放回专题'],
    ['Put {count} article(s) back in “{name}”', '已将 {count} 篇放回“{name}”']
  ),
  moveInCollection: L(
    ['Reorder', '调整顺序'],
    ['Moved “{title}” in “{name}”', '已在“{name}”中移动“{title}”']
  ),
  setCollectionItemNote: L(
    ['Edit Item Note', '编辑条目备注'],
    ['Edited the note on “{title}” in “{name}”', '已编辑“{name}”中“{title}”的备注']
  ),
  'allowRemoteImages:article': L(
    ['Allow Images', '允许加载图片'],
    ['Allowed images in “{title}”', '已允许加载“{title}”的图片']
  ),
  'allowRemoteImages:source': L(
    ['Allow Images', '允许加载图片'],
    ['Allowed images from “{name}”', '已允许加载来源“{name}”的图片']
  ),
  'allowRemoteImages:library': L(
    ['Allow Images', '允许加载图片'],
    ['Allowed images in the whole library', '已允许加载整个资料库的图片']
  ),
  'blockRemoteImages:article': L(
    ['Block Images', '不再加载图片'],
    ['Stopped allowing images in “{title}”', '已不再加载“{title}”的图片']
  ),
  'blockRemoteImages:source': L(
    ['Block Images', '不再加载图片'],
    ['Stopped allowing images from “{name}”', '已不再加载来源“{name}”的图片']
  ),
  'blockRemoteImages:library': L(
    ['Block Images', '不再加载图片'],
    ['Stopped allowing images in the whole library', '已不再加载整个资料库的图片']
  ),
  external: L(['Change', '更改'], ['Changed by another program', '其他程序更改了资料库']),
  pairClipperClient: L(
    ['Pair Browser Clipper', '配对浏览器剪藏'],
    ['Paired a browser clipper ({name})', '已配对浏览器剪藏（{name}）']
  ),
  revokeClipperClient: L(
    ['Revoke Browser Clipper', '撤销浏览器剪藏'],
    ['Revoked a browser clipper ({name})', '已撤销浏览器剪藏（{name}）']
  )
}

const FALLBACK = L(['Change', '更改'], ['{op}', '{op}'])

/** The label key for a change: read/star ops split by the value they set. */
function keyOf(op: string, change: Pick<LibraryChange, 'touched' | 'summary'>): string {
  // An image allowance names the article (its title), the source (its name) or neither.
  if (op === 'allowRemoteImages' || op === 'blockRemoteImages')
    return `${op}:${change.summary.title !== undefined ? 'article' : change.summary.name !== undefined ? 'source' : 'library'}`
  if (op === 'setRead' && change.touched.flags?.read === false) return 'setUnread'
  if (op === 'setStarred' && change.touched.flags?.starred === false) return 'setUnstarred'
  return op
}

function fill(template: string, change: LibraryChange): string {
  const s = change.summary
  const values: Record<string, string | number | undefined> = {
    count: s.count ?? 0,
    name: s.name ?? '',
    to: s.to ?? '',
    title: s.title ?? '',
    imported: s.imported ?? 0,
    updated: s.updated ?? 0,
    op: change.op
  }
  return (
    template
      .replace(/\{(\w+)\}/gu, (m, k: string) => String(values[k] ?? m))
      // English plurals: "1 article", "3 articles".
      .replace(/\(s\)/gu, s.count === 1 ? '' : 's')
  )
}

const pick = (pair: [string, string], locale: Locale): string =>
  locale === 'zh' ? pair[1] : pair[0]

/**
 * The action a change stands for, as Undo and Redo name it: an undo or redo is named by the
 * change it reverts ("Undo Add Tag" after undoing, "Redo Add Tag").
 */
export function changeAction(change: LibraryChange, locale: Locale): string {
  const op = change.subjectOp ?? change.op
  // An undo set the opposite value of the change it undid ("Undo Star" undid a star by unstarring).
  const flags = change.touched.flags
  const subjectFlags =
    change.undoOf !== undefined && flags
      ? {
          ...(flags.read !== undefined && { read: !flags.read }),
          ...(flags.starred !== undefined && { starred: !flags.starred })
        }
      : flags
  const key = keyOf(op, {
    touched: { ...change.touched, ...(subjectFlags && { flags: subjectFlags }) },
    summary: change.summary
  })
  return pick((LABELS[key] ?? FALLBACK).action, locale)
}

/** One line saying what the change did, for toasts and the history. */
export function changeSentence(change: LibraryChange, locale: Locale): string {
  const text = fill(pick((LABELS[keyOf(change.op, change)] ?? FALLBACK).done, locale), change)
  if (change.undoOf !== undefined)
    return locale === 'zh'
      ? `撤销：${changeAction(change, locale)}`
      : `Undid: ${changeAction(change, locale)}`
  if (change.redoOf !== undefined)
    return locale === 'zh'
      ? `重做：${changeAction(change, locale)}`
      : `Redid: ${changeAction(change, locale)}`
  return text
}

/** "Undo Add Tag" / "撤销添加标签" for the Edit menu and buttons; plain "Undo" when nothing. */
export function undoLabel(
  kind: 'undo' | 'redo',
  change: LibraryChange | null,
  locale: Locale
): string {
  const verb =
    kind === 'undo' ? (locale === 'zh' ? '撤销' : 'Undo') : locale === 'zh' ? '重做' : 'Redo'
  if (!change) return verb
  return locale === 'zh'
    ? `${verb}${changeAction(change, locale)}`
    : `${verb} ${changeAction(change, locale)}`
}

/** Ops with a label (the table above), for tests that every logged op can be named. */
export const LABELLED_OPS: readonly string[] = Object.keys(LABELS)
