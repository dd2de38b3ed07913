// Errors as the user reads them: by their code (shared/errors.ts) in the window's language,
// with the values the error names; an error without a sentence here shows the core's English.
import { errorData } from '../../../shared/errors'
import { i18n, t } from './i18n.svelte'
import { searchErrorText } from './searchErrors'

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
  'articles-purged': [
    '{count} of these articles were removed for good when the trash was emptied; they cannot come back.',
    '其中 {count} 篇文章已在清空回收站时永久删除，无法恢复。'
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
  'invalid-setting': [
    'Backup setting: {what}.',
    '备份设置无效：间隔须为 1 到 8784 小时，保留份数须为 1 到 1000 的整数。'
  ],
  'invalid-arguments': ['The request was refused: {message}', '请求被拒绝：{message}'],
  'path-not-granted': [
    'Gleaner may only use files you dropped on the window or picked in a dialog: use Choose….',
    '拾穗只能使用拖到窗口中或在对话框中选择的文件：请点“选择…”。'
  ],
  'path-outside-preview': [
    'The browser preview may only use files inside the folders it was started with (--allow).',
    '浏览器预览只能使用启动时允许的文件夹（--allow）中的文件。'
  ],
  'library-newer': [
    'This library was written by a newer Gleaner; update Gleaner to open it.',
    '这个资料库由更新版本的拾穗写入，请升级拾穗后再打开。'
  ],
  'feed-exists': ['You are subscribed to {url} already.', '已经订阅了 {url}。'],
  'feed-url-invalid': [
    'Not a feed address: it must start with http:// or https:// and carry no password.',
    '不是订阅地址：须以 http:// 或 https:// 开头，且不能带密码。'
  ],
  'feed-not-found': [
    'That feed is no longer subscribed (perhaps another window removed it).',
    '该订阅源已不存在（可能已在其他窗口中移除）。'
  ],
  'feed-interval-invalid': [
    'A feed is polled every 5 minutes to once a week.',
    '订阅源的获取间隔须在 5 分钟到 1 周之间。'
  ],
  'opml-invalid': [
    'This file is not an OPML list of feeds ({message}).',
    '这个文件不是 OPML 订阅源列表。'
  ],
  'clipper-endpoint-off': [
    'The browser clipper’s address is not open (another Gleaner may hold its port); pairing needs it.',
    '浏览器剪藏的地址没有打开（可能另一个拾穗占用了端口），无法配对。'
  ],
  'no-clipper-client': ['That browser is not paired any more.', '该浏览器已不再配对。'],
  'team-not-joined': [
    'This library is personal, not the copy of a team library.',
    '这个资料库是个人资料库，不是团队文库的副本。'
  ],
  'team-auth-failed': [
    'The server {server} refused the login of {user}: wrong or missing password, or the role may not log in.',
    '服务器 {server} 拒绝了 {user} 的登录：密码错误或未提供，或该角色不能登录。'
  ],
  'team-not-found': [
    'There is no team library {name} on {server}.',
    '服务器 {server} 上没有名为 {name} 的团队文库。'
  ],
  'team-database-not-found': [
    'The database in {server} does not exist.',
    '{server} 中的数据库不存在。'
  ],
  'team-unreachable': [
    'The server {server} cannot be reached; edits wait here until it can.',
    '无法连接服务器 {server}；修改会保留在本机，待连上后再同步。'
  ],
  'team-timeout': ['The server {server} took too long to answer.', '服务器 {server} 响应超时。'],
  'team-tls-required': [
    'The server {server} requires an encrypted (TLS) connection.',
    '服务器 {server} 要求加密（TLS）连接。'
  ],
  'team-permission-denied': [
    '{user} may not do this in team library {name}.',
    '{user} 在团队文库 {name} 中没有这项权限。'
  ],
  'team-tls-untrusted': [
    'The certificate of {server} is not trusted: {reason}',
    '服务器 {server} 的证书不受信任：{reason}'
  ],
  'team-url-invalid': [
    'The team library’s server address cannot be used: {reason}',
    '团队文库的服务器地址无法使用：{reason}'
  ],
  'team-schema-unsupported': [
    'Team library {name} on {server} was made by a newer Gleaner; update Gleaner to sync it.',
    '服务器 {server} 上的团队文库 {name} 由更新版本的拾穗创建；请更新拾穗后再同步。'
  ],
  'team-server-error': [
    'The server {server} reported an error: {reason}',
    '服务器 {server} 报告了错误：{reason}'
  ],
  'team-original-too-large': [
    'An article’s original file is too large to share ({size} bytes; at most {max}).',
    '有文章的原始文件太大，无法共享（{size} 字节；上限 {max}）。'
  ],
  'team-original-invalid': [
    'An article’s original file from the team was damaged in transit and was skipped.',
    '从团队收到的一份原始文件在传输中损坏，已跳过。'
  ],
  'team-write-invalid': [
    'The server refused an edit as malformed: {reason}',
    '服务器以格式错误为由拒绝了一项修改：{reason}'
  ],
  'team-fields-skipped': [
    '{count} edits from the team could not be applied here (the first: {first}); the rest arrived.',
    '团队的 {count} 项修改无法在本机应用（第一项：{first}）；其余修改已同步。'
  ],
  'keychain-unavailable': [
    'The system keychain cannot be used, so the password is not saved.',
    '无法使用系统钥匙串，密码未保存。'
  ],
  'keychain-damaged': [
    'The saved passwords file {path} cannot be read.',
    '无法读取保存密码的文件 {path}。'
  ],
  unexpected: ['Something went wrong: {message}', '出错了：{message}']
}

/** An error as the user reads it: by its code in the window's language, else its message. */
export function errorText(err: unknown): string {
  return errorSentence(err) ?? t('error', { message: errorData(err).message })
}

/** The error's own sentence in the window's language, or null when its code has none here. */
export function errorSentence(err: unknown): string | null {
  const data = errorData(err)
  // Refused searches have their own sentences, naming the values the core found.
  if (data.code.startsWith('query-') || data.code === 'search-too-many-hits')
    return searchErrorText(data)
  const pair = ERRORS[data.code]
  if (!pair) return null
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
