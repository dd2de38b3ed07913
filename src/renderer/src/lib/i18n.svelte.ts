// UI strings in 简体中文 and English. A plain dictionary keeps translations reviewable
// side by side; the locale is reactive so switching re-renders every string at once.

import { errorData } from '../../../shared/errors'
import { localeFor, type Locale } from '../../../shared/first-paint'

const en = {
  appName: 'Gleaner',
  allArticles: 'All articles',
  categories: 'Categories',
  articles: 'Articles',
  reader: 'Reader',
  searchPlaceholder: 'Search  ( / )',
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
  exportPathExample: 'e.g. /path/to/folder/{name}',
  exportReplaceQuestion: '“{path}” already exists. Replace it?',
  exportReplaceFolderQuestion:
    'The folder “{path}” already holds files. Export into it, replacing files of the same names?',
  exportReplace: 'Replace',
  exportWrongExtension: 'A {format} export must end in {expected}.',
  exportWrongExtensionMarkdown: 'A Markdown export goes to a folder, or a file ending in .md.',
  exportIsFolder: '“{path}” is a folder: add a file name.',
  exportNotFolder: '“{path}” is a file, not a folder.',
  exportWriteFailed: 'Could not write “{path}” ({reason}). Nothing was replaced.',
  exportNothing: 'Nothing to export: the collection is empty.',
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
  collectionsMenu: 'Collection actions',
  collectionMenu: 'Actions for collection “{name}”',
  renameCollection: 'Rename…',
  renameCollectionLabel: 'New name for collection “{name}”',
  exportCollection: 'Export…',
  deleteCollection: 'Delete collection',
  tagAction: 'Tag…',
  tagTitle: 'Tag {n} articles',
  tagName: 'Tag name',
  addTag: 'Add tag',
  removeTag: 'Remove tag',
  itemMenu: 'Actions for “{name}”',
  renameItem: 'Rename…',
  renameItemLabel: 'New name for “{name}”',
  deleteItem: 'Delete',
  searchLabel: 'Search',
  sortRelevance: 'Best match',
  sortPosition: 'Collection order',
  searchHitsOne: '1 hit',
  scopeIn: 'in: {name}',
  clearScope: 'Search the whole library',
  searchHelp: 'Search syntax',
  syntaxWords: 'articles with every word (Chinese is split into words; 上海 finds 上海市)',
  syntaxPhrase: 'the exact phrase',
  syntaxExclude: 'without this word',
  syntaxOr: 'either word',
  syntaxTitle: 'in the title only',
  syntaxAuthor: 'by author or source',
  syntaxFilters: 'in a category (and below), with a tag, in a collection',
  syntaxDates: 'published on or after / before a date',
  syntaxFlags: 'unread, starred, highlighted or noted',
  noHits: 'No articles match “{query}”.',
  noHitsScoped:
    'No articles in {scope} match “{query}”. Clear the scope to search the whole library.',
  newCollectionFromPicks: 'New collection…',
  collectionName: 'Name of the new collection',
  createAndAdd: 'Create and add',
  removeFromCollection: 'Remove from collection',
  deleteFromLibrary: 'Delete from library',
  pickAll: 'Pick all {n}',
  itemNote: 'Note in this collection',
  itemNoteFor: 'Note on “{title}” in this collection',
  itemNotePlaceholder: 'What this article adds to the briefing…',
  redo: 'Redo',
  cmdFind: 'Search',
  cmdNext: 'Next article',
  cmdPrevious: 'Previous article',
  cmdExtendDown: 'Pick the next one too',
  cmdExtendUp: 'Pick the previous one too',
  cmdTogglePick: 'Pick or unpick',
  cmdSelectAll: 'Pick all in the list',
  cmdOpen: 'Open',
  cmdToggleStar: 'Star or unstar',
  cmdToggleRead: 'Read or unread',
  cmdDelete: 'Delete from library',
  cmdMoveUp: 'Move up in the collection',
  cmdMoveDown: 'Move down in the collection',
  cmdItemNote: 'Note on this item',
  cmdToggleOriginal: 'Cleaned or original',
  cmdTextReset: 'Actual text size',
  cmdShowKeys: 'Keyboard shortcuts',
  keysTitle: 'Keyboard shortcuts'
} as const

export type MessageKey = keyof typeof en
type Dictionary = Record<MessageKey, string>

const zh: Dictionary = {
  appName: '拾穗',
  allArticles: '全部文章',
  categories: '分类',
  articles: '文章',
  reader: '阅读',
  searchPlaceholder: '搜索（/）',
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
  exportNeedsCollection: '请先把文章收入一个专题，再将其导出为简报。',
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
  exportPathExample: '例如 /路径/文件夹/{name}',
  exportReplaceQuestion: '“{path}”已存在。要替换吗？',
  exportReplaceFolderQuestion: '文件夹“{path}”中已有文件。仍导出到此处并替换同名文件吗？',
  exportReplace: '替换',
  exportWrongExtension: '{format} 导出的文件名须以 {expected} 结尾。',
  exportWrongExtensionMarkdown: 'Markdown 导出须保存到文件夹，或以 .md 结尾的文件。',
  exportIsFolder: '“{path}”是文件夹：请加上文件名。',
  exportNotFolder: '“{path}”是文件，不是文件夹。',
  exportWriteFailed: '无法写入“{path}”（{reason}），原有文件未被替换。',
  exportNothing: '没有可导出的内容：专题为空。',
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
  collectionsMenu: '专题操作',
  collectionMenu: '专题“{name}”的操作',
  renameCollection: '重命名…',
  renameCollectionLabel: '专题“{name}”的新名称',
  exportCollection: '导出…',
  deleteCollection: '删除专题',
  tagAction: '标签…',
  tagTitle: '为 {n} 篇文章加标签',
  tagName: '标签名',
  addTag: '添加标签',
  removeTag: '移除标签',
  itemMenu: '“{name}”的操作',
  renameItem: '重命名…',
  renameItemLabel: '“{name}”的新名称',
  deleteItem: '删除',
  searchLabel: '搜索',
  sortRelevance: '相关度',
  sortPosition: '专题顺序',
  searchHitsOne: '1 条结果',
  scopeIn: '范围：{name}',
  clearScope: '改为搜索整个资料库',
  searchHelp: '搜索语法',
  syntaxWords: '包含所有词的文章（中文会自动分词，“上海”可找到“上海市”）',
  syntaxPhrase: '精确短语',
  syntaxExclude: '不含该词',
  syntaxOr: '任一词',
  syntaxTitle: '只在标题中',
  syntaxAuthor: '按作者或来源',
  syntaxFilters: '在某分类（含子分类）、带某标签、在某专题中',
  syntaxDates: '发布日期在某日之后 / 之前',
  syntaxFlags: '未读、已加星标、有高亮或批注',
  noHits: '没有文章匹配“{query}”。',
  noHitsScoped: '{scope}中没有文章匹配“{query}”。清除范围可搜索整个资料库。',
  newCollectionFromPicks: '新建专题…',
  collectionName: '新专题的名称',
  createAndAdd: '创建并加入',
  removeFromCollection: '移出专题',
  deleteFromLibrary: '从资料库删除',
  pickAll: '全选 {n} 篇',
  itemNote: '专题备注',
  itemNoteFor: '“{title}”在本专题中的备注',
  itemNotePlaceholder: '这篇文章对简报的意义…',
  redo: '重做',
  cmdFind: '搜索',
  cmdNext: '下一篇',
  cmdPrevious: '上一篇',
  cmdExtendDown: '连同下一篇一起选中',
  cmdExtendUp: '连同上一篇一起选中',
  cmdTogglePick: '选中 / 取消选中',
  cmdSelectAll: '全选列表',
  cmdOpen: '打开',
  cmdToggleStar: '加星 / 取消星标',
  cmdToggleRead: '已读 / 未读',
  cmdDelete: '从资料库删除',
  cmdMoveUp: '在专题中上移',
  cmdMoveDown: '在专题中下移',
  cmdItemNote: '编辑条目备注',
  cmdToggleOriginal: '清理后 / 原文',
  cmdTextReset: '默认字号',
  cmdShowKeys: '键盘快捷键',
  keysTitle: '键盘快捷键'
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

/**
 * Errors by their code (errors.ts), in both languages; {name}-style values come from the
 * error's params. An error without a sentence here shows the core's English message.
 */
const ERRORS: Record<string, [en: string, zh: string]> = {
  'duplicate-name': ['That name is taken already.', '这个名称已被使用。'],
  'invalid-name': [
    'That name cannot be used: {reason}',
    '不能使用这个名称（名称不能为空、不能含控制字符，最长 200 字）。'
  ],
  'not-found': [
    'It no longer exists (perhaps another window deleted it).',
    '它已不存在（可能已在其他窗口中删除）。'
  ],
  'no-article': ['That article is no longer in the library.', '这篇文章已不在资料库中。'],
  'no-annotation': ['That highlight no longer exists.', '这条高亮已不存在。'],
  'unknown-article': [
    'Some of these articles are no longer in the library.',
    '其中有文章已不在资料库中。'
  ],
  'smart-collection': [
    'This is a smart collection: its articles come from its search and cannot be added or moved by hand.',
    '这是智能专题：其文章来自保存的搜索，不能手动添加或移动。'
  ],
  'not-in-collection': ['That article is not in this collection.', '这篇文章不在本专题中。'],
  'invalid-merge': [
    'A category cannot be merged into itself or into one inside it.',
    '分类不能合并到自身或其子分类中。'
  ],
  'invalid-range': ['Select some text of the article first.', '请先选中文章中的一段文字。'],
  'undo-failed': ['Could not undo: {reason}', '无法撤销：{reason}'],
  'redo-failed': ['Could not redo: {reason}', '无法重做：{reason}'],
  'query-invalid': ['The search could not be understood: {message}', '无法理解这个搜索：{message}'],
  'file-exists': ['{path} exists already.', '{path} 已存在。'],
  'wrong-extension': [
    'The file name must end in {expected} for this format.',
    '此格式的文件名须以 {expected} 结尾。'
  ],
  'library-corrupt': [
    'The library file is damaged; it is open read-only.',
    '资料库文件已损坏，已以只读方式打开。'
  ],
  'library-in-use': ['Another program is using the library.', '另一个程序正在使用资料库。'],
  'invalid-arguments': ['The request was refused: {message}', '请求被拒绝：{message}'],
  unexpected: ['Something went wrong: {message}', '出错了：{message}']
}

/** An error as the user reads it: by its code in the window's language, else its message. */
export function errorText(err: unknown): string {
  const data = errorData(err)
  const pair = ERRORS[data.code]
  if (!pair) return t('error', { message: data.message })
  const template = i18n.locale === 'zh' ? pair[1] : pair[0]
  // An undo that failed names why by the code of the error behind it (params.cause).
  const cause = typeof data.params.cause === 'string' ? ERRORS[data.params.cause] : undefined
  const reason = cause ? (i18n.locale === 'zh' ? cause[1] : cause[0]) : data.message
  const values: Record<string, string | number> = {
    message: data.message,
    ...data.params,
    reason
  }
  return template.replace(/\{(\w+)\}/gu, (m, k: string) => String(values[k] ?? m))
}

export function htmlLang(locale: Locale): string {
  return locale === 'zh' ? 'zh-CN' : 'en'
}

export const i18n = new I18n()
export const t = i18n.t
