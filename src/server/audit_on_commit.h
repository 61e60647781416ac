// AuditOnCommit: the success audit row of a change written inside the
// change's own transaction (LedgerStore::set_before_commit), so that the
// two commit together or not at all. Used by the routes of items and of
// reminder settings.
#ifndef TAIZHANG_SERVER_AUDIT_ON_COMMIT_H_
#define TAIZHANG_SERVER_AUDIT_ON_COMMIT_H_

#include <cstdio>
#include <utility>
#include <vector>

#include "ledger/ledger.h"

namespace taizhang::server_internal {

// The success audit row of one change written inside the change's own
// transaction (LedgerStore::set_before_commit), on the same connection: the
// change and its audit row commit together or not at all. A failure to
// write it undoes the change (the caller answers 500).
class AuditOnCommit {
 public:
  AuditOnCommit(LedgerStore& ledger, LedgerStore::CommitHook hook)
      : ledger_(ledger), was_(ledger.set_before_commit(Internal(std::move(hook)))) {}
  ~AuditOnCommit() { ledger_.set_before_commit(std::move(was_)); }
  AuditOnCommit(const AuditOnCommit&) = delete;
  AuditOnCommit& operator=(const AuditOnCommit&) = delete;

 private:
  // Whatever the store says about the failed insert (a constraint, a
  // trigger's own words), the answer is the server's failure, in Chinese.
  static LedgerStore::CommitHook Internal(LedgerStore::CommitHook hook) {
    return [hook = std::move(hook)](const std::vector<LedgerItem>& written) {
      Status s = hook(written);
      if (s.ok()) return s;
      // The store's words stay in the server's log, not in the answer.
      std::fprintf(stderr, "taizhang serve：审计日志写入失败，修改已撤销：%s\n", s.message().c_str());
      return Status(StatusCode::kInternal, "审计日志写不进去，这次修改没有保存，请稍后再试或联系管理员。");
    };
  }

  LedgerStore& ledger_;
  LedgerStore::CommitHook was_;
};

}  // namespace taizhang::server_internal

#endif  // TAIZHANG_SERVER_AUDIT_ON_COMMIT_H_
