// What the cleaner removes, as data: rule names (shown to users as "removed by …"), CSS
// selectors, and text patterns (editor and original-title lines: bylines.ts). A later site-rules system extends these lists; the cleaner
// only interprets them. Patterns are general boilerplate, never tied to one corpus file.

export interface SelectorRule {
  name: string
  /** CSS selector (cheerio) of elements removed with their content. */
  selector: string
}

export interface TextBlockRule {
  name: string
  /** Matched against the whole trimmed text of a short block. */
  pattern: RegExp
  /** Blocks longer than this are article text that happens to mention the words: kept. */
  maxLength: number
}

/** Elements that are never article content. */
export const REMOVE_ELEMENT_RULES: SelectorRule[] = [
  { name: 'style', selector: 'style, link[rel="stylesheet"]' },
  { name: 'script', selector: 'script, noscript, template' },
  { name: 'embed', selector: 'iframe, frame, frameset, object, embed, applet, canvas' },
  { name: 'form', selector: 'form, input, button, select, textarea' },
  { name: 'meta', selector: 'meta, link, base, title, head' },
  {
    name: 'media-without-source',
    selector: 'video:not([src]):not(:has(source[src])), audio:not([src]):not(:has(source[src]))'
  },
  {
    name: 'qr-promotion',
    selector: '[class*="appendQr"], [class*="qrcode"], [class*="qr-code"], [id*="qrcode"]'
  }
]

/** Short blocks whose text is an app or account promotion. */
export const PROMOTION_TEXT_RULES: TextBlockRule[] = [
  {
    name: 'app-promotion',
    pattern: /(尽在|下载|打开|登录).{0,12}(APP|App|app|客户端)/,
    maxLength: 120
  },
  {
    // A scan prompt alone may be article content (扫码报名); with an app/account it is an ad.
    name: 'qr-promotion',
    pattern:
      /(扫码|扫一扫|扫描.{0,6}二维码|长按.{0,6}(识别|二维码)|二维码).{0,20}(关注|下载|订阅|APP|App|客户端|公众号)|(关注|下载|订阅).{0,12}(公众号|APP|客户端).{0,12}(扫码|二维码)/,
    maxLength: 80
  }
]

/**
 * Words of a call to action. A promotion match longer than PROMOTION_SHORT must also carry one
 * of these: a sentence that reports something (某市民下载某理财App后被骗) is news, not an ad.
 */
export const CALL_TO_ACTION =
  /更多|精彩|阅读|查看|获取|第一时间|点击|立即|免费|关注|订阅|尽在|独家|全文|海量|资讯|福利|红包|体验|请/
/** A promotion block this short (characters) needs no call-to-action word. */
export const PROMOTION_SHORT = 20

/** Inline wrappers that only carried presentation: replaced by their content. */
export const UNWRAP_SELECTOR = 'font, span, center, o\\:p, big, basefont'

/** Leading indentation stripped at paragraph starts: ideographic space, no-break space, ASCII space. */
export const LEADING_INDENT = /^[\s\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff]+/
