// UI strings in 简体中文 and English. A plain dictionary keeps translations reviewable
// side by side; the locale is reactive so switching re-renders every string at once.

import { localeFor, type Locale } from '../../../shared/first-paint'

const en = {
  appName: 'Gleaner',
  allArticles: 'All articles',
  categories: 'Categories',
  articles: 'Articles',
  reader: 'Reader',
  searchPlaceholder: 'Filter articles  ( / )',
  sortLabel: 'Sort',
  sortDateDesc: 'Newest first',
  sortDateAsc: 'Oldest first',
  sortTitle: 'Title',
  sortSource: 'Source',
  sortImported: 'Recently imported',
  articleCount: '{n} articles',
  articleCountOne: '1 article',
  noDate: 'No date',
  unread: 'Unread',
  starred: 'Starred',
  star: 'Star',
  unstar: 'Unstar',
  markRead: 'Mark read',
  markUnread: 'Mark unread',
  loading: 'Loading…',
  emptyTitle: 'Drop article files here',
  emptyBody:
    'Drag news clippings — Markdown/Hexo posts, HTML pages, text, feeds, zip archives or whole folders — onto this window. Gleaner cleans them and files them by category.',
  emptyWebBody: 'In the browser preview, type the path of a file or folder on this computer below.',
  noMatches: 'No articles match this filter.',
  selectArticle: 'Select an article to read it.',
  dropHere: 'Drop to import',
  dropNoPaths: 'This window cannot see the paths of dropped files. Use “Import path…” instead.',
  importPath: 'Import path…',
  importPathPlaceholder: '/path/to/articles',
  importButton: 'Import',
  importing: 'Importing…',
  importProgress: '{done} of {total} files · {rate} files/s',
  cancel: 'Cancel',
  close: 'Close',
  importReport: 'Import report',
  importCancelled: 'Import cancelled',
  reportImported: 'Imported',
  reportUpdated: 'Updated',
  reportDuplicates: 'Duplicates',
  reportUnchanged: 'Unchanged',
  reportFailed: 'Failed',
  skippedAndFailed: 'Skipped and failed files',
  importError: 'Import failed: {message}',
  by: 'by {author}',
  originalLink: 'Original',
  originalTitle: 'Original title: {title}',
  remoteImagesBlocked: '{n} remote images blocked for privacy.',
  remoteImagesBlockedOne: '1 remote image blocked for privacy.',
  showRemoteImages: 'Load images',
  hideRemoteImages: 'Block remote images',
  remoteImagesOn: 'Remote images on',
  language: 'Language',
  resizePane: 'Resize pane',
  keyboardHelp:
    'j/k move · Enter open · / filter · s star · u unread · x pick · Shift+j/k pick a range',
  expand: 'Expand',
  collapse: 'Collapse',
  fontSize: 'Text size',
  smaller: 'Smaller text',
  larger: 'Larger text',
  error: 'Something went wrong: {message}',
  selectedCount: '{n} selected',
  collections: 'Collections',
  newCollection: 'New collection…',
  addToCollection: 'Add to collection…',
  addedToCollection: 'Added {n} to “{name}”.',
  clearSelection: 'Clear selection',
  deleteArticles: 'Delete',
  deletedCount: 'Deleted {n} articles',
  deletedCountOne: 'Deleted 1 article',
  viewCleaned: 'Cleaned',
  viewOriginal: 'Original',
  showRemoved: 'Show removed',
  readerMode: 'Reader view',
  noOriginal: 'The original file is not available as text.',
  removedBlocks: 'Removed by the cleaner',
  noRemoved: 'The cleaner removed nothing.',
  importProblems: 'Import problems',
  noImportProblems: 'No import problems.',
  readingWidth: 'Reading width',
  narrower: 'Narrower column',
  wider: 'Wider column',
  highlight: 'Highlight',
  highlightWith: 'Highlight in {color} ({key})',
  colorYellow: 'yellow',
  colorGreen: 'green',
  colorBlue: 'blue',
  colorPink: 'pink',
  colorPurple: 'purple',
  highlights: 'Highlights ({n})',
  noHighlights: 'Select text to highlight it; keys 1–5 pick a colour.',
  note: 'Note',
  notePlaceholder: 'Add a note…',
  save: 'Save',
  delete: 'Delete',
  highlightDeleted: 'Highlight deleted.',
  undo: 'Undo',
  needsReview: 'Needs review: the text changed',
  editHighlight: 'Edit highlight',
  views: 'Views',
  viewAll: 'All',
  viewUnread: 'Unread',
  viewStarred: 'Starred',
  viewAnnotated: 'Annotated',
  viewRecent: 'Recently imported',
  sources: 'Sources',
  tags: 'Tags',
  searchResults: 'Search results',
  searchHits: '{n} hits',
  exportAction: 'Export…',
  exportTitle: 'Export “{name}”',
  exportNeedsCollection: 'Gather articles into a collection first, then export it as a briefing.',
  exportFormat: 'Format',
  exportPath: 'Save to (absolute path)',
  exportRun: 'Export',
  exporting: 'Exporting…',
  exportDone: 'Exported {n} articles to {path}',
  exportFailed: 'Export failed: {message}',
  exportPathAbsolute: 'Enter an absolute path.',
  exportChoose: 'Choose…',
  exportChooseFile: 'Choose where to save the export',
  exportChooseFolder: 'Choose a folder for the Markdown files',
  showAll: 'Show all {n}',
  showFewer: 'Show fewer',
  categoryMenu: 'Actions for “{name}”',
  renameCategory: 'Rename…',
  renameCategoryLabel: 'New name for “{name}”',
  mergeCategory: 'Merge into…',
  deleteCategory: 'Delete category',
  mergeTitle: 'Merge “{name}” into',
  mergeChoose: 'Choose a category…',
  mergeButton: 'Merge',
  categoryDeleted: 'Deleted category “{name}”',
  categoryMerged: 'Merged “{name}” into “{target}”.',
  collectionsMenu: 'Collection actions',
  collectionMenu: 'Actions for collection “{name}”',
  renameCollection: 'Rename…',
  renameCollectionLabel: 'New name for collection “{name}”',
  exportCollection: 'Export…',
  deleteCollection: 'Delete collection',
  collectionDeleted: 'Deleted collection “{name}”',
  tagAction: 'Tag…',
  tagTitle: 'Tag {n} articles',
  tagName: 'Tag name',
  addTag: 'Add tag',
  removeTag: 'Remove tag',
  tagAdded: 'Tagged {n} articles “{tag}”.',
  tagRemoved: 'Removed “{tag}” from {n} articles.',
  tagAddedOne: 'Tagged 1 article “{tag}”.',
  tagRemovedOne: 'Removed “{tag}” from 1 article.',
  itemMenu: 'Actions for “{name}”',
  renameItem: 'Rename…',
  renameItemLabel: 'New name for “{name}”',
  deleteItem: 'Delete',
  tagDeleted: 'Deleted tag “{tag}” from {n} articles',
  tagDeletedOne: 'Deleted tag “{tag}” from 1 article',
  tagMerged: 'Merged tag “{tag}” into “{target}”.',
  libraryDamaged: 'This library is damaged',
  libraryDamagedBody:
    'SQLite found {n} problems in {path}, the first: “{problem}”. Gleaner has opened it read-only, so nothing more is written to it: you can read and export, but not import or edit.',
  libraryDamagedBodyOne:
    'SQLite found a problem in {path}: “{problem}”. Gleaner has opened it read-only, so nothing more is written to it: you can read and export, but not import or edit.',
  libraryBackups: 'Backups it can be restored from, newest first:',
  libraryRestoreHow: 'To restore one, quit Gleaner (and its web preview), then run:',
  libraryNoBackups:
    'No backups were found in {dir}. Quit Gleaner and copy the library file somewhere safe before trying to repair it; “gleaner check” lists the problems.',
  backupSize: '{size} MB'
} as const

export type MessageKey = keyof typeof en
type Dictionary = Record<MessageKey, string>

const zh: Dictionary = {
  appName: '拾穗',
  allArticles: '全部文章',
  categories: '分类',
  articles: '文章',
  reader: '阅读',
  searchPlaceholder: '筛选文章（/）',
  sortLabel: '排序',
  sortDateDesc: '最新优先',
  sortDateAsc: '最早优先',
  sortTitle: '标题',
  sortSource: '来源',
  sortImported: '最近导入',
  articleCount: '{n} 篇文章',
  articleCountOne: '1 篇文章',
  noDate: '无日期',
  unread: '未读',
  starred: '已加星标',
  star: '加星标',
  unstar: '取消星标',
  markRead: '标为已读',
  markUnread: '标为未读',
  loading: '加载中…',
  emptyTitle: '把文章文件拖到这里',
  emptyBody:
    '将新闻剪报（Markdown/Hexo 文章、HTML 网页、纯文本、订阅源、zip 压缩包或整个文件夹）拖到此窗口，拾穗会清理内容并按分类归档。',
  emptyWebBody: '在浏览器预览中，请在下方输入本机文件或文件夹的路径。',
  noMatches: '没有符合筛选条件的文章。',
  selectArticle: '选择一篇文章开始阅读。',
  dropHere: '松开即可导入',
  dropNoPaths: '此窗口无法获取拖入文件的路径，请改用“导入路径…”。',
  importPath: '导入路径…',
  importPathPlaceholder: '/path/to/articles',
  importButton: '导入',
  importing: '正在导入…',
  importProgress: '{done} / {total} 个文件 · 每秒 {rate} 个',
  cancel: '取消',
  close: '关闭',
  importReport: '导入报告',
  importCancelled: '导入已取消',
  reportImported: '已导入',
  reportUpdated: '已更新',
  reportDuplicates: '重复',
  reportUnchanged: '未变化',
  reportFailed: '失败',
  skippedAndFailed: '跳过与失败的文件',
  importError: '导入失败：{message}',
  by: '作者：{author}',
  originalLink: '原文链接',
  originalTitle: '原标题：{title}',
  remoteImagesBlocked: '为保护隐私，已拦截 {n} 张远程图片。',
  remoteImagesBlockedOne: '为保护隐私，已拦截 1 张远程图片。',
  showRemoteImages: '加载图片',
  hideRemoteImages: '拦截远程图片',
  remoteImagesOn: '远程图片已开启',
  language: '语言',
  resizePane: '调整窗格宽度',
  keyboardHelp: 'j/k 移动 · Enter 打开 · / 筛选 · s 星标 · u 未读 · x 勾选 · Shift+j/k 连选',
  expand: '展开',
  collapse: '折叠',
  fontSize: '字号',
  smaller: '缩小字号',
  larger: '放大字号',
  error: '出错了：{message}',
  selectedCount: '已选 {n} 篇',
  collections: '专题',
  newCollection: '新建专题…',
  addToCollection: '加入专题…',
  addedToCollection: '已将 {n} 篇加入“{name}”。',
  clearSelection: '取消选择',
  deleteArticles: '删除',
  deletedCount: '已删除 {n} 篇文章',
  deletedCountOne: '已删除 1 篇文章',
  viewCleaned: '清理后',
  viewOriginal: '原文',
  showRemoved: '显示删除内容',
  readerMode: '阅读视图',
  noOriginal: '原始文件不是文本，无法显示。',
  removedBlocks: '清理时删除的内容',
  noRemoved: '清理时没有删除任何内容。',
  importProblems: '导入问题',
  noImportProblems: '没有导入问题。',
  readingWidth: '版心宽度',
  narrower: '收窄版心',
  wider: '加宽版心',
  highlight: '高亮',
  highlightWith: '用{color}高亮（{key}）',
  colorYellow: '黄色',
  colorGreen: '绿色',
  colorBlue: '蓝色',
  colorPink: '粉色',
  colorPurple: '紫色',
  highlights: '高亮（{n}）',
  noHighlights: '选中文字即可高亮；按 1–5 选择颜色。',
  note: '批注',
  notePlaceholder: '添加批注…',
  save: '保存',
  delete: '删除',
  highlightDeleted: '已删除高亮。',
  undo: '撤销',
  needsReview: '需复核：原文已变化',
  editHighlight: '编辑高亮',
  views: '视图',
  viewAll: '全部',
  viewUnread: '未读',
  viewStarred: '星标',
  viewAnnotated: '有批注',
  viewRecent: '最近导入',
  sources: '来源',
  tags: '标签',
  searchResults: '搜索结果',
  searchHits: '{n} 条结果',
  exportAction: '导出…',
  exportTitle: '导出“{name}”',
  exportNeedsCollection: '请先把文章收入一个合集，再将其导出为简报。',
  exportFormat: '格式',
  exportPath: '保存到（绝对路径）',
  exportRun: '导出',
  exporting: '正在导出…',
  exportDone: '已导出 {n} 篇文章到 {path}',
  exportFailed: '导出失败：{message}',
  exportPathAbsolute: '请输入绝对路径。',
  exportChoose: '选择…',
  exportChooseFile: '选择导出文件的保存位置',
  exportChooseFolder: '选择存放 Markdown 文件的文件夹',
  showAll: '显示全部 {n} 项',
  showFewer: '收起',
  categoryMenu: '“{name}”的操作',
  renameCategory: '重命名…',
  renameCategoryLabel: '“{name}”的新名称',
  mergeCategory: '合并到…',
  deleteCategory: '删除分类',
  mergeTitle: '将“{name}”合并到',
  mergeChoose: '选择分类…',
  mergeButton: '合并',
  categoryDeleted: '已删除分类“{name}”',
  categoryMerged: '已将“{name}”合并到“{target}”。',
  collectionsMenu: '专题操作',
  collectionMenu: '专题“{name}”的操作',
  renameCollection: '重命名…',
  renameCollectionLabel: '专题“{name}”的新名称',
  exportCollection: '导出…',
  deleteCollection: '删除专题',
  collectionDeleted: '已删除专题“{name}”',
  tagAction: '标签…',
  tagTitle: '为 {n} 篇文章加标签',
  tagName: '标签名',
  addTag: '添加标签',
  removeTag: '移除标签',
  tagAdded: '已为 {n} 篇文章添加标签“{tag}”。',
  tagRemoved: '已从 {n} 篇文章移除标签“{tag}”。',
  tagAddedOne: '已为 1 篇文章添加标签“{tag}”。',
  tagRemovedOne: '已从 1 篇文章移除标签“{tag}”。',
  itemMenu: '“{name}”的操作',
  renameItem: '重命名…',
  renameItemLabel: '“{name}”的新名称',
  deleteItem: '删除',
  tagDeleted: '已从 {n} 篇文章删除标签“{tag}”',
  tagDeletedOne: '已从 1 篇文章删除标签“{tag}”',
  tagMerged: '已将标签“{tag}”合并到“{target}”。',
  libraryDamaged: '资料库已损坏',
  libraryDamagedBody:
    'SQLite 在 {path} 中发现 {n} 处问题，第一处：“{problem}”。Gleaner 已以只读方式打开它，不会再向其中写入：仍可阅读和导出，但不能导入或编辑。',
  libraryDamagedBodyOne:
    'SQLite 在 {path} 中发现一处问题：“{problem}”。Gleaner 已以只读方式打开它，不会再向其中写入：仍可阅读和导出，但不能导入或编辑。',
  libraryBackups: '可用于恢复的备份（最新的在前）：',
  libraryRestoreHow: '要恢复其中一个，请退出 Gleaner（及其网页预览），然后运行：',
  libraryNoBackups:
    '在 {dir} 中没有找到备份。请先退出 Gleaner，把资料库文件复制到安全的地方，再尝试修复；“gleaner check”会列出问题。',
  backupSize: '{size} MB'
}

export type { Locale }
export { localeFor }
const dictionaries: Record<Locale, Dictionary> = { zh, en }
const STORAGE_KEY = 'gleaner.locale'

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (saved === 'zh' || saved === 'en') return saved
  } catch {
    // localStorage can be unavailable (opaque origins); fall back to the browser language.
  }
  return localeFor(typeof navigator === 'undefined' ? undefined : navigator.language)
}

class I18n {
  locale: Locale = $state(initialLocale())

  set(locale: Locale): void {
    this.locale = locale
    try {
      localStorage.setItem(STORAGE_KEY, locale)
    } catch {
      // Not persisted; the choice still holds for this session.
    }
    if (typeof document !== 'undefined') document.documentElement.lang = htmlLang(locale)
  }

  t = (key: MessageKey, params?: Record<string, string | number>): string => {
    let text: string = dictionaries[this.locale][key]
    if (params) {
      for (const [name, value] of Object.entries(params))
        text = text.replaceAll(`{${name}}`, String(value))
    }
    return text
  }

  /** Dates shown in the list and reader; the browser's formatter handles both languages. */
  /**
   * Local date and time as YYYY-MM-DD HH:mm in both languages (the form analysts sort and cite
   * by). Built from Date's own fields, not Intl.DateTimeFormat: a window's first formatter
   * loads ICU locale data, measured at ~95 ms of the cold start before the first rows paint.
   */
  formatDate = (iso: string | null): string => {
    if (!iso) return this.t('noDate')
    const date = new Date(iso)
    if (Number.isNaN(date.getTime())) return this.t('noDate')
    const two = (n: number): string => String(n).padStart(2, '0')
    return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`
  }
}

export function htmlLang(locale: Locale): string {
  return locale === 'zh' ? 'zh-CN' : 'en'
}

export const i18n = new I18n()
export const t = i18n.t
