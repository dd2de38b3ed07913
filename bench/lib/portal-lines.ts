// Outlets that republish wire and feed stories, each with the head and tail lines its pages
// really carry around a reprint (the copy-set generator wraps variants in them). `{origin}` is
// the outlet the reprint credits, `{editor}` an editor's name, `{title}` the source's title.
// Taiwan and Hong Kong outlets write their lines in Traditional and get Traditional variants.

export interface Portal {
  name: string
  /** Its site's category path in the Hexo front matter. */
  category: string[]
  script: 'simplified' | 'traditional'
  head: string[]
  tail: string[]
}

export const PORTALS: readonly Portal[] = [
  {
    name: '网易新闻',
    category: ['新闻', '网易新闻', '国内'],
    script: 'simplified',
    head: ['来源：{origin}'],
    tail: ['本文来源：{origin}', '责任编辑：{editor}_NN1234']
  },
  {
    name: '搜狐',
    category: ['新闻', '搜狐', '财经'],
    script: 'simplified',
    head: ['原标题：{title}'],
    tail: ['返回搜狐，查看更多', '责任编辑：{editor}']
  },
  {
    name: '腾讯新闻',
    category: ['新闻', '腾讯新闻', '要闻'],
    script: 'simplified',
    head: ['点击进入专题：聚焦热点', '来源：{origin}'],
    tail: ['关注我们，获取更多资讯', '（责任编辑：{editor}）']
  },
  {
    name: '凤凰网',
    category: ['新闻', '凤凰网', '资讯'],
    script: 'simplified',
    head: ['凤凰网讯 据{origin}报道'],
    tail: ['关注凤凰网资讯，看更多精彩内容', '编辑：{editor}']
  },
  {
    name: '东方财富网',
    category: ['财经', '东方财富网', '要闻'],
    script: 'simplified',
    head: [],
    tail: ['（文章来源：{origin}）', '（原标题：{title}）', '（责任编辑：{editor}）']
  },
  {
    name: '澎湃新闻',
    category: ['新闻', '澎湃新闻', '时事'],
    script: 'simplified',
    head: ['澎湃新闻记者 {editor}'],
    tail: ['（本文来自澎湃新闻，更多原创资讯请下载“澎湃新闻”APP）']
  },
  {
    name: '中华网',
    category: ['新闻', '中华网', '社会'],
    script: 'simplified',
    head: ['来源：{origin}', '点击进入专题'],
    tail: ['声明：本文转载自{origin}，不代表本网观点，如有侵权请联系删除。', '责任编辑：{editor}']
  },
  {
    name: '环球网',
    category: ['新闻', '环球网', '国际'],
    script: 'simplified',
    head: ['【环球网报道】'],
    tail: ['扫描二维码，关注环球网微信公众号', '责任编辑：{editor}']
  },
  {
    name: '光明网',
    category: ['新闻', '光明网', '时评'],
    script: 'simplified',
    head: ['来源：{origin}  作者：{editor}'],
    tail: ['[ 责编：{editor} ]']
  },
  {
    name: '中国新闻网',
    category: ['新闻', '中国新闻网', '财经'],
    script: 'simplified',
    head: ['中新网客户端讯'],
    tail: ['（完）', '【编辑：{editor}】']
  },
  {
    name: '每日经济新闻',
    category: ['财经', '每日经济新闻', '公司'],
    script: 'simplified',
    head: ['每经编辑：{editor}'],
    tail: ['封面图片来源：摄图网', '每日经济新闻', '关注我们 每经网']
  },
  {
    name: '界面新闻',
    category: ['财经', '界面新闻', '快讯'],
    script: 'simplified',
    head: ['界面新闻记者 | {editor}', '界面新闻编辑 | {editor}'],
    tail: ['更多内容请下载界面新闻APP']
  },
  {
    name: '中时新闻网',
    category: ['新聞', '中時新聞網', '兩岸'],
    script: 'traditional',
    head: ['中時新聞網 綜合報導'],
    tail: ['※本文轉載自{origin}', '（責任編輯：{editor}）']
  },
  {
    name: '联合新闻网',
    category: ['新聞', '聯合新聞網', '全球'],
    script: 'traditional',
    head: ['聯合新聞網／綜合報導'],
    tail: ['延伸閱讀', '訂閱聯合新聞網，看更多獨家新聞', '編輯：{editor}']
  },
  {
    name: '香港01',
    category: ['新聞', '香港01', '中國'],
    script: 'traditional',
    head: ['【香港01】'],
    tail: ['下載香港01 App，即睇更多新聞', '責任編輯：{editor}']
  },
  {
    name: '星岛日报',
    category: ['新聞', '星島日報', '即時'],
    script: 'traditional',
    head: ['星島日報報道'],
    tail: ['（來源：{origin}）', '關注我們 星島頭條']
  }
]

/** For sources in English: the same kinds of lines as English-language portals write them. */
export const ENGLISH_PORTALS: readonly Portal[] = [
  {
    name: 'Yahoo News',
    category: ['News', 'Yahoo News', 'Tech'],
    script: 'simplified',
    head: ['Source: {origin}'],
    tail: ['Editor: {editor}', 'Follow us on Twitter for more stories.']
  },
  {
    name: 'MSN',
    category: ['News', 'MSN', 'Technology'],
    script: 'simplified',
    head: ['Originally published by {origin}'],
    tail: ['Read the original article on {origin}.', 'Edited by {editor}']
  },
  {
    name: 'Flipboard',
    category: ['News', 'Flipboard', 'Reads'],
    script: 'simplified',
    head: ['This story first appeared on {origin}.'],
    tail: ['Subscribe to our newsletter for more.', 'Editing by {editor}']
  }
]

export const EDITORS = [
  '王小明',
  '李静',
  '张伟',
  '刘洋',
  '陈晨',
  '杨帆',
  '赵磊',
  '周婷',
  '孙悦',
  '吴昊'
]
export const ENGLISH_EDITORS = ['Jane Doe', 'Mark Li', 'Sara Chen', 'Tom Wright']

/** An editor's line a reprint adds inside the text (not the portal's frame). */
export const EDITOR_LINES = [
  '（编辑：{editor}）',
  '（记者 {editor}）',
  '编辑 / {editor}  校对 / {editor}',
  '（实习生 {editor} 对本文亦有贡献）',
  '文｜{editor}'
]
export const ENGLISH_EDITOR_LINES = ['(Reporting by {editor})', 'Additional reporting by {editor}']

/** How portals rewrite a headline. */
export const TITLE_REWRITES: readonly ((t: string) => string)[] = [
  (t) => `快讯｜${t}`,
  (t) => `【热点】${t}`,
  (t) => `${t}！`,
  (t) => `原创｜${t}`,
  (t) => `${t}_新闻频道`,
  (t) => `重磅！${t.replace(/[？?！!。]$/u, '')}`,
  (t) => (t.includes('：') ? t.split('：').reverse().join('：') : `独家：${t}`)
]
export const ENGLISH_TITLE_REWRITES: readonly ((t: string) => string)[] = [
  (t) => `${t} | Report`,
  (t) => `BREAKING: ${t}`,
  (t) => `Analysis: ${t}`
]

export function fill(line: string, v: { origin: string; editor: string; title: string }): string {
  return line
    .replaceAll('{origin}', v.origin)
    .replaceAll('{editor}', v.editor)
    .replaceAll('{title}', v.title)
}
