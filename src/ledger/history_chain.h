// The history as a hash chain (internal to ledger/): every history row
// carries the SHA-256 of its content and of the row before it, so that a row
// changed, removed or put in between after it was written shows — unless
// the whole chain after it was rewritten, which only a head recorded
// elsewhere (HistoryHead) reveals.
//
// The hash of a row is SHA-256 (hex) over "taizhang-history-1\n" followed by
// at, actor, entity, entity_id (decimal), action, before_json, after_json and
// the previous row's hash, each as a netstring ("<byte length>:<bytes>,"),
// so no two different rows hash the same text. The first row's previous
// hash is "".
#ifndef TAIZHANG_LEDGER_HISTORY_CHAIN_H_
#define TAIZHANG_LEDGER_HISTORY_CHAIN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ledger/database.h"

namespace taizhang::ledger_internal {

// One history row as written (without its id and hashes).
struct HistoryRecord {
  std::string at;
  std::string actor;
  std::string entity;  // "item" "source"
  int64_t entity_id = 0;
  std::string action;
  std::string before;  // JSON or ""
  std::string after;
};

std::string HistoryHash(const HistoryRecord& record, std::string_view previous_hash);

// Appends `records`, in order, to the chain: reads its head, hashes each
// record onto the one before, inserts them in a few statements. Call it
// inside the caller's write transaction, after the transaction's other
// writes: on SQLite the transaction is exclusive (BEGIN IMMEDIATE); on
// PostgreSQL it first takes a transaction-level advisory lock, so two
// writers never chain onto the same row, and the lock is held only until
// the commit that follows.
Status AppendHistory(Database* db, const std::vector<HistoryRecord>& records);

// The migration step that hashes the rows written before the chain existed,
// in id order (the append-only triggers are lifted for it and put back as
// they were, in the same transaction).
Status HashExistingHistory(Database* db);

// One stored row as the chain walk reads it.
struct ChainRow {
  int64_t id = 0;
  HistoryRecord record;
  std::string previous_hash;
  std::string hash;
};

// What walking the chain found.
struct ChainWalk {
  int64_t rows = 0;
  int64_t head_id = 0;  // the last row, 0 for none
  std::string head_hash;
  // Chinese, in id order: rows whose hash is not that of their content, rows
  // whose previous hash is not the hash of the row before them.
  std::vector<std::string> problems;
};

// Reads every history row in id order (in pages) and checks each against
// its hash and the row before it.
Result<ChainWalk> WalkChain(Database* db);

// Chinese problems when the triggers that keep the history append-only are
// missing, disabled or changed.
Result<std::vector<std::string>> CheckHistoryTriggers(Database* db);

}  // namespace taizhang::ledger_internal

#endif  // TAIZHANG_LEDGER_HISTORY_CHAIN_H_
