// The triggers that find a team library's local edits: each fills team_dirty with the edited
// row (its local ids) and the time, so the next push knows what to diff against team_shadow.
// Only a team library has them (makeTeamCopy installs them). Applying what the server sent sets
// the `team.applying` setting inside its own transaction, which these triggers skip: a pulled
// field is not a local edit (and no other connection can see that row: it never commits).
import type { Db } from '../../library/open'

/** Wall-clock milliseconds in SQL (julianday keeps sub-second precision). */
const NOW_MS = `CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)`
const NOT_APPLYING = `NOT EXISTS (SELECT 1 FROM settings WHERE key = 'team.applying')`

/**
 * Marks (kind, a, b) dirty. A second edit of a dirty row moves its time on by at least 1 ms, so
 * a push clears only rows whose time it saw (an edit made while the push was in flight stays).
 */
function mark(kind: string, rows: string, gone = 'NULL'): string {
  return `INSERT INTO team_dirty (kind, a, b, at_ms, gone)
      SELECT '${kind}', x.a, x.b, ${NOW_MS}, ${gone} FROM (${rows}) x WHERE true
      ON CONFLICT (kind, a, b) DO UPDATE
        SET at_ms = max(excluded.at_ms, team_dirty.at_ms + 1),
          gone = coalesce(excluded.gone, team_dirty.gone);`
}

const articleKeyOf = (articleId: string): string =>
  `(SELECT o.sha256 || ':' || ar.item_index FROM articles ar JOIN originals o ON o.id = ar.original_id
     WHERE ar.id = ${articleId})`

interface TriggerSpec {
  name: string
  on: string
  event: string
  /** A condition beyond NOT_APPLYING. */
  when?: string
  body: string
}

const TRIGGERS: TriggerSpec[] = [
  {
    name: 'article_insert',
    on: 'articles',
    event: 'AFTER INSERT',
    body: mark('article', 'SELECT NEW.id AS a, 0 AS b')
  },
  {
    name: 'article_deleted',
    on: 'articles',
    event: 'AFTER UPDATE OF deleted_at',
    body: mark('article', 'SELECT NEW.id AS a, 0 AS b')
  },
  ...(['INSERT', 'DELETE'] as const).flatMap((ev) => {
    const row = ev === 'INSERT' ? 'NEW' : 'OLD'
    return [
      {
        name: `article_category_${ev.toLowerCase()}`,
        on: 'article_categories',
        event: `AFTER ${ev}`,
        body: mark('article', `SELECT ${row}.article_id AS a, 0 AS b`)
      },
      {
        name: `article_tag_${ev.toLowerCase()}`,
        on: 'article_tags',
        event: `AFTER ${ev}`,
        body: mark('article', `SELECT ${row}.article_id AS a, 0 AS b`)
      }
    ]
  }),
  {
    // A renamed or moved category changes the paths its articles are filed under.
    name: 'category_renamed',
    on: 'categories',
    event: 'AFTER UPDATE OF path',
    body: mark(
      'article',
      'SELECT article_id AS a, 0 AS b FROM article_categories WHERE category_id = NEW.id'
    )
  },
  {
    name: 'tag_renamed',
    on: 'tags',
    event: 'AFTER UPDATE OF name',
    body: mark('article', 'SELECT article_id AS a, 0 AS b FROM article_tags WHERE tag_id = NEW.id')
  },
  {
    name: 'collection_insert',
    on: 'collections',
    event: 'AFTER INSERT',
    body: mark('collection', 'SELECT NEW.id AS a, 0 AS b')
  },
  {
    name: 'collection_update',
    on: 'collections',
    event: 'AFTER UPDATE OF name, query',
    body: mark('collection', 'SELECT NEW.id AS a, 0 AS b')
  },
  {
    name: 'collection_delete',
    on: 'collections',
    event: 'AFTER DELETE',
    body: mark('collection', 'SELECT OLD.id AS a, 0 AS b', 'OLD.uid')
  },
  {
    name: 'item_insert',
    on: 'collection_items',
    event: 'AFTER INSERT',
    body: mark('item', 'SELECT NEW.collection_id AS a, NEW.article_id AS b')
  },
  {
    name: 'item_update',
    on: 'collection_items',
    event: 'AFTER UPDATE OF position, note',
    body: mark('item', 'SELECT NEW.collection_id AS a, NEW.article_id AS b')
  },
  {
    // Its collection may be going too (then the collection's tombstone says it all and the
    // key is null); its article may be purged (then the key is null too: nothing is pushed,
    // the team keeps the item with the article's tombstone).
    name: 'item_delete',
    on: 'collection_items',
    event: 'AFTER DELETE',
    body: mark(
      'item',
      'SELECT OLD.collection_id AS a, OLD.article_id AS b',
      `(SELECT c.uid FROM collections c WHERE c.id = OLD.collection_id) || '|' || ${articleKeyOf('OLD.article_id')}`
    )
  },
  {
    name: 'annotation_insert',
    on: 'annotations',
    event: 'AFTER INSERT',
    body: mark('annotation', 'SELECT NEW.id AS a, 0 AS b')
  },
  {
    name: 'annotation_update',
    on: 'annotations',
    event: 'AFTER UPDATE OF article_id, selectors_json, exact, color, note, tags_json',
    body: mark('annotation', 'SELECT NEW.id AS a, 0 AS b')
  },
  {
    // Not when its article is being purged from the Trash: the team keeps the article's
    // tombstone and its annotations with it, for whoever restores it.
    name: 'annotation_delete',
    on: 'annotations',
    event: 'AFTER DELETE',
    when: 'EXISTS (SELECT 1 FROM articles WHERE id = OLD.article_id)',
    body: mark('annotation', 'SELECT OLD.id AS a, 0 AS b', 'OLD.uid')
  }
]

/** Installs the triggers (again: each is dropped first, so a newer build can change them). */
export function installTeamTriggers(db: Db): void {
  for (const t of TRIGGERS) {
    db.exec(`DROP TRIGGER IF EXISTS team_${t.name}`)
    const when = t.when ? `${NOT_APPLYING} AND ${t.when}` : NOT_APPLYING
    db.exec(`CREATE TRIGGER team_${t.name} ${t.event} ON ${t.on} WHEN ${when}
      BEGIN ${t.body} END`)
  }
}

/** Runs `fn` (inside the caller's transaction) without marking what it writes dirty. */
export function withoutMarking<T>(db: Db, fn: () => T): T {
  if (!db.inTransaction) throw new Error('withoutMarking needs a transaction')
  db.prepare(`INSERT OR REPLACE INTO settings (key, value) VALUES ('team.applying', '1')`).run()
  try {
    return fn()
  } finally {
    db.prepare(`DELETE FROM settings WHERE key = 'team.applying'`).run()
  }
}

/** Every row that syncs, marked dirty: the first push sends the whole library. */
export function markEverythingDirty(db: Db, atMs: number): void {
  const rows: [string, string][] = [
    ['article', 'SELECT id, 0 FROM articles'],
    ['collection', 'SELECT id, 0 FROM collections'],
    ['item', 'SELECT collection_id, article_id FROM collection_items'],
    ['annotation', 'SELECT id, 0 FROM annotations']
  ]
  for (const [kind, sql] of rows)
    db.prepare(
      `INSERT OR IGNORE INTO team_dirty (kind, a, b, at_ms) SELECT '${kind}', x.*, ? FROM (${sql}) x`
    ).run(atMs)
}
