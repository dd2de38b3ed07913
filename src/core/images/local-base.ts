// Where a relative image of an article with no web address points: an <img src="images/a.jpg">
// in a saved page or a Markdown file on disk. The cleaner resolves it against this base (a
// reserved name that never resolves, RFC 6761), so the image is kept in the article; the
// import reads the file beside the article into the library under that URL (beside.ts), and
// nothing ever fetches it.
export const LOCAL_IMAGE_BASE = 'https://local.gleaner.invalid/'
export const LOCAL_IMAGE_HOST = 'local.gleaner.invalid'
