import { openLibraryDb } from './src/main/core/library/open'
const db = openLibraryDb('/tmp/annot-bench/lib.db')
const LIVE = `SELECT id, published_at FROM articles WHERE deleted_at IS NULL`
const from = `FROM annotations a JOIN (${LIVE}) ar ON ar.id = a.article_id`
const time = (label: string, sql: string, ...p: unknown[]) => { const st = db.prepare(sql); const t0 = performance.now(); let r; for (let i=0;i<5;i++) r = st.all(...p); console.log(label, ((performance.now()-t0)/5).toFixed(1), 'ms', (r as unknown[]).length, '::', db.prepare('EXPLAIN QUERY PLAN '+sql).all(...p).map((x:any)=>x.detail).join(' | ')) }
time('newest', `SELECT a.id ${from} ORDER BY a.id DESC LIMIT 100 OFFSET 40000`)
time('tag', `SELECT a.id ${from} WHERE EXISTS (SELECT 1 FROM json_each(a.tags_json) WHERE value = ?) ORDER BY a.id DESC LIMIT 100`, '重点')
time('tagcount', `SELECT count(*) ${from} WHERE EXISTS (SELECT 1 FROM json_each(a.tags_json) WHERE value = ?)`, '重点')
time('text', `SELECT a.id ${from} WHERE (a.exact LIKE ? OR a.note LIKE ?) ORDER BY a.id DESC LIMIT 100`, '%批注 12%', '%批注 12%')
time('plain count', `SELECT count(*) FROM annotations`)
time('plain scan tags', `SELECT count(*) FROM annotations a WHERE EXISTS (SELECT 1 FROM json_each(a.tags_json) WHERE value = ?)`, '重点')
