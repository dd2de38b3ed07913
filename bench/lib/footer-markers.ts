// Footer leaks: what a site's footer says, written from what such footers say in general, NOT
// from the cleaner's own patterns (src/core/clean/cleaning-rules.ts, resources/site-rules/*.yaml):
// a metric made of the cleaner's own list would only count what the cleaner already knows to
// remove, and flatter it. A footer sits at the end, so only the last few paragraphs of the
// cleaned text are tested; the same words in the body (an article about copyright) are not one.

export interface FooterMarker {
  name: string
  re: RegExp
}

/** How many trailing paragraphs count as the footer zone. */
export const FOOTER_ZONE_PARAGRAPHS = 3

/** A footer line is short; a longer line that happens to hold these words is prose. */
const MAX_FOOTER_LINE = 300

export const FOOTER_MARKERS: FooterMarker[] = [
  {
    name: 'reprint/copyright',
    re: /转载|轉載|版权|版權|著作权|著作權|all rights reserved|^©|^copyright\b|\bcopyright ©/i
  },
  {
    name: 'image credit',
    re: /(封面|题图|題圖|头图|頭圖|首图|配图|封面图片?)\s*(来源|來源|来自|來自|由|[:：])|图片来源|圖片來源|图源|image (credit|source)|photo credit/i
  },
  {
    name: 'related list',
    re: /^(相关(文章|阅读|閱讀|新闻|新聞|推荐|报道|链接|专题)|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|更多(阅读|精彩|内容|新闻)|热门(文章|推荐)|猜你喜欢|往期(回顾|推荐|精选)|related (articles?|stories|posts|reading|coverage)|you (may|might) also like|more (from|on|stories)\b|recommended for you)/i
  },
  {
    name: 'tip-off call',
    re: /线索(投递|提供|征集|请)|新闻线索|爆料|報料|报料|投稿(邮箱|信箱|请|地址)|\btips?@|send us (a|your) tips?|got a tip/i
  },
  {
    name: 'tags line',
    re: /^(话题标签|標籤|标签|关键词|關鍵詞|关键字|tags?|topics?)\s*[:：]|^(#[^#\s]+#?\s*){2,}$/i
  },
  {
    name: 'editor line',
    re: /^[（(【[]?\s*(责任编辑|責任編輯|每经编辑|编辑|編輯|责编|校对|校對|审核|审校|监制|主编|美编|编审|文字编辑|值班编辑|edited by)\s*[|:：丨｜]/i
  },
  {
    name: 'source/original link',
    re: /^(本文(来自|來自|来源|來源|转自|轉自|首发|首發|系|为|經|经)|原文(链接|鏈接|地址|标题|標題)|文章来源|文章來源|来源\s*[:：]|來源\s*[:：]|source\s*:|originally (published|appeared)|this (article|story|post) (was|first) )/i
  },
  {
    name: 'follow/subscribe call',
    re: /(点击|點擊|扫码|掃碼|扫描|掃描|扫一扫|長按|长按|识别).{0,15}(关注|關注|订阅|訂閱|二维码|二維碼)|关注(我们|我們|公众号|公眾號|微信|微博)|\bfollow us\b|\bsubscribe (to|for)\b|sign up for (our|the)/i
  },
  {
    name: 'app download',
    re: /下载.{0,12}(app|客户端|客戶端)|下載.{0,12}(app|客户端|客戶端)|download (our|the) .{0,20}app\b|get the app\b/i
  },
  {
    name: 'disclaimer',
    re: /免责声明|免責聲明|风险提示|風險提示|不构成(任何)?投资建议|不構成(任何)?投資建議|仅代表作者|僅代表作者|\bdisclaimer\b|not (investment|financial) advice/i
  },
  {
    name: 'read more link',
    re: /^(read more|continue reading|read the full|阅读原文|閱讀原文|查看原文|阅读全文|閱讀全文|查看更多|返回.{0,10}查看更多)/i
  },
  {
    name: 'share prompt',
    re: /^(分享到|分享至|分享给|分享本文|share (this|on|via)\b)/i
  }
]

/** The paragraphs a footer can be in: the last few of the text. */
export function footerZone(text: string): string[] {
  const paras = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
  return paras.slice(-FOOTER_ZONE_PARAGRAPHS)
}

/** The marker a line is a footer line by, or null (a long line is prose, whatever it says). */
export function footerLineMarker(line: string): string | null {
  if (!line || line.length > MAX_FOOTER_LINE) return null
  return FOOTER_MARKERS.find((x) => x.re.test(line))?.name ?? null
}

/** The markers found in the footer zone of a cleaned text, each with the line it was found on. */
export function footerLeaks(text: string): { marker: string; line: string }[] {
  const hits: { marker: string; line: string }[] = []
  for (const para of footerZone(text)) {
    for (const raw of para.split('\n')) {
      const line = raw.trim()
      const marker = footerLineMarker(line)
      if (marker) hits.push({ marker, line })
    }
  }
  return hits
}
