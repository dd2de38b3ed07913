// Numbered schema migrations. Index i holds the step from user_version i to i+1.
// Never edit a released step: add a new one, so every existing library upgrades the same way.
import type { Database } from 'better-sqlite3'
import { writeTx } from './write-tx'
import { GleanerError } from '../../shared/errors'

export type Migration = (db: Database) => void

const m1_initial: Migration = (db) => {
  db.exec(`
    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );

    CREATE TABLE originals (
      -- The file exactly as read, so cleaning can be re-run and originals exported.
      id       INTEGER PRIMARY KEY,
      sha256   TEXT NOT NULL UNIQUE,
      bytes    BLOB NOT NULL,
      size     INTEGER NOT NULL
    );

    CREATE TABLE articles (
      id              INTEGER PRIMARY KEY,
      original_id     INTEGER NOT NULL REFERENCES originals(id),
      -- Index of the article inside its original (feeds and archives hold many).
      item_index      INTEGER NOT NULL DEFAULT 0,
      source_path     TEXT,
      format          TEXT NOT NULL,
      encoding        TEXT NOT NULL,
      title           TEXT NOT NULL,
      author          TEXT,
      source          TEXT,
      url             TEXT,
      published_at    TEXT,
      editor          TEXT,
      original_title  TEXT,
      meta_json       TEXT NOT NULL DEFAULT '{}',
      clean_html      TEXT NOT NULL,
      clean_text      TEXT NOT NULL,
      cleaning_report TEXT NOT NULL DEFAULT '[]',
      cleaning_version INTEGER NOT NULL,
      -- sha256 of normalised title + date + clean text: the same article from two files.
      content_key     TEXT NOT NULL,
      imported_at     TEXT NOT NULL,
      updated_at      TEXT NOT NULL,
      read            INTEGER NOT NULL DEFAULT 0,
      starred         INTEGER NOT NULL DEFAULT 0,
      deleted_at      TEXT
    );
    CREATE INDEX articles_content_key ON articles(content_key);
    CREATE INDEX articles_source_path ON articles(source_path);
    CREATE INDEX articles_published ON articles(published_at);
    CREATE INDEX articles_url ON articles(url);
    CREATE INDEX articles_original ON articles(original_id);

    CREATE TABLE categories (
      id        INTEGER PRIMARY KEY,
      parent_id INTEGER REFERENCES categories(id) ON DELETE CASCADE,
      name      TEXT NOT NULL,
      -- Path segments joined by U+001F, unique across the tree.
      path      TEXT NOT NULL UNIQUE
    );
    CREATE INDEX categories_parent ON categories(parent_id);

    CREATE TABLE article_categories (
      article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
      category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
      PRIMARY KEY (article_id, category_id)
    );
    CREATE INDEX article_categories_category ON article_categories(category_id);

    CREATE TABLE tags (
      id   INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE
    );
    CREATE TABLE article_tags (
      article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
      tag_id     INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
      PRIMARY KEY (article_id, tag_id)
    );
    CREATE INDEX article_tags_tag ON article_tags(tag_id);

    CREATE TABLE collections (
      id         INTEGER PRIMARY KEY,
      name       TEXT NOT NULL UNIQUE,
      query      TEXT,
      created_at TEXT NOT NULL
    );
    CREATE TABLE collection_items (
      collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
      article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
      position      REAL NOT NULL,
      note          TEXT,
      PRIMARY KEY (collection_id, article_id)
    );

    CREATE TABLE annotations (
      id               INTEGER PRIMARY KEY,
      article_id       INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
      -- JSON array of W3C selectors (TextQuoteSelector, TextPositionSelector); null for article notes.
      selectors_json   TEXT,
      exact            TEXT,
      color            TEXT,
      note             TEXT,
      tags_json        TEXT NOT NULL DEFAULT '[]',
      cleaning_version INTEGER,
      anchor_status    TEXT NOT NULL DEFAULT 'anchored',
      created_at       TEXT NOT NULL,
      updated_at       TEXT NOT NULL
    );
    CREATE INDEX annotations_article ON annotations(article_id);

    CREATE TABLE import_runs (
      id          INTEGER PRIMARY KEY,
      started_at  TEXT NOT NULL,
      finished_at TEXT,
      roots_json  TEXT NOT NULL,
      cancelled   INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE import_results (
      id         INTEGER PRIMARY KEY,
      run_id     INTEGER NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
      path       TEXT NOT NULL,
      status     TEXT NOT NULL,
      code       TEXT,
      reason     TEXT,
      article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
      warnings_json TEXT
    );
    CREATE INDEX import_results_run ON import_results(run_id);
  `)
}

// Search: user-defined synonyms (the defaults ship in resources/synonyms). The full-text
// table itself is created and rebuilt by core/search, because its shape follows the
// tokenization rather than the schema version.
const m2_search_synonyms: Migration = (db) => {
  db.exec(`
    CREATE TABLE search_synonyms (
      id         INTEGER PRIMARY KEY,
      -- Stored folded (NFC, lower case) and ordered a < b, so each pair exists once.
      a          TEXT NOT NULL,
      b          TEXT NOT NULL,
      created_at TEXT NOT NULL,
      UNIQUE (a, b)
    );
    CREATE INDEX search_synonyms_b ON search_synonyms(b);
  `)
}

// Search filters (is:starred, is:unread) read these flags for many rows. They sit after
// clean_text/clean_html in the row, so reading them walks each row's overflow pages;
// an index answers from a few small pages instead.
const m3_article_flag_index: Migration = (db) => {
  db.exec(`CREATE INDEX articles_flags ON articles(starred, read)`)
}

// "Live articles, newest first" (filter-only searches, counts) straight from an index:
// deleted_at is stored after the large text columns, so testing it row by row is slow.
const m4_live_articles_index: Migration = (db) => {
  db.exec(`CREATE INDEX articles_live ON articles(deleted_at, published_at)`)
}

// Search filters and date sorting per full-text hit: one small index entry keyed by the
// article id answers "published when / starred / read / deleted" without touching the row,
// whose local part is mostly title and text (and whose flags sit after the overflow pages).
// Searches name it with INDEXED BY, since the planner would otherwise look ids up in the table.
const m5_search_filter_index: Migration = (db) => {
  db.exec(
    `CREATE INDEX articles_search_filter ON articles(id, published_at, starred, read, deleted_at)`
  )
}

// The article list pages through live articles in title, source or import order; like m4 for
// dates, these let a page be read from an index instead of sorting every row.
const m6_article_list_indexes: Migration = (db) => {
  db.exec(`
    CREATE INDEX articles_live_title ON articles(deleted_at, title COLLATE NOCASE);
    CREATE INDEX articles_live_source ON articles(deleted_at, source, published_at);
    CREATE INDEX articles_live_imported ON articles(deleted_at, imported_at);
  `)
}

// Articles whose search document must be rewritten after a big category or tag edit. Kept in
// the library, written in the edit's wake and cleared slice by slice with the re-index itself,
// so a crash part-way leaves the rest to be finished at the next start instead of stale words.
const m7_search_reindex_pending: Migration = (db) => {
  db.exec(`CREATE TABLE search_reindex_pending (article_id INTEGER PRIMARY KEY)`)
}

// Articles whose categories or tags the user has set (a category renamed, merged or deleted, a tag
// added, removed, renamed or deleted): a re-import of a changed file keeps that filing instead of
// taking the file's front matter again, which would bring back the old names. A row per article
// and kind; no row means the article still follows its file (so existing libraries need no
// backfill). A table rather than a flag column on articles: the flag is written by edits that
// touch up to every article at once (renaming a top category), and an article row cannot be
// updated without reading and rewriting its text, which sits in overflow pages (see m3); these
// rows are a few bytes each. ON DELETE CASCADE keeps it in step if articles are ever purged.
const m8_article_user_filing: Migration = (db) => {
  db.exec(`
    CREATE TABLE article_user_filing (
      article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
      kind       TEXT NOT NULL CHECK (kind IN ('categories', 'tags')),
      PRIMARY KEY (article_id, kind)
    ) WITHOUT ROWID
  `)
}

// The change log: every user edit is one row (see core/changes/). `seq` orders them in this file
// and is what other processes poll; `id` is a UUID that stays the same wherever a change
// travels (team libraries will sync this log); `actor` is who made it and `origin` which front
// door. `inverse_json` is the operation that undoes it (null: cannot be undone); an undo is a
// change of its own with `undo_of`, a redo one with `redo_of`; `reverted` is 1 while a change
// stands undone (for an undo: once it has been redone). `session` is the writing process's
// random id, so a process skips its own rows when it polls for others'.
const m9_change_log: Migration = (db) => {
  db.exec(`
    CREATE TABLE changes (
      seq          INTEGER PRIMARY KEY AUTOINCREMENT,
      id           TEXT NOT NULL UNIQUE,
      actor        TEXT NOT NULL,
      origin       TEXT NOT NULL,
      session      TEXT NOT NULL,
      at           TEXT NOT NULL,
      op           TEXT NOT NULL,
      args_json    TEXT NOT NULL,
      touched_json TEXT NOT NULL,
      summary_json TEXT NOT NULL,
      inverse_json TEXT,
      undo_of      INTEGER,
      redo_of      INTEGER,
      reverted     INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX changes_actor ON changes(actor, seq);
  `)
}

// Emptying the trash removes articles for good. SQLite finds the rows that point at a removed
// article (to delete them, or to set import_results.article_id to NULL) through an index on
// the pointing column, or else by reading the whole table once per article removed: 10,000
// articles out of a library with 100,000 import results would read a billion rows.
const m10_article_reference_indexes: Migration = (db) => {
  db.exec(`
    CREATE INDEX import_results_article ON import_results(article_id);
    CREATE INDEX collection_items_article ON collection_items(article_id);
  `)
}

// Each source's boilerplate, learned from the library (core/boilerplate/): a row per line seen
// at the head or tail of an article of a source, with how many articles (of different bodies,
// the witnesses: at most a few kept) it was seen in, and `since`, how many of the source's
// articles had been counted when it was first seen (source_counts), so a line's share of the
// source's articles since then is known. `state` becomes 'learned' when enough
// articles share it, and 'off' when the user keeps that text for the source; `pending` marks a
// line whose state the source's stored articles do not show yet (they are re-cleaned). Lines
// seen once are pruned per source, so the table stays a few hundred rows per source.
// source_lines_counted lists the articles already counted, so a re-clean never counts twice.
const m11_source_boilerplate: Migration = (db) => {
  db.exec(`
    CREATE TABLE source_lines (
      source_key TEXT NOT NULL,
      edge       TEXT NOT NULL CHECK (edge IN ('head', 'tail')),
      hash       TEXT NOT NULL,
      text       TEXT NOT NULL,
      articles   INTEGER NOT NULL,
      witnesses  TEXT NOT NULL,
      state      TEXT NOT NULL DEFAULT 'counting' CHECK (state IN ('counting', 'learned', 'off')),
      pending    INTEGER NOT NULL DEFAULT 0,
      last_seen  INTEGER NOT NULL,
      since      INTEGER NOT NULL,
      PRIMARY KEY (source_key, edge, hash)
    ) WITHOUT ROWID;
    CREATE TABLE source_counts (
      source_key TEXT PRIMARY KEY,
      articles   INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX source_lines_pending ON source_lines(pending) WHERE pending = 1;
    CREATE INDEX source_lines_learned ON source_lines(source_key) WHERE state <> 'counting';
    CREATE TABLE source_lines_counted (article_id INTEGER PRIMARY KEY);
  `)
}

// What Gleaner reads from each article's text (core/analysis/): one row per analysed article
// (version: ANALYSIS_VERSION, so a newer analysis redoes older rows), its copy fingerprint's
// band keys (copy_keys: the index that finds near-duplicates without comparing every pair;
// the row keeps its own keys to remove them, and its MinHash signature to weed out candidates
// before their texts are compared), its copy group (the id of the group's first
// member to arrive) and the key that orders the group (date, then id: the first report is the
// least), the outlet its credits name, and its story. story_id NULL: not clustered yet.
// story_pinned: the user put it there (split, merge); re-clustering leaves it. article_terms
// holds its keywords and named entities; term_df how many analysed articles have each keyword
// candidate (the library's IDF). A story keeps its user name, follow flag, activity dates and
// its centroid (term → weight, JSON) for clustering new articles into it.
const m12_analysis: Migration = (db) => {
  db.exec(`
    CREATE TABLE article_analysis (
      article_id  INTEGER PRIMARY KEY,
      version     INTEGER NOT NULL,
      copy_keys   TEXT NOT NULL DEFAULT '[]',
      signature   BLOB,
      copy_group  INTEGER,
      order_key   TEXT NOT NULL DEFAULT '',
      outlet      TEXT,
      story_id    INTEGER,
      story_pinned INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX article_analysis_copy_group ON article_analysis(copy_group, order_key)
      WHERE copy_group IS NOT NULL;
    CREATE INDEX article_analysis_story ON article_analysis(story_id);
    CREATE TABLE copy_keys (
      key        INTEGER NOT NULL,
      article_id INTEGER NOT NULL,
      PRIMARY KEY (key, article_id)
    ) WITHOUT ROWID;
    CREATE TABLE article_terms (
      article_id INTEGER NOT NULL,
      kind       TEXT NOT NULL CHECK (kind IN ('keyword', 'person', 'org', 'place')),
      term       TEXT NOT NULL,
      weight     REAL NOT NULL,
      PRIMARY KEY (article_id, kind, term)
    ) WITHOUT ROWID;
    CREATE INDEX article_terms_kind ON article_terms(kind, term);
    CREATE TABLE term_df (
      term TEXT PRIMARY KEY,
      df   INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE stories (
      id        INTEGER PRIMARY KEY,
      user_name TEXT,
      followed  INTEGER NOT NULL DEFAULT 0,
      first_at  TEXT,
      last_at   TEXT,
      size      INTEGER NOT NULL DEFAULT 0,
      centroid  TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX stories_first ON stories(first_at);
  `)
}

/**
 * Capture beyond files: feed subscriptions and the items they delivered, paired browser
 * clippers, and images kept in the library by content (fetched once the user allowed remote
 * images for an article, its source or the library, or imported beside an HTML file).
 */
const m13_capture: Migration = (db) => {
  db.exec(`
    CREATE TABLE feeds (
      id               INTEGER PRIMARY KEY,
      url              TEXT NOT NULL UNIQUE,
      title            TEXT,
      user_title       TEXT,
      site_url         TEXT,
      category_path    TEXT NOT NULL DEFAULT '[]',
      tags             TEXT NOT NULL DEFAULT '[]',
      full_text        INTEGER NOT NULL DEFAULT 0,
      paused           INTEGER NOT NULL DEFAULT 0,
      interval_minutes INTEGER NOT NULL DEFAULT 60,
      etag             TEXT,
      last_modified    TEXT,
      added_at         TEXT NOT NULL,
      last_poll_at     TEXT,
      last_success_at  TEXT,
      next_poll_at     TEXT NOT NULL,
      last_error       TEXT,
      failures         INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX feeds_due ON feeds(next_poll_at) WHERE paused = 0;
    CREATE TABLE feed_items (
      feed_id    INTEGER NOT NULL,
      item_key   TEXT NOT NULL,
      article_id INTEGER,
      item_hash  TEXT,
      seen_at    TEXT NOT NULL,
      PRIMARY KEY (feed_id, item_key)
    ) WITHOUT ROWID;
    CREATE INDEX feed_items_article ON feed_items(article_id) WHERE article_id IS NOT NULL;
    CREATE TABLE clipper_clients (
      id           INTEGER PRIMARY KEY,
      origin       TEXT NOT NULL,
      label        TEXT NOT NULL DEFAULT '',
      token_hash   TEXT NOT NULL UNIQUE,
      paired_at    TEXT NOT NULL,
      last_clip_at TEXT
    );
    CREATE TABLE images (
      sha256       TEXT PRIMARY KEY,
      content_type TEXT NOT NULL,
      size         INTEGER NOT NULL,
      bytes        BLOB NOT NULL,
      stored_at    TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE article_images (
      article_id INTEGER NOT NULL,
      url        TEXT NOT NULL,
      sha256     TEXT,
      caption    TEXT,
      error      TEXT,
      PRIMARY KEY (article_id, url)
    ) WITHOUT ROWID;
    CREATE INDEX article_images_sha ON article_images(sha256) WHERE sha256 IS NOT NULL;
    CREATE TABLE remote_image_allow (
      scope TEXT NOT NULL CHECK (scope IN ('article', 'source', 'library')),
      key   TEXT NOT NULL,
      PRIMARY KEY (scope, key)
    ) WITHOUT ROWID;
  `)
}

/**
 * Team libraries (core/team/): ids that are the same on every client for what has only a local
 * integer id (collections, annotations: `uid`, given on insert by a trigger so every code path
 * that creates one gets it), an annotation's author and the flag for concurrent note edits kept
 * side by side, and the working copy's own tables: `team_shadow` holds each synced field as
 * the server last had it (value and hybrid logical clock), so a sync pushes only what differs;
 * `team_dirty` lists rows edited since the last push (filled by triggers that only a team
 * library has, see core/team/local/).
 */
const m14_team: Migration = (db) => {
  db.exec(`
    ALTER TABLE collections ADD COLUMN uid TEXT;
    UPDATE collections SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
    CREATE UNIQUE INDEX collections_uid ON collections(uid);
    CREATE TRIGGER collections_uid_given AFTER INSERT ON collections WHEN NEW.uid IS NULL
    BEGIN
      UPDATE collections SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id;
    END;

    ALTER TABLE annotations ADD COLUMN uid TEXT;
    ALTER TABLE annotations ADD COLUMN author TEXT;
    ALTER TABLE annotations ADD COLUMN conflict INTEGER NOT NULL DEFAULT 0;
    UPDATE annotations SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
    CREATE UNIQUE INDEX annotations_uid ON annotations(uid);
    CREATE TRIGGER annotations_uid_given AFTER INSERT ON annotations WHEN NEW.uid IS NULL
    BEGIN
      UPDATE annotations SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id;
    END;

    ALTER TABLE collection_items ADD COLUMN conflict INTEGER NOT NULL DEFAULT 0;

    CREATE TABLE team_shadow (
      kind  TEXT NOT NULL,
      key   TEXT NOT NULL,
      field TEXT NOT NULL,
      value TEXT,
      hlc   TEXT NOT NULL,
      PRIMARY KEY (kind, key, field)
    ) WITHOUT ROWID;
    -- gone: the shared key of a row deleted here (its uid, or an item's key), which the
    -- local ids a and b no longer lead to.
    CREATE TABLE team_dirty (
      kind  TEXT NOT NULL,
      a     INTEGER NOT NULL,
      b     INTEGER NOT NULL DEFAULT 0,
      at_ms INTEGER NOT NULL,
      gone  TEXT,
      PRIMARY KEY (kind, a, b)
    ) WITHOUT ROWID;
    -- Articles a pull could not import here (a parse that timed out, a worker that died): their
    -- fields are in the shadow, so each sync tries their originals again until they arrive.
    CREATE TABLE team_refetch (
      key    TEXT PRIMARY KEY,
      tries  INTEGER NOT NULL DEFAULT 0,
      reason TEXT
    ) WITHOUT ROWID;
    -- The push takes the oldest edits first; continuous sync watches the newest.
    CREATE INDEX team_dirty_at ON team_dirty(at_ms);
  `)
}

export const MIGRATIONS: readonly Migration[] = [
  m1_initial,
  m2_search_synonyms,
  m3_article_flag_index,
  m4_live_articles_index,
  m5_search_filter_index,
  m6_article_list_indexes,
  m7_search_reindex_pending,
  m8_article_user_filing,
  m9_change_log,
  m10_article_reference_indexes,
  m11_source_boilerplate,
  m12_analysis,
  m13_capture,
  m14_team
]

/** Runs every step above the file's user_version, each in its own transaction. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > migrations.length) {
    // openLibrary refuses such a file before this, without writing to it; this is the last guard.
    throw new GleanerError(
      'library-newer',
      `This library was written by a newer Gleaner (schema ${current}; this version knows ${migrations.length}). Update Gleaner to open it.`,
      { schema: current, known: migrations.length }
    )
  }
  for (let v = current; v < migrations.length; v++) {
    const step = migrations[v]
    if (!step) break
    writeTx(db, () => {
      // Another process opening the same file may have run this step while we waited.
      if ((db.pragma('user_version', { simple: true }) as number) !== v) return
      step(db)
      db.pragma(`user_version = ${v + 1}`)
    })
  }
  return migrations.length
}
