// Fault injection for the server's tests (tests only): a trigger that makes
// the audit insert of one action fail, on SQLite and PostgreSQL.
#ifndef TAIZHANG_SERVER_FAIL_AUDIT_TEST_UTIL_H_
#define TAIZHANG_SERVER_FAIL_AUDIT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ledger/database.h"
#include "server/server_test_util.h"

namespace taizhang::server_test {

// A trigger in the database refuses the success audit rows of `action`
// (the audit insert fails inside the change's transaction) until removed.
inline void FailAuditOf(LiveServer& server, const std::string& action, bool fail) {
  server.WithStore([&](LedgerStore& ledger, AccessStore&, const Principal&) {
    ledger_internal::Database* db = ledger.database();
    std::vector<std::string> sql;
    if (db->dialect() == ledger_internal::Dialect::kSqlite) {
      sql = fail ? std::vector<std::string>{"CREATE TRIGGER test_fail_audit BEFORE INSERT ON audit_log "
                                            "WHEN NEW.action = '" + action + "' AND NEW.outcome = 'success' "
                                            "BEGIN SELECT RAISE(ABORT, 'forced audit failure'); END"}
                 : std::vector<std::string>{"DROP TRIGGER test_fail_audit"};
    } else {
      sql = fail ? std::vector<std::string>{"CREATE FUNCTION test_fail_audit() RETURNS trigger AS $$ BEGIN "
                                            "IF NEW.action = '" + action + "' AND NEW.outcome = 'success' THEN "
                                            "RAISE EXCEPTION 'forced audit failure'; END IF; RETURN NEW; END $$ "
                                            "LANGUAGE plpgsql",
                                            "CREATE TRIGGER test_fail_audit BEFORE INSERT ON audit_log FOR EACH ROW "
                                            "EXECUTE FUNCTION test_fail_audit()"}
                 : std::vector<std::string>{"DROP TRIGGER test_fail_audit ON audit_log",
                                            "DROP FUNCTION test_fail_audit()"};
    }
    for (const std::string& statement : sql) {
      Status s = db->ExecuteScript(statement);
      ASSERT_TRUE(s.ok()) << s.message();
    }
  });
}

}  // namespace taizhang::server_test

#endif  // TAIZHANG_SERVER_FAIL_AUDIT_TEST_UTIL_H_
