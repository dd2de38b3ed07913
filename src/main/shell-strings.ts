// The Electron shell's own words, in English and 简体中文: the application menu and the native
// dialogs the shell opens (Import, Re-clean, the export panel's Choose…). The shell starts in
// the OS language (localeOf([app.getLocale()]), the renderer's rule) and follows the window's
// language switch (GleanerBridge.setShellLanguage). Imports nothing from 'electron'.
import type { Locale } from '../shared/first-paint'

/** The app's name as the OS shows it (app.setName), in both languages. */
const APP = 'Gleaner'

const en = {
  // Menu titles. "&" marks the Windows/Linux mnemonic; Chinese puts it in "(&F)", which
  // macOS strips along with the "&".
  fileMenu: '&File',
  editMenu: '&Edit',
  articleMenu: '&Article',
  viewMenu: '&View',
  windowMenu: '&Window',
  // The app menu (macOS only).
  about: `About ${APP}`,
  services: 'Services',
  hide: `Hide ${APP}`,
  hideOthers: 'Hide Others',
  unhide: 'Show All',
  quitApp: `Quit ${APP}`,
  // File
  import: 'Import…',
  openLibrary: 'Open Library…',
  openRecent: 'Open Recent Library',
  openRecentNone: 'No Other Library Yet',
  export: 'Export…',
  reclean: 'Re-clean Articles…',
  closeWindow: 'Close Window',
  quit: 'Quit',
  exit: 'Exit',
  // Edit
  undo: 'Undo',
  redo: 'Redo',
  cut: 'Cut',
  copy: 'Copy',
  paste: 'Paste',
  selectAll: 'Select All',
  find: 'Find',
  // Article
  nextArticle: 'Next',
  previousArticle: 'Previous',
  openArticle: 'Open',
  toggleRead: 'Mark Read/Unread',
  toggleStar: 'Star/Unstar',
  deleteArticles: 'Delete',
  // View
  toggleOriginal: 'Original / Cleaned Text',
  textLarger: 'Larger Text',
  textSmaller: 'Smaller Text',
  textReset: 'Default Text Size',
  toggleFullScreen: 'Toggle Full Screen',
  toggleDevTools: 'Toggle Developer Tools',
  // Window
  minimize: 'Minimize',
  zoom: 'Zoom',
  close: 'Close',
  front: 'Bring All to Front',
  // Dialogs
  importTitle: 'Import articles',
  openLibraryTitle: 'Open or create a library file',
  exportFolderTitle: 'Export into folder',
  exportFolderButton: 'Export Here',
  exportFileTitle: 'Export'
}

export type ShellStringKey = keyof typeof en
export type ShellStrings = Readonly<Record<ShellStringKey, string>>

// The renderer's words where it has them (i18n.svelte.ts: 专题, 星标, 放大字号…).
const zh: ShellStrings = {
  fileMenu: '文件(&F)',
  editMenu: '编辑(&E)',
  articleMenu: '文章(&A)',
  viewMenu: '查看(&V)',
  windowMenu: '窗口(&W)',
  about: `关于 ${APP}`,
  services: '服务',
  hide: `隐藏 ${APP}`,
  hideOthers: '隐藏其他',
  unhide: '全部显示',
  quitApp: `退出 ${APP}`,
  import: '导入…',
  openLibrary: '打开资料库…',
  openRecent: '最近的资料库',
  openRecentNone: '还没有其他资料库',
  export: '导出…',
  reclean: '重新清理文章…',
  closeWindow: '关闭窗口',
  quit: '退出',
  exit: '退出',
  undo: '撤销',
  redo: '重做',
  cut: '剪切',
  copy: '复制',
  paste: '粘贴',
  selectAll: '全选',
  find: '查找',
  nextArticle: '下一篇',
  previousArticle: '上一篇',
  openArticle: '打开',
  toggleRead: '标为已读/未读',
  toggleStar: '加星标/取消星标',
  deleteArticles: '删除',
  toggleOriginal: '原文 / 清理后',
  textLarger: '放大字号',
  textSmaller: '缩小字号',
  textReset: '默认字号',
  toggleFullScreen: '切换全屏',
  toggleDevTools: '切换开发者工具',
  minimize: '最小化',
  zoom: '缩放',
  close: '关闭',
  front: '前置全部窗口',
  importTitle: '导入文章',
  openLibraryTitle: '打开或新建资料库文件',
  exportFolderTitle: '导出到文件夹',
  exportFolderButton: '导出到此处',
  exportFileTitle: '导出'
}

export const SHELL_STRINGS: Readonly<Record<Locale, ShellStrings>> = { en, zh }

export function shellStrings(locale: Locale): ShellStrings {
  return SHELL_STRINGS[locale]
}

/** Checks the language the renderer asks the shell to use (setShellLanguage). */
export function parseShellLocale(raw: unknown): Locale {
  if (raw === 'en' || raw === 'zh') return raw
  throw new Error('setShellLanguage: the locale must be "en" or "zh"')
}
