// Shapes of the extractor's input (site rules) and output. Pure data.
import type { RemovedBlock } from '../model/parsed-article'

export type { RemovedBlock }

/** Which metadata a site rule lifts from markup, each a list of CSS selectors tried in order. */
export interface MetaSelectors {
  title?: string[]
  author?: string[]
  date?: string[]
  source?: string[]
  editor?: string[]
}

/**
 * Where a rule applies: on its hosts only, and there only on URLs matching one of its patterns
 * when it has any. Markup alone never selects a rule: generic class names (`.article-content`)
 * are on countless unrelated sites, and a rule taken there picks a teaser or a bio as the body.
 */
export interface SiteMatch {
  /** Hostnames; a host also matches its subdomains (`sina.com.cn` matches `finance.sina.com.cn`). Empty only for the generic rule. */
  hosts: string[]
  /** Regular expressions tested against the page URL (given, canonical, or og:url) whose host matched; none = every page of the hosts. */
  urlPatterns: RegExp[]
}

export interface SiteRule {
  /** Short identifier shown in the cleaning report, e.g. `sina`. */
  name: string
  /** Where it came from (file path), for error messages and the report. */
  origin: string
  match: SiteMatch
  /** Selectors for the article body, tried in order; the first that finds text wins. */
  content: string[]
  /** Selectors for elements to remove (inside or outside the body). */
  drop: string[]
  /** Patterns for whole paragraphs to remove (tested on the trimmed paragraph text). */
  dropText: RegExp[]
  meta: MetaSelectors
}

export interface SiteRuleSet {
  /** Site rules, user rules first so they win over shipped ones. */
  sites: SiteRule[]
  /** Applied to every page (boilerplate common to many sites). */
  generic: SiteRule
}

export interface RuleLoadError {
  file: string
  line?: number
  message: string
  /** The rule still loaded (e.g. an old key that is now ignored); the message says what to change. */
  warning?: true
}

export interface ExtractOptions {
  /** The page's address, when known (helps site matching and resolves relative links). */
  url?: string
  rules?: SiteRuleSet
  /** The input is already the article (a saved body fragment): clean it, but do not look for the main content. */
  wholeBody?: boolean
}

/** What a page says of itself (head metadata, bylines, landmarks), as extraction reports it. */
export interface PageFacts {
  title: string
  author: string | null
  /** ISO 8601 UTC. */
  publishedAt: string | null
  siteName: string | null
  canonicalUrl: string | null
  /** BCP 47 tag from `<html lang>` / meta, or a guess from the text's script. */
  language: string | null
  leadImage: string | null
  description: string | null
}

export interface ExtractResult extends PageFacts {
  /** The body as HTML, not yet sanitised. */
  contentHtml: string
  /** Plain text of the body: paragraphs separated by a blank line. */
  text: string
  /** What cleaning dropped, and which rule dropped it. */
  removed: RemovedBlock[]
  /** Names of the site rules that matched. */
  matchedRules: string[]
}
