// One team library's schema, as SQL. Who may do what is the database's job: the group roles
// `<schema>_read` and `<schema>_write` (write is a member of read) get only the privileges
// their access needs, and row-level security, enabled and FORCED (so it binds the owner too),
// admits a row only to members of the group. `author` is checked against current_user by the
// policies, so no client can write in another role's name, and a trigger stamps every field
// write's version, so none can set one. The push function is SECURITY INVOKER: it runs with
// the caller's rights, under the same grants and policies.
import { escapeIdentifier as ident, escapeLiteral as lit } from 'pg'
import { MERGE_FIELDS } from '../protocol'
import type { TeamNames } from './names'

/** Written to meta; a client refuses a schema newer than it knows. */
export const SCHEMA_VERSION = 1

const TABLES = ['meta', 'fields', 'changes', 'batches', 'originals'] as const

/** The statements that create team library `n` (run in one transaction by its admin). */
export function createSchemaSql(n: TeamNames, displayName: string): string[] {
  const s = ident(n.schema)
  const read = ident(n.readRole)
  const write = ident(n.writeRole)
  // An initplan: evaluated once per statement, not once per row.
  const isReader = `(SELECT pg_catalog.pg_has_role(current_user, ${lit(n.readRole)}, 'MEMBER'))`
  const isWriter = `(SELECT pg_catalog.pg_has_role(current_user, ${lit(n.writeRole)}, 'MEMBER'))`
  const mergeFields = `ARRAY[${[...MERGE_FIELDS].map(lit).join(', ')}]::text[]`
  const sql: string[] = [
    `CREATE ROLE ${read} NOLOGIN`,
    `CREATE ROLE ${write} NOLOGIN IN ROLE ${read}`,
    `GRANT ${write} TO CURRENT_USER`,
    `CREATE SCHEMA ${s}`,
    `REVOKE ALL ON SCHEMA ${s} FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA ${s} TO ${read}`,
    `CREATE TABLE ${s}.meta (key text PRIMARY KEY, value text NOT NULL)`,
    `INSERT INTO ${s}.meta (key, value) VALUES
       ('name', ${lit(displayName)}), ('schema_version', '${SCHEMA_VERSION}'),
       ('admin', current_user), ('created_at', now()::text)`,
    `CREATE SEQUENCE ${s}.version_seq AS bigint`,
    `CREATE TABLE ${s}.fields (
       kind text NOT NULL CHECK (kind IN ('article', 'collection', 'item', 'annotation')),
       key text NOT NULL,
       field text NOT NULL,
       value jsonb NOT NULL,
       hlc text NOT NULL CHECK (hlc ~ '^[0-9]{15}-[0-9]{6}-.+$'),
       author text NOT NULL DEFAULT current_user,
       version bigint NOT NULL,
       conflict boolean NOT NULL DEFAULT false,
       PRIMARY KEY (kind, key, field)
     )`,
    `CREATE UNIQUE INDEX fields_version ON ${s}.fields (version)`,
    // Append-only: writers may INSERT, nobody may UPDATE or DELETE.
    `CREATE TABLE ${s}.changes (
       version bigint PRIMARY KEY,
       batch text NOT NULL,
       client text NOT NULL,
       author text NOT NULL DEFAULT current_user,
       kind text NOT NULL,
       key text NOT NULL,
       field text NOT NULL,
       value jsonb NOT NULL,
       hlc text NOT NULL,
       conflict boolean NOT NULL DEFAULT false,
       at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE ${s}.batches (
       id text PRIMARY KEY,
       client text NOT NULL,
       author text NOT NULL DEFAULT current_user,
       version bigint NOT NULL,
       at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE ${s}.originals (
       sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
       name text NOT NULL,
       size bigint NOT NULL CHECK (size = octet_length(bytes)),
       bytes bytea NOT NULL,
       author text NOT NULL DEFAULT current_user,
       at timestamptz NOT NULL DEFAULT now()
     )`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${s} TO ${read}`,
    `GRANT INSERT, UPDATE ON ${s}.fields TO ${write}`,
    `GRANT INSERT ON ${s}.changes, ${s}.batches, ${s}.originals TO ${write}`,
    `GRANT USAGE ON SEQUENCE ${s}.version_seq TO ${write}`
  ]
  for (const t of TABLES) {
    const table = `${s}.${t}`
    sql.push(
      `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY members_read ON ${table} FOR SELECT USING (${isReader})`
    )
    if (t === 'meta') continue
    sql.push(
      `CREATE POLICY writers_insert ON ${table} FOR INSERT WITH CHECK (${isWriter} AND author = current_user)`
    )
    if (t === 'fields')
      sql.push(
        `CREATE POLICY writers_update ON ${table} FOR UPDATE USING (${isWriter}) WITH CHECK (${isWriter} AND author = current_user)`
      )
  }
  sql.push(noteTextSql(s), mergeNotesSql(s), stampSql(n), pushSql(n, mergeFields))
  sql.push(
    `CREATE TRIGGER stamp_version BEFORE INSERT OR UPDATE ON ${s}.fields
       FOR EACH ROW EXECUTE FUNCTION ${s}.stamp_version()`
  )
  sql.push(
    `REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${s} FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION ${s}.note_text(jsonb), ${s}.merge_notes(jsonb, text, text, jsonb, text, text) TO ${read}`,
    `GRANT EXECUTE ON FUNCTION ${s}.push(text, text, jsonb) TO ${write}`
  )
  return sql
}

/** A note's text: a JSON string's contents, null for null or '', any other JSON as text. */
function noteTextSql(s: string): string {
  return `CREATE FUNCTION ${s}.note_text(v jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT NULLIF(CASE pg_catalog.jsonb_typeof(v) WHEN 'string' THEN v #>> '{}'
                    WHEN 'null' THEN NULL ELSE v::text END, '')
  $$`
}

/**
 * Two concurrent texts of one note, both kept: the earlier (by hlc) first, a marker line naming
 * both authors, the later. Ordered by hlc, so the result does not depend on which push arrived
 * first. A side that is empty (cleared) adds nothing: a clear never erases the other's text.
 */
function mergeNotesSql(s: string): string {
  return `CREATE FUNCTION ${s}.merge_notes(a jsonb, a_hlc text, a_author text, b jsonb, b_hlc text, b_author text)
    RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
      WHEN ${s}.note_text(a) IS NULL THEN coalesce(b, 'null'::jsonb)
      WHEN ${s}.note_text(b) IS NULL THEN a
      WHEN a_hlc <= b_hlc THEN pg_catalog.to_jsonb(${s}.note_text(a) || E'\\n\\n── ' || a_author
        || ' | ' || b_author || ' (edited at the same time, both kept) ──\\n\\n' || ${s}.note_text(b))
      ELSE pg_catalog.to_jsonb(${s}.note_text(b) || E'\\n\\n── ' || b_author
        || ' | ' || a_author || ' (edited at the same time, both kept) ──\\n\\n' || ${s}.note_text(a))
    END
  $$`
}

/**
 * Every write of a field takes the next server version here, in the database, whatever the
 * writer sent: a writer's plain SQL cannot set a version that would make pullers skip others'
 * writes. It takes the team's push lock too, so such a write also commits in version order.
 * (No SET search_path: that costs per row; every name is qualified instead.)
 */
function stampSql(n: TeamNames): string {
  const s = ident(n.schema)
  return `CREATE FUNCTION ${s}.stamp_version() RETURNS trigger
  LANGUAGE plpgsql SECURITY INVOKER AS $fn$
  BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('gleaner-team'),
                                              pg_catalog.hashtext(${lit(n.schema)}));
    NEW.version := pg_catalog.nextval(${lit(`${n.schema}.version_seq`)});
    RETURN NEW;
  END
  $fn$`
}

/**
 * push(batch, client, writes): one batch in the caller's transaction. A team-wide advisory lock
 * serializes pushes, so versions commit in the order they were taken and a puller that has
 * seen version v never later finds a smaller one committed. Every write is decided in one
 * statement (set-based: a batch of thousands costs one pass):
 *   apply  no value yet, or a newer hlc (last writer wins)
 *   same   the hlc the server has: this very write again, nothing to do
 *   stale  the same hlc with another value (should not happen): the server's value goes back
 *   merge  a merge field edited on another base than the server's, with another text
 *   lose   an older hlc: the server's value goes back
 * Applied and merged writes get new versions (stamp_version), a row in the change log, and a
 * NOTIFY (sent at commit) with the new version.
 */
function pushSql(n: TeamNames, mergeFields: string): string {
  const s = ident(n.schema)
  return `CREATE FUNCTION ${s}.push(p_batch text, p_client text, p_writes jsonb) RETURNS jsonb
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $fn$
  DECLARE
    v_version bigint;
    v_applied integer;
    v_overruled jsonb;
  BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('gleaner-team'), hashtext(${lit(n.schema)}));
    IF EXISTS (SELECT 1 FROM ${s}.batches WHERE id = p_batch) THEN
      RETURN jsonb_build_object('duplicate', true, 'applied', 0, 'overruled', '[]'::jsonb,
        'version', (SELECT coalesce(max(version), 0) FROM ${s}.fields));
    END IF;
    WITH w AS (
      SELECT x.kind, x.key, x.field, coalesce(x.value, 'null'::jsonb) AS value, x.hlc,
             coalesce(x.base, '') AS base
      FROM jsonb_to_recordset(p_writes) AS x(kind text, key text, field text, value jsonb,
                                             hlc text, base text)
    ), j AS (
      SELECT w.*, f.value AS cv, f.hlc AS ch, f.author AS ca, f.version AS cver,
             f.conflict AS cc,
             CASE
               WHEN f.hlc IS NULL THEN 'apply'
               WHEN w.hlc = f.hlc THEN CASE WHEN w.value = f.value THEN 'same' ELSE 'stale' END
               WHEN w.field = ANY (${mergeFields}) AND w.base <> f.hlc AND w.value <> f.value
                 THEN 'merge'
               WHEN w.hlc > f.hlc THEN 'apply'
               ELSE 'lose'
             END AS action
      FROM w LEFT JOIN ${s}.fields f
        ON f.kind = w.kind AND f.key = w.key AND f.field = w.field
    ), n AS (
      SELECT j.kind, j.key, j.field, j.action,
             CASE WHEN j.action = 'merge'
               THEN ${s}.merge_notes(j.value, j.hlc, current_user::text, j.cv, j.ch, j.ca)
               ELSE j.value END AS value,
             CASE WHEN j.action = 'merge' THEN greatest(j.hlc, j.ch) ELSE j.hlc END AS hlc,
             (j.action = 'merge' AND ${s}.note_text(j.value) IS NOT NULL
               AND ${s}.note_text(j.cv) IS NOT NULL) AS conflict
      FROM j WHERE j.action IN ('apply', 'merge')
    ), up AS (
      INSERT INTO ${s}.fields AS f (kind, key, field, value, hlc, author, version, conflict)
      SELECT kind, key, field, value, hlc, current_user, 0, conflict FROM n
      ON CONFLICT (kind, key, field) DO UPDATE
        SET value = excluded.value, hlc = excluded.hlc, author = excluded.author,
            conflict = excluded.conflict
      RETURNING f.kind, f.key, f.field, f.value, f.hlc, f.version, f.conflict
    ), log AS (
      INSERT INTO ${s}.changes (version, batch, client, author, kind, key, field, value, hlc,
                                conflict)
      SELECT version, p_batch, p_client, current_user, kind, key, field, value, hlc, conflict
      FROM up
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM up), (SELECT max(version) FROM up),
      coalesce((SELECT jsonb_agg(o) FROM (
        SELECT kind, key, field, cv AS value, ch AS hlc, ca AS author, cver AS version,
               cc AS conflict
        FROM j WHERE action IN ('lose', 'stale')
        UNION ALL
        SELECT u.kind, u.key, u.field, u.value, u.hlc, current_user::text, u.version,
               u.conflict
        FROM up u JOIN n ON n.kind = u.kind AND n.key = u.key AND n.field = u.field
        WHERE n.action = 'merge'
      ) o), '[]'::jsonb)
    INTO v_applied, v_version, v_overruled;
    IF v_version IS NULL THEN
      SELECT coalesce(max(version), 0) INTO v_version FROM ${s}.fields;
    ELSE
      PERFORM pg_notify(${lit(n.channel)}, v_version::text);
    END IF;
    INSERT INTO ${s}.batches (id, client, author, version)
      VALUES (p_batch, p_client, current_user, v_version);
    RETURN jsonb_build_object('duplicate', false, 'applied', v_applied, 'version', v_version,
                              'overruled', v_overruled);
  END
  $fn$`
}
