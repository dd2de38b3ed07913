// Markdown and HTML exports are rendered from Mustache templates: logic-less, so a user's
// template cannot run code, and {{value}} escapes by default ({{{value}}} only for fragments the
// exporter has already built safely). Users override a template by putting a file with the same
// name in their template folder.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import Mustache from 'mustache'
import { findResourceDir } from '../resources'

export const TEMPLATE_NAMES = {
  markdownArticle: 'markdown-article.md.mustache',
  markdownIndex: 'markdown-index.md.mustache',
  markdownBriefing: 'markdown-briefing.md.mustache',
  htmlBriefing: 'briefing.html.mustache',
  htmlStyles: 'briefing.css'
} as const

export type TemplateName = (typeof TEMPLATE_NAMES)[keyof typeof TEMPLATE_NAMES]

let shippedDirOverride: string | null = null

/** For the app shell: where the packaged resources/templates folder is (e.g. under process.resourcesPath). */
export function setShippedTemplatesDir(dir: string): void {
  shippedDirOverride = dir
}

/** The shipped templates: an explicit setting, else resources/templates above this module or the cwd, else Electron's resourcesPath. */
export function shippedTemplatesDir(): string {
  if (shippedDirOverride) return shippedDirOverride
  const dir = findResourceDir('templates', TEMPLATE_NAMES.htmlBriefing)
  if (dir) return dir
  throw new Error('Gleaner cannot find its export templates (resources/templates).')
}

export function loadTemplate(name: TemplateName, userDir?: string): string {
  if (userDir) {
    const p = join(resolve(userDir), name)
    if (existsSync(p)) return readFileSync(p, 'utf8')
  }
  return readFileSync(join(shippedTemplatesDir(), name), 'utf8')
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** Backslash-escapes what Markdown would read as syntax (raw HTML and entities included), so user text stays text. */
export function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*_[\]<>&#|~=$])/g, '\\$1')
}

export function renderTemplate(
  template: string,
  view: object,
  escape: (s: string) => string
): string {
  // Mustache hands escape() whatever the view holds; stringify first so numbers print.
  return Mustache.render(template, view, {}, { escape: (v: unknown) => escape(String(v)) })
}
