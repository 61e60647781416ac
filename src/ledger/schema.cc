// Migrations of the ledger schema. Never edit one that has shipped: add the
// next version. Times are ISO 8601 UTC text, days YYYY-MM-DD text, decimals
// exact text ("120000000"), so that both backends compare and return them
// alike.
#include "ledger/schema.h"

#include "ledger/history_chain.h"

namespace taizhang::ledger_internal {

namespace {

constexpr const char* kV1Common = R"SQL(
CREATE TABLE sources (
  id {ID},
  path TEXT NOT NULL,
  content_hash TEXT NOT NULL UNIQUE,
  size_bytes BIGINT NOT NULL,
  format TEXT NOT NULL,
  encoding TEXT NOT NULL,
  version INTEGER NOT NULL,
  previous_id BIGINT REFERENCES sources(id),
  report_count INTEGER NOT NULL,
  outline_json TEXT NOT NULL,
  facts_json TEXT NOT NULL,
  check_json TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  UNIQUE (path, version)
);
CREATE TABLE reports (
  id {ID},
  source_id BIGINT NOT NULL REFERENCES sources(id),
  doc_index INTEGER NOT NULL,
  title TEXT NOT NULL,
  unit TEXT NOT NULL,
  unit_guessed INTEGER NOT NULL,
  unit_kind TEXT NOT NULL,
  kind TEXT NOT NULL,
  summary_year INTEGER NOT NULL,
  plan_year INTEGER NOT NULL,
  first_line INTEGER NOT NULL,
  last_line INTEGER NOT NULL,
  heading_count INTEGER NOT NULL,
  quantity_count INTEGER NOT NULL,
  plan_item_count INTEGER NOT NULL,
  relation_count INTEGER NOT NULL,
  finding_count INTEGER NOT NULL,
  supersedes_id BIGINT REFERENCES reports(id),
  UNIQUE (source_id, doc_index)
);
CREATE TABLE headings (
  report_id BIGINT NOT NULL REFERENCES reports(id),
  idx INTEGER NOT NULL,
  line INTEGER NOT NULL,
  col INTEGER NOT NULL,
  depth INTEGER NOT NULL,
  parent_idx INTEGER NOT NULL,
  marker TEXT NOT NULL,
  marker_kind TEXT NOT NULL,
  title TEXT NOT NULL,
  section_kind TEXT NOT NULL,
  section_year INTEGER NOT NULL,
  PRIMARY KEY (report_id, idx)
);
CREATE TABLE quantities (
  report_id BIGINT NOT NULL REFERENCES reports(id),
  idx INTEGER NOT NULL,
  line INTEGER NOT NULL,
  col INTEGER NOT NULL,
  text TEXT NOT NULL,
  value TEXT NOT NULL,
  high TEXT NOT NULL,
  unit TEXT NOT NULL,
  kind TEXT NOT NULL,
  approx TEXT NOT NULL,
  placeholder INTEGER NOT NULL,
  malformed INTEGER NOT NULL,
  measured TEXT NOT NULL,
  role TEXT NOT NULL,
  change TEXT NOT NULL,
  PRIMARY KEY (report_id, idx)
);
CREATE INDEX quantities_measured ON quantities (measured);
CREATE TABLE plan_items (
  report_id BIGINT NOT NULL REFERENCES reports(id),
  idx INTEGER NOT NULL,
  line INTEGER NOT NULL,
  col INTEGER NOT NULL,
  text TEXT NOT NULL,
  subject TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  target_text TEXT NOT NULL,
  target_value TEXT NOT NULL,
  target_unit TEXT NOT NULL,
  target_approx TEXT NOT NULL,
  deadline TEXT NOT NULL,
  recurrence TEXT NOT NULL,
  strength TEXT NOT NULL,
  owner TEXT NOT NULL,
  assessable INTEGER NOT NULL,
  PRIMARY KEY (report_id, idx)
);
CREATE TABLE relations (
  report_id BIGINT NOT NULL REFERENCES reports(id),
  idx INTEGER NOT NULL,
  family TEXT NOT NULL,
  status TEXT NOT NULL,
  line INTEGER NOT NULL,
  statement TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (report_id, idx)
);
CREATE TABLE findings (
  report_id BIGINT NOT NULL REFERENCES reports(id),
  idx INTEGER NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  line INTEGER NOT NULL,
  col INTEGER NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (report_id, idx)
);
CREATE TABLE ledger_items (
  id {ID},
  kind TEXT NOT NULL CHECK (kind IN ('plan', 'problem')),
  unit TEXT NOT NULL,
  year INTEGER NOT NULL,
  task TEXT NOT NULL,
  target_text TEXT NOT NULL,
  target_value TEXT NOT NULL,
  target_unit TEXT NOT NULL,
  target_approx TEXT NOT NULL,
  deadline TEXT NOT NULL,
  recurrence TEXT NOT NULL,
  status TEXT NOT NULL,
  progress_note TEXT NOT NULL,
  progress_value TEXT NOT NULL,
  progress_date TEXT NOT NULL,
  report_id BIGINT REFERENCES reports(id),
  plan_item_idx INTEGER NOT NULL,
  source_file TEXT NOT NULL,
  source_line INTEGER NOT NULL,
  source_text TEXT NOT NULL,
  problem_source TEXT NOT NULL,
  found_date TEXT NOT NULL,
  measures TEXT NOT NULL,
  submitted_by TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  verified_by TEXT NOT NULL,
  closed_at TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE INDEX ledger_items_unit ON ledger_items (kind, unit, year);
CREATE INDEX ledger_items_deadline ON ledger_items (kind, deadline);
CREATE INDEX ledger_items_report ON ledger_items (report_id);
CREATE TABLE progress (
  id {ID},
  item_id BIGINT NOT NULL REFERENCES ledger_items(id),
  day TEXT NOT NULL,
  value TEXT NOT NULL,
  note TEXT NOT NULL,
  evidence TEXT NOT NULL,
  reported_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX progress_item ON progress (item_id);
CREATE TABLE history (
  id {ID},
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  action TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL
);
CREATE INDEX history_entity ON history (entity, entity_id);
)SQL";

// History is append-only, whoever connects.
constexpr const char* kV1Sqlite = R"SQL(
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, '历史记录只能追加，不能修改'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, '历史记录只能追加，不能删除'); END;
)SQL";

constexpr const char* kV1Postgres = R"SQL(
CREATE FUNCTION taizhang_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '历史记录只能追加，不能修改或删除';
END
$$;
CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history
  FOR EACH ROW EXECUTE FUNCTION taizhang_history_append_only();
CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history
  FOR EACH STATEMENT EXECUTE FUNCTION taizhang_history_append_only();
)SQL";

// The queries of `ledger list` by unit and year, by deadline and by status
// without the kind (bench/ledger.sh: full scans on 100,000 items before).
constexpr const char* kV2Common = R"SQL(
CREATE INDEX ledger_items_unit_year ON ledger_items (unit, year);
CREATE INDEX ledger_items_due ON ledger_items (deadline);
CREATE INDEX ledger_items_status ON ledger_items (status);
)SQL";

// The history as a hash chain (history_chain.h): each row's hash and the
// previous row's; rows written before get theirs from the step, in id order.
// On PostgreSQL the append-only triggers fire ALWAYS, so a session that sets
// session_replication_role = replica no longer passes them.
constexpr const char* kV3Common = R"SQL(
ALTER TABLE history ADD COLUMN previous_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE history ADD COLUMN hash TEXT NOT NULL DEFAULT '';
)SQL";

constexpr const char* kV3Postgres = R"SQL(
ALTER TABLE history ENABLE ALWAYS TRIGGER history_append_only;
ALTER TABLE history ENABLE ALWAYS TRIGGER history_no_truncate;
)SQL";

// Review (确认) apart from the work status, and who carries an item out.
// Items stored before were in use: they become accepted (the default).
// merged_into / split_from: 0 for none. support_units: names joined by "、".
constexpr const char* kV4Common = R"SQL(
ALTER TABLE ledger_items ADD COLUMN review TEXT NOT NULL DEFAULT 'accepted';
ALTER TABLE ledger_items ADD COLUMN review_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_items ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_items ADD COLUMN reviewed_at TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_items ADD COLUMN merged_into BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger_items ADD COLUMN split_from BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger_items ADD COLUMN lead_unit TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_items ADD COLUMN support_units TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_items ADD COLUMN responsible_person TEXT NOT NULL DEFAULT '';
CREATE INDEX ledger_items_review ON ledger_items (review, unit, year);
)SQL";

// Unfinished accepted items by deadline, the only ones overdue or due soon:
// a page of `ledger list --overdue` / `--due-within` (ORDER BY id LIMIT)
// read their ids from this small index instead of fetching every item of
// the deadline range (100,000 items: 4,600 rows fetched, 38–110 ms, for a
// page of 50). Imported proposals are not in it: importing costs nothing more.
constexpr const char* kV5Common = R"SQL(
CREATE INDEX ledger_items_open_deadline ON ledger_items (deadline)
  WHERE review = 'accepted' AND status NOT IN ('done', 'cancelled', 'closed_off');
)SQL";

// What an import writes, cut to what is read back (bench/ledger.sh, issue 20):
// - Each stage's JSON of a whole file (outline, facts, check) is no longer
//   kept: nothing read it back, every figure, plan item, relation and
//   finding has its own table, and the three renderings were most of what
//   an import wrote (62 MB for 1000 reports) and put a whole file into one
//   value (a 200 MB compilation: over SQLite's 1 GB limit for a value). The
//   JSON of a file is made again from the file (`taizhang facts --json`).
// - A report's detail rows (headings, quantities, plan items, relations,
//   findings; some 230 per report) no longer check their report_id against
//   reports row by row: on PostgreSQL that foreign key check was half the
//   server's time of an import (a lookup per row). They are only ever
//   written by the import, in the transaction that writes their report, and
//   `ledger verify` finds rows of no report and counts every report's rows.
//   Ledger items keep theirs. (SQLite cannot drop a constraint: the five
//   tables are made again and their rows copied.)
// - quantities_measured indexed a column no query asks for.
constexpr const char* kV6Common = R"SQL(
ALTER TABLE sources DROP COLUMN outline_json;
ALTER TABLE sources DROP COLUMN facts_json;
ALTER TABLE sources DROP COLUMN check_json;
DROP INDEX quantities_measured;
)SQL";

constexpr const char* kV6Postgres = R"SQL(
ALTER TABLE headings DROP CONSTRAINT headings_report_id_fkey;
ALTER TABLE quantities DROP CONSTRAINT quantities_report_id_fkey;
ALTER TABLE plan_items DROP CONSTRAINT plan_items_report_id_fkey;
ALTER TABLE relations DROP CONSTRAINT relations_report_id_fkey;
ALTER TABLE findings DROP CONSTRAINT findings_report_id_fkey;
)SQL";

constexpr const char* kV6Sqlite = R"SQL(
CREATE TABLE headings_v6 (
  report_id BIGINT NOT NULL,
  idx INTEGER NOT NULL,
  line INTEGER NOT NULL,
  col INTEGER NOT NULL,
  depth INTEGER NOT NULL,
  parent_idx INTEGER NOT NULL,
  marker TEXT NOT NULL,
  marker_kind TEXT NOT NULL,
  title TEXT NOT NULL,
  section_kind TEXT NOT NULL,
  section_year INTEGER NOT NULL,
  PRIMARY KEY (report_id, idx)
);
INSERT INTO headings_v6 SELECT * FROM headings;
DROP TABLE headings;
ALTER TABLE headings_v6 RENAME TO headings;
CREATE TABLE quantities_v6 (
  report_id BIGINT NOT NULL,
  idx INTEGER NOT NULL,
  line INTEGER NOT NULL,
  col INTEGER NOT NULL,
  text TEXT NOT NULL,
  value TEXT NOT NULL,
  high TEXT NOT NULL,
  unit TEXT NOT NULL,
  kind TEXT NOT NULL,
  approx TEXT NOT NULL,
  placeholder INTEGER NOT NULL,
  malformed INTEGER NOT NULL,
  measured TEXT NOT NULL,
  role TEXT NOT NULL,
  change TEXT NOT NULL,
  PRIMARY KEY (report_id, idx)
);
INSERT INTO quantities_v6 SELECT * FROM quantities;
DROP TABLE quantities;
ALTER TABLE quantities_v6 RENAME TO quantities;
CREATE TABLE plan_items_v6 (
  report_id BIGINT NOT NULL,
  idx INTEGER NOT NULL,
  line INTEGER NOT NULL,
  col INTEGER NOT NULL,
  text TEXT NOT NULL,
  subject TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  target_text TEXT NOT NULL,
  target_value TEXT NOT NULL,
  target_unit TEXT NOT NULL,
  target_approx TEXT NOT NULL,
  deadline TEXT NOT NULL,
  recurrence TEXT NOT NULL,
  strength TEXT NOT NULL,
  owner TEXT NOT NULL,
  assessable INTEGER NOT NULL,
  PRIMARY KEY (report_id, idx)
);
INSERT INTO plan_items_v6 SELECT * FROM plan_items;
DROP TABLE plan_items;
ALTER TABLE plan_items_v6 RENAME TO plan_items;
CREATE TABLE relations_v6 (
  report_id BIGINT NOT NULL,
  idx INTEGER NOT NULL,
  family TEXT NOT NULL,
  status TEXT NOT NULL,
  line INTEGER NOT NULL,
  statement TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (report_id, idx)
);
INSERT INTO relations_v6 SELECT * FROM relations;
DROP TABLE relations;
ALTER TABLE relations_v6 RENAME TO relations;
CREATE TABLE findings_v6 (
  report_id BIGINT NOT NULL,
  idx INTEGER NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  line INTEGER NOT NULL,
  col INTEGER NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (report_id, idx)
);
INSERT INTO findings_v6 SELECT * FROM findings;
DROP TABLE findings;
ALTER TABLE findings_v6 RENAME TO findings;
)SQL";


// Accounts and security (src/access/, issue 21): units as a tree, users with
// roles, password history, the security policy, sessions, login guards
// (failures per login name, known or not), rate-limit counters and the
// audit log. Times here are Unix seconds (BIGINT) where they are compared
// (sessions, locks, counters) and ISO 8601 UTC text in the audit log, as in
// the history. Roles are a bit set (access.h Role): 1 系统管理员, 2 安全管理员,
// 4 审计管理员, 8 督查员, 16 填报员, 32 查看; no account holds two of the first
// three (三员分立), whoever writes the row. The audit log is append-only:
// no UPDATE ever, and a DELETE only of rows older than 180 days (the least
// retention); on PostgreSQL no TRUNCATE either.
constexpr const char* kV7Common = R"SQL(
CREATE TABLE access_units (
  id {ID},
  name TEXT NOT NULL UNIQUE,
  parent_id BIGINT REFERENCES access_units(id),
  aliases TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE TABLE access_users (
  id {ID},
  name TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  roles INTEGER NOT NULL CHECK ((roles & 1) + ((roles / 2) & 1) + ((roles / 4) & 1) <= 1),
  unit_id BIGINT REFERENCES access_units(id),
  scope_unit_id BIGINT REFERENCES access_units(id),
  password_hash TEXT NOT NULL,
  password_set_at BIGINT NOT NULL,
  must_change_password INTEGER NOT NULL,
  disabled INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE TABLE access_password_history (
  id {ID},
  user_id BIGINT NOT NULL REFERENCES access_users(id),
  set_at BIGINT NOT NULL,
  password_hash TEXT NOT NULL
);
CREATE INDEX access_password_history_user ON access_password_history (user_id);
CREATE TABLE access_policy (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
CREATE TABLE access_sessions (
  id {ID},
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES access_users(id),
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  address TEXT NOT NULL
);
CREATE INDEX access_sessions_user ON access_sessions (user_id);
CREATE TABLE access_login_guard (
  login TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  locked_until BIGINT NOT NULL
);
CREATE TABLE access_rate_counters (
  counter_key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  hits BIGINT NOT NULL
);
CREATE TABLE audit_log (
  id {ID},
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  address TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
)SQL";

constexpr const char* kV7Sqlite = R"SQL(
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-180 days')
BEGIN SELECT RAISE(ABORT, '审计日志只能追加，保存未满 180 天的不能删除'); END;
)SQL";

constexpr const char* kV7Postgres = R"SQL(
CREATE FUNCTION taizhang_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.at <= to_char((now() AT TIME ZONE 'UTC') - interval '180 days', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION '审计日志只能追加，不能修改，保存未满 180 天的不能删除';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION taizhang_audit_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION taizhang_audit_append_only();
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_append_only;
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_truncate;
)SQL";

// Indexes no query uses (EXPLAIN QUERY PLAN of every `ledger list` filter
// and of the import's lookups, bench/README.md): a due date is only ever
// asked of unfinished accepted items, which ledger_items_open_deadline
// (version 5) holds. Each index of ledger_items cost an import about 4% of
// its CPU (36,000 items for 1000 reports).
constexpr const char* kV8Common = R"SQL(
DROP INDEX IF EXISTS ledger_items_deadline;
DROP INDEX IF EXISTS ledger_items_due;
)SQL";

// Version 9 (7 is the accounts of the access layer, 8 dropped two indexes): the server's analysis
// jobs, so that every `taizhang serve` process on one database sees every
// job. Written whole on every change; no history (a job is not ledger data).
const char* const kV9Common = R"SQL(
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  upload TEXT NOT NULL,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  progress INTEGER NOT NULL,
  result TEXT NOT NULL,
  error TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL
);
CREATE INDEX jobs_by_state ON jobs (state, created_ms);
)SQL";

// Version 10: evidence attached to a progress entry — files uploaded to the
// server (kept under its data directory by the SHA-256 of their content),
// each with the name it was given (a label for downloads, never a path).
// Written in the progress entry's transaction; rows are never changed.
const char* const kV10Common = R"SQL(
CREATE TABLE progress_attachments (
  id {ID},
  progress_id BIGINT NOT NULL REFERENCES progress(id),
  item_id BIGINT NOT NULL REFERENCES ledger_items(id),
  sha256 TEXT NOT NULL,
  name TEXT NOT NULL,
  size BIGINT NOT NULL
);
CREATE INDEX progress_attachments_item ON progress_attachments (item_id, sha256);
)SQL";

// Version 11: units can be disabled (kept in the tree, no longer assignable);
// every job records the server process running it (runner), and each serve
// process keeps a row in server_processes with a heartbeat, so that a
// process starting (or sweeping) fails only the unfinished jobs of
// processes whose heartbeat has stopped — never those of another live
// process on the same PostgreSQL.
const char* const kV11Common = R"SQL(
ALTER TABLE access_units ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN runner TEXT NOT NULL DEFAULT '';
CREATE TABLE server_processes (
  runner TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  pid BIGINT NOT NULL,
  started_ms BIGINT NOT NULL,
  heartbeat_ms BIGINT NOT NULL
);
)SQL";

// Version 12: the server's item list, paged and counted in the database
// (bench/ledger_bench pages, EXPLAIN in bench/README.md), each filter a
// range of one index that also holds the count's columns:
// - the 牵头单位 a scope's filter names, and lists one seek each (ItemUnitTexts);
// - by kind and by status, with the review state: equal on both, the rows
//   come in id order (a page stops after 50) and the count reads the index
//   only (status alone is replaced);
// - by deadline, items without one last: the order of `sort=deadline`
//   (ORDER BY (deadline = ''), deadline, review, id) and a deadline window
//   ((deadline = '') IS FALSE AND deadline BETWEEN …), without a table row;
// - by last change (`sort=updated`);
// - a scope's 责任单位 (unit IN …) with the review state, status and
//   deadline, so that its count and the ids of its page read no table row.
const char* const kV12Common = R"SQL(
CREATE INDEX ledger_items_lead_unit ON ledger_items (lead_unit);
CREATE INDEX ledger_items_unit_state ON ledger_items (unit, review, status, deadline);
CREATE INDEX ledger_items_kind_review ON ledger_items (kind, review);
CREATE INDEX ledger_items_status_review ON ledger_items (status, review);
DROP INDEX IF EXISTS ledger_items_status;
CREATE INDEX ledger_items_by_deadline ON ledger_items ((deadline = ''), deadline, review, id);
CREATE INDEX ledger_items_updated ON ledger_items (updated_at, id);
)SQL";

// Version 13: reminders (催办, src/remind/). Channels (DingTalk and WeCom
// group robots, SMTP mail, a JSON webhook) with their secrets; rules (days
// before a deadline, the day itself, every N days overdue or awaiting
// close-off, a digest per unit); and the log of every reminder. A log row
// is claimed before its message is sent: its UNIQUE key (rule, item or
// digest unit, occasion, channel) lets only one process — of several
// servers and cron runs on one database — insert it, and a failed one is
// taken again only by the process that moves its attempt count on.
const char* const kV13Common = R"SQL(
CREATE TABLE reminder_channels (
  id {ID},
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  login TEXT NOT NULL,
  sender TEXT NOT NULL,
  recipients TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE TABLE reminder_rules (
  id {ID},
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  days INTEGER NOT NULL,
  scope_unit TEXT NOT NULL,
  channels TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE TABLE reminder_log (
  id {ID},
  rule_id BIGINT NOT NULL REFERENCES reminder_rules(id),
  item_id BIGINT NOT NULL,
  unit TEXT NOT NULL,
  occasion TEXT NOT NULL,
  channel_id BIGINT NOT NULL REFERENCES reminder_channels(id),
  recipient TEXT NOT NULL,
  state TEXT NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  message TEXT NOT NULL,
  created_at TEXT NOT NULL,
  sent_at TEXT NOT NULL,
  runner TEXT NOT NULL,
  claimed_until BIGINT NOT NULL,
  next_attempt BIGINT NOT NULL,
  UNIQUE (rule_id, item_id, unit, occasion, channel_id)
);
CREATE INDEX reminder_log_item ON reminder_log (item_id, id);
)SQL";

// Version 14: the secret links of the calendar feed (GET
// /api/v1/calendar/{token}.ics): a random token handed out once and kept
// only as its hash, like a session's; the feed shows what its owner may
// read at the time it is fetched. Revoking deletes the row.
const char* const kV14Common = R"SQL(
CREATE TABLE calendar_links (
  id {ID},
  user_id BIGINT NOT NULL REFERENCES access_users(id),
  token_hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT NOT NULL
);
CREATE INDEX calendar_links_user ON calendar_links (user_id, id);
)SQL";

}  // namespace

const char* HistoryTriggersSqlite() { return kV1Sqlite; }

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> migrations = {
      {1, "reports, figures, plan items, ledger, progress, history", kV1Common, kV1Sqlite,
       kV1Postgres},
      {2, "indexes for listing by unit and year, deadline, status", kV2Common, "", ""},
      {3, "history as a hash chain", kV3Common, "", kV3Postgres, HashExistingHistory},
      {4, "review of proposed items; lead unit, supporting units, person responsible", kV4Common, "", ""},
      {5, "index of unfinished accepted items by deadline", kV5Common, "", ""},
      {6, "no whole files' JSON in sources; report details without row-by-row foreign key checks", kV6Common,
       kV6Sqlite, kV6Postgres},
      {7, "accounts, units, roles, sessions, login guards, rate counters, audit log", kV7Common, kV7Sqlite,
       kV7Postgres},
      {8, "no indexes of ledger items by deadline alone or by kind and deadline", kV8Common, "", ""},
      {9, "analysis jobs of the server", kV9Common, "", ""},
      {10, "evidence files attached to progress entries", kV10Common, "", ""},
      {11, "disabled units; the server process of each job, with heartbeats", kV11Common, "", ""},
      {12, "indexes for the server's item list: by lead unit, unit and state, kind, status, deadline order, last change", kV12Common,
       "", ""},
      {13, "reminders: channels, rules and the log of every reminder sent", kV13Common, "", ""},
      {14, "secret links of the calendar feed of deadlines", kV14Common, "", ""},
  };
  return migrations;
}

std::string MigrationScript(const Migration& migration, Dialect dialect) {
  const std::string id_type = dialect == Dialect::kSqlite ? "INTEGER PRIMARY KEY"
                                                          : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
  std::string script = migration.common;
  for (size_t at = script.find("{ID}"); at != std::string::npos; at = script.find("{ID}", at)) {
    script.replace(at, 4, id_type);
  }
  script += dialect == Dialect::kSqlite ? migration.sqlite : migration.postgres;
  return script;
}

}  // namespace taizhang::ledger_internal
