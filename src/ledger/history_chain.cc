// The history's hash chain: hashing, appending, the migration of older rows,
// and the walk that verifies it.
#include "ledger/history_chain.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "ledger/ledger.h"
#include "ledger/schema.h"

namespace taizhang::ledger_internal {

namespace {

// Any constant other than Migrate's own (727420601).
constexpr int64_t kChainLockKey = kWriterLockKey;  // taken again: a no-op if Begin took it

constexpr const char* kHashVersion = "taizhang-history-1\n";

void AppendNetstring(std::string_view field, std::string* out) {
  *out += std::to_string(field.size());
  *out += ':';
  *out += field;
  *out += ',';
}

// The row the next one chains onto: (0, "") for an empty history.
Status ReadHead(Database* db, int64_t* id, std::string* hash) {
  std::vector<Row> rows;
  Status s = db->Execute("SELECT id, hash FROM history ORDER BY id DESC LIMIT 1", {}, &rows);
  if (!s.ok()) return s;
  *id = rows.empty() ? 0 : rows[0].Int(0);
  *hash = rows.empty() ? std::string() : rows[0].Text(1);
  return Status::Ok();
}

std::string RowName(int64_t id) { return "第 " + std::to_string(id) + " 条历史记录"; }

}  // namespace

std::string HistoryHash(const HistoryRecord& record, std::string_view previous_hash) {
  std::string text = kHashVersion;
  text.reserve(text.size() + record.at.size() + record.actor.size() + record.before.size() +
               record.after.size() + previous_hash.size() + 96);
  AppendNetstring(record.at, &text);
  AppendNetstring(record.actor, &text);
  AppendNetstring(record.entity, &text);
  AppendNetstring(std::to_string(record.entity_id), &text);
  AppendNetstring(record.action, &text);
  AppendNetstring(record.before, &text);
  AppendNetstring(record.after, &text);
  AppendNetstring(previous_hash, &text);
  return ContentHash(text);
}

Status AppendHistory(Database* db, const std::vector<HistoryRecord>& records) {
  if (records.empty()) return Status::Ok();
  Status s;
  if (db->dialect() == Dialect::kPostgres) {
    s = db->Execute("SELECT pg_advisory_xact_lock(" + std::to_string(kChainLockKey) + ")", {});
    if (!s.ok()) return s;
  }
  int64_t head_id = 0;
  std::string previous;
  s = ReadHead(db, &head_id, &previous);
  if (!s.ok()) return s;
  if (db->dialect() == Dialect::kSqlite) {
    // One row per statement, always the same text: compiled once per
    // connection and reused (in the process, no round trip), and without
    // RETURNING (Database::InsertId). A statement of as many rows as the
    // records was compiled anew for nearly every file, each row count its
    // own text.
    int64_t last_id = head_id;
    for (const HistoryRecord& r : records) {
      std::string hash = HistoryHash(r, previous);
      int64_t id = 0;
      s = db->InsertId(
          "INSERT INTO history (at, actor, entity, entity_id, action, before_json, after_json, previous_hash, "
          "hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {Value(r.at), Value(r.actor), Value(r.entity), Value(r.entity_id), Value(r.action), Value(r.before),
           Value(r.after), Value(previous), Value(hash)},
          &id);
      if (!s.ok()) return s;
      // The chain is read in id order: each row's id must follow the one before.
      if (id <= last_id) {
        return Status(StatusCode::kInternal, "历史记录的编号顺序与哈希链的顺序不一致，未保存。");
      }
      last_id = id;
      previous = std::move(hash);
    }
    return Status::Ok();
  }
  // PostgreSQL: the ids from the identity's sequence in one round trip
  // (under the chain's lock, so no other writer takes ids in between that
  // it chains before these), then the rows through COPY with them. A
  // multi-row INSERT of as many rows as the records was a new statement for
  // the server to parse and plan for nearly every file (its own row count).
  std::vector<Row> rows;
  s = db->Execute("SELECT nextval(pg_get_serial_sequence('history', 'id')) FROM generate_series(1, ?)",
                  {Value(static_cast<int64_t>(records.size()))}, &rows);
  if (!s.ok()) return s;
  std::vector<int64_t> ids;
  ids.reserve(rows.size());
  for (const Row& r : rows) ids.push_back(std::strtoll(r.Text(0).c_str(), nullptr, 10));
  std::sort(ids.begin(), ids.end());
  // The chain is read in id order: the ids must follow the head, in the
  // order the rows are chained in.
  if (ids.size() != records.size() || (!ids.empty() && ids.front() <= head_id)) {
    return Status(StatusCode::kInternal, "历史记录的编号顺序与哈希链的顺序不一致，未保存。");
  }
  // In pieces, so that a large batch (an Excel ledger of 100,000 items)
  // is not held whole a second and third time as rows and as the module's
  // copy of them.
  constexpr size_t kRowsPerCopy = 2000;
  const std::vector<const char*> columns = {"id",     "at",          "actor",      "entity",        "entity_id",
                                            "action", "before_json", "after_json", "previous_hash", "hash"};
  std::vector<std::vector<Value>> copy;
  for (size_t begin = 0; begin < records.size(); begin += kRowsPerCopy) {
    const size_t end = std::min(records.size(), begin + kRowsPerCopy);
    copy.clear();
    copy.reserve(end - begin);
    for (size_t i = begin; i < end; ++i) {
      const HistoryRecord& r = records[i];
      std::string hash = HistoryHash(r, previous);
      copy.push_back({Value(ids[i]), Value(r.at), Value(r.actor), Value(r.entity), Value(r.entity_id),
                      Value(r.action), Value(r.before), Value(r.after), Value(previous), Value(hash)});
      previous = std::move(hash);
    }
    s = db->CopyRows("history", columns, copy);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status HashExistingHistory(Database* db) {
  std::vector<Row> rows;
  Status s = db->Execute(
      "SELECT id, at, actor, entity, entity_id, action, before_json, after_json FROM history ORDER "
      "BY id",
      {}, &rows);
  if (!s.ok() || rows.empty()) return s;
  const bool sqlite = db->dialect() == Dialect::kSqlite;
  s = db->ExecuteScript(sqlite ? "DROP TRIGGER history_no_update; DROP TRIGGER history_no_delete;"
                               : "ALTER TABLE history DISABLE TRIGGER history_append_only;");
  if (!s.ok()) return s;
  std::string previous;
  for (const Row& r : rows) {
    const HistoryRecord record{r.Text(1), r.Text(2), r.Text(3), r.Int(4),
                               r.Text(5), r.Text(6), r.Text(7)};
    const std::string hash = HistoryHash(record, previous);
    s = db->Execute("UPDATE history SET previous_hash = ?, hash = ? WHERE id = ?",
                    {Value(previous), Value(hash), Value(r.Int(0))});
    if (!s.ok()) return s;
    previous = hash;
  }
  return db->ExecuteScript(sqlite
                               ? HistoryTriggersSqlite()
                               : "ALTER TABLE history ENABLE ALWAYS TRIGGER history_append_only;");
}

Result<ChainWalk> WalkChain(Database* db) {
  ChainWalk walk;
  constexpr int64_t kPage = 5000;
  int64_t previous_id = 0;
  std::string previous_hash;
  for (;;) {
    std::vector<Row> rows;
    Status s = db->Execute(
        "SELECT id, at, actor, entity, entity_id, action, before_json, after_json, previous_hash, "
        "hash FROM history "
        "WHERE id > ? ORDER BY id LIMIT ?",
        {Value(walk.head_id), Value(kPage)}, &rows);
    if (!s.ok()) return s;
    for (const Row& r : rows) {
      ChainRow row{
          r.Int(0),
          HistoryRecord{r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Text(5), r.Text(6), r.Text(7)},
          r.Text(8), r.Text(9)};
      if (HistoryHash(row.record, row.previous_hash) != row.hash) {
        walk.problems.push_back(RowName(row.id) + "的哈希不符：写入后内容被改过（操作人 " +
                                row.record.actor + "，时间 " + row.record.at + "）");
      } else if (row.previous_hash != previous_hash) {
        walk.problems.push_back(RowName(row.id) + "与前一条接不上：" +
                                (previous_id == 0
                                     ? std::string("它之前本应没有记录")
                                     : "它记下的前一条哈希不是" + RowName(previous_id) + "的哈希") +
                                "，其间的历史记录被删除、插入或改写过");
      }
      ++walk.rows;
      previous_id = row.id;
      previous_hash = row.hash;
      walk.head_id = row.id;
      walk.head_hash = row.hash;
    }
    if (static_cast<int64_t>(rows.size()) < kPage) break;
  }
  return walk;
}

Result<std::vector<std::string>> CheckHistoryTriggers(Database* db) {
  struct Expected {
    const char* name;
    const char* guard;  // text the trigger (or its function) must contain
  };
  const bool sqlite = db->dialect() == Dialect::kSqlite;
  static constexpr Expected kSqlite[] = {{"history_no_update", "RAISE(ABORT"},
                                         {"history_no_delete", "RAISE(ABORT"}};
  static constexpr Expected kPostgres[] = {{"history_append_only", "RAISE EXCEPTION"},
                                           {"history_no_truncate", "RAISE EXCEPTION"}};
  std::vector<Row> rows;
  // name, how it fires ("A": always; SQLite's fire always), the text that stops the change.
  Status s = db->Execute(
      sqlite ? "SELECT name, 'A', sql FROM sqlite_master WHERE type = 'trigger' AND "
               "tbl_name = 'history'"
             : "SELECT t.tgname, t.tgenabled, p.prosrc FROM pg_trigger t JOIN pg_proc p ON "
               "p.oid = t.tgfoid WHERE t.tgrelid = 'history'::regclass AND NOT t.tgisinternal",
      {}, &rows);
  if (!s.ok()) return s;
  std::vector<std::string> problems;
  const Expected* begin = sqlite ? std::begin(kSqlite) : std::begin(kPostgres);
  const Expected* end = sqlite ? std::end(kSqlite) : std::end(kPostgres);
  for (const Expected* e = begin; e != end; ++e) {
    auto found =
        std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.Text(0) == e->name; });
    std::string why;
    if (found == rows.end()) {
      why = "不存在（被删除）";
    } else if (found->Text(1) != "A") {
      why = found->Text(1) == "D" ? "被停用"
                                  : "不是始终生效（会话设置 session_replication_role 即可绕过）";
    } else if (found->Text(2).find(e->guard) == std::string::npos) {
      why = "被改动，已不再拒绝修改";
    }
    if (!why.empty()) {
      problems.push_back(std::string("历史表的保护触发器 ") + e->name + " " + why +
                         "：历史记录可被直接修改或删除");
    }
  }
  return problems;
}

}  // namespace taizhang::ledger_internal
