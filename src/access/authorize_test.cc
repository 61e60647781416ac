// The authorisation matrix: every role × scope (own unit, a unit below it,
// a unit outside) × action, against a table written here by hand from the
// rules of issue 21 (not read from the implementation's table); then the
// rules that cut across it (销号 by the submitter, a forced password change,
// nobody logged in, several roles), the unit tree and the password policy.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "access/access.h"

namespace taizhang {
namespace {

// 县(1) → 水利局(2) → 办公室(3); 农业局(4) beside 水利局; 某镇(5) under the county.
UnitTree SampleTree() {
  return UnitTree({{1, "某县", 0, {"某县人民政府"}},
                   {2, "县水利局", 1, {"某县水利局"}},
                   {3, "县水利局办公室", 2, {}},
                   {4, "县农业农村局", 1, {}},
                   {5, "某镇", 1, {"某镇人民政府"}}});
}

// A principal of one role, belonging to 县水利局 and overseeing its subtree.
Principal Of(UserRole role) {
  Principal p;
  p.user_id = 7;
  p.name = "u7";
  p.roles = RoleBit(role);
  p.unit_id = 2;
  p.scope_unit_id = 2;
  p.scope_units = SampleTree().Subtree(2);
  return p;
}

enum Where { kOwn, kBelow, kOutside };
Resource At(Where where) {
  Resource r;
  r.units = {where == kOwn ? int64_t{2} : where == kBelow ? int64_t{3} : int64_t{4}};
  r.submitted_by = "someone-else";
  return r;
}

// Per action, per role (系统 安全 审计 督查 填报 查看), three letters for own
// unit / a unit below / a unit outside: Y allowed, n refused.
struct Expected {
  Action action;
  const char* roles[6];
};

const Expected kMatrix[] = {
    //                                   sys     sec     aud     sup     rep     view
    {Action::kListItems,             {"nnn", "nnn", "nnn", "YYn", "Ynn", "YYn"}},
    {Action::kReadItem,              {"nnn", "nnn", "nnn", "YYn", "Ynn", "YYn"}},
    {Action::kCreateItem,            {"nnn", "nnn", "nnn", "YYn", "nnn", "nnn"}},
    {Action::kUpdateItem,            {"nnn", "nnn", "nnn", "YYn", "nnn", "nnn"}},
    {Action::kReportProgress,        {"nnn", "nnn", "nnn", "nnn", "Ynn", "nnn"}},
    {Action::kSubmitRectification,   {"nnn", "nnn", "nnn", "nnn", "Ynn", "nnn"}},
    {Action::kCloseOff,              {"nnn", "nnn", "nnn", "YYn", "nnn", "nnn"}},
    {Action::kReviewProposals,       {"nnn", "nnn", "nnn", "YYn", "nnn", "nnn"}},
    {Action::kUploadReport,          {"nnn", "nnn", "nnn", "YYn", "Ynn", "nnn"}},
    {Action::kReadReport,            {"nnn", "nnn", "nnn", "YYn", "Ynn", "YYn"}},
    {Action::kReadRates,             {"nnn", "nnn", "nnn", "YYn", "Ynn", "YYn"}},
    {Action::kCompare,               {"nnn", "nnn", "nnn", "YYn", "Ynn", "YYn"}},
    {Action::kExportLedger,          {"nnn", "nnn", "nnn", "YYn", "Ynn", "YYn"}},
    {Action::kImportLedger,          {"nnn", "nnn", "nnn", "YYn", "nnn", "nnn"}},
    {Action::kListUnits,             {"YYY", "YYY", "YYY", "YYY", "YYY", "YYY"}},
    {Action::kManageUnits,           {"YYY", "nnn", "nnn", "nnn", "nnn", "nnn"}},
    {Action::kListUsers,             {"YYY", "YYY", "nnn", "nnn", "nnn", "nnn"}},
    {Action::kManageUsers,           {"YYY", "nnn", "nnn", "nnn", "nnn", "nnn"}},
    {Action::kSecurityPolicy,        {"nnn", "YYY", "nnn", "nnn", "nnn", "nnn"}},
    {Action::kUnlockUser,            {"nnn", "YYY", "nnn", "nnn", "nnn", "nnn"}},
    {Action::kReadAuditLog,          {"nnn", "nnn", "YYY", "nnn", "nnn", "nnn"}},
    {Action::kExportAuditLog,        {"nnn", "nnn", "YYY", "nnn", "nnn", "nnn"}},
    {Action::kPurgeAuditLog,         {"nnn", "nnn", "YYY", "nnn", "nnn", "nnn"}},
    {Action::kBackup,                {"YYY", "nnn", "nnn", "nnn", "nnn", "nnn"}},
    {Action::kManageReminderChannels, {"YYY", "nnn", "nnn", "nnn", "nnn", "nnn"}},
    {Action::kManageReminderRules,   {"nnn", "nnn", "nnn", "YYn", "nnn", "nnn"}},
    {Action::kReadOwnAccount,        {"YYY", "YYY", "YYY", "YYY", "YYY", "YYY"}},
    {Action::kChangeOwnPassword,     {"YYY", "YYY", "YYY", "YYY", "YYY", "YYY"}},
    {Action::kLogout,                {"YYY", "YYY", "YYY", "YYY", "YYY", "YYY"}},
};

TEST(Authorize, EveryRoleScopeAndActionAsTheTableSays) {
  const UserRole roles[6] = {UserRole::kSystemAdmin, UserRole::kSecurityAdmin, UserRole::kAuditAdmin,
                         UserRole::kSupervisor,  UserRole::kReporter,      UserRole::kViewer};
  std::map<Action, int> seen;
  int checked = 0;
  for (const Expected& row : kMatrix) {
    ++seen[row.action];
    for (int r = 0; r < 6; ++r) {
      for (Where where : {kOwn, kBelow, kOutside}) {
        const bool expected = row.roles[r][where] == 'Y';
        const Decision d = Authorize(Of(roles[r]), row.action, At(where));
        EXPECT_EQ(d.allowed, expected) << ActionName(row.action) << " by " << RoleName(roles[r]) << " on "
                                       << (where == kOwn ? "own unit" : where == kBelow ? "unit below" : "outside")
                                       << ": " << d.reason;
        if (!d.allowed) { EXPECT_FALSE(d.reason.empty()); }
        ++checked;
      }
    }
  }
  // Every action is in the table once.
  EXPECT_EQ(seen.size(), AllActions().size());
  for (Action action : AllActions()) EXPECT_EQ(seen[action], 1) << ActionName(action);
  EXPECT_EQ(checked, static_cast<int>(AllActions().size()) * 6 * 3);
}

TEST(Authorize, ListOverTheWholeScopeIsForThoseWithAScope) {
  Resource whole;  // no unit named: the principal's own scope, filtered after
  EXPECT_TRUE(Authorize(Of(UserRole::kSupervisor), Action::kListItems, whole));
  EXPECT_TRUE(Authorize(Of(UserRole::kReporter), Action::kListItems, whole));
  EXPECT_FALSE(Authorize(Of(UserRole::kAuditAdmin), Action::kListItems, whole));
  Principal nowhere = Of(UserRole::kViewer);
  nowhere.unit_id = nowhere.scope_unit_id = 0;
  nowhere.scope_units.clear();
  EXPECT_FALSE(Authorize(nowhere, Action::kListItems, whole));
  EXPECT_FALSE(Authorize(nowhere, Action::kReadItem, At(kOwn)));
}

TEST(Authorize, CloseOffNeedsASupervisorWhoDidNotSubmit) {
  Principal both = Of(UserRole::kSupervisor);
  both.roles |= RoleBit(UserRole::kReporter);
  Resource item = At(kOwn);
  item.submitted_by = both.name;
  // The same person submitted (as 填报员) and would close off (as 督查员).
  EXPECT_TRUE(Authorize(both, Action::kSubmitRectification, item));
  Decision d = Authorize(both, Action::kCloseOff, item);
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.reason.find("另一位督查员"), std::string::npos) << d.reason;
  item.submitted_by = "另一人";
  EXPECT_TRUE(Authorize(both, Action::kCloseOff, item));
  // A reporter never closes off, even what someone else submitted.
  EXPECT_FALSE(Authorize(Of(UserRole::kReporter), Action::kCloseOff, item));
}

TEST(Authorize, ItemOfSeveralUnitsIsInScopeWhenOneIs) {
  Resource joint;
  joint.units = {4, 3};  // 农业局 and 水利局办公室 together
  EXPECT_TRUE(Authorize(Of(UserRole::kViewer), Action::kReadItem, joint));
  EXPECT_FALSE(Authorize(Of(UserRole::kReporter), Action::kReadItem, joint));  // not its own unit
  joint.units = {4, 2};
  EXPECT_TRUE(Authorize(Of(UserRole::kReporter), Action::kReportProgress, joint));
}

TEST(Authorize, ForcedPasswordChangeLeavesOnlyOnesOwnAccount) {
  Principal p = Of(UserRole::kSystemAdmin);
  p.must_change_password = true;
  for (Action action : AllActions()) {
    const bool own = action == Action::kReadOwnAccount || action == Action::kChangeOwnPassword ||
                     action == Action::kLogout;
    Decision d = Authorize(p, action, {});
    EXPECT_EQ(d.allowed, own) << ActionName(action);
    if (!own) { EXPECT_NE(d.reason.find("请先修改密码"), std::string::npos); }
  }
}

TEST(Authorize, NobodyLoggedInMayDoNothing) {
  Principal nobody;
  for (Action action : AllActions()) {
    Decision d = Authorize(nobody, action, {});
    EXPECT_FALSE(d.allowed) << ActionName(action);
    EXPECT_EQ(d.reason, "请先登录。");
  }
}

TEST(Authorize, RefusalsSayWhyInChinese) {
  EXPECT_EQ(Authorize(Of(UserRole::kViewer), Action::kUpdateItem, At(kOwn)).reason, "您的角色（查看）无权修改事项。");
  EXPECT_EQ(Authorize(Of(UserRole::kSupervisor), Action::kUpdateItem, At(kOutside)).reason,
            "无权对管辖范围以外的单位修改事项。");
}

TEST(Roles, ThreeAdministratorsAreApart) {
  const RoleSet sys = RoleBit(UserRole::kSystemAdmin), sec = RoleBit(UserRole::kSecurityAdmin),
                aud = RoleBit(UserRole::kAuditAdmin);
  EXPECT_EQ(RoleSetProblem(sys), "");
  EXPECT_EQ(RoleSetProblem(sys | RoleBit(UserRole::kSupervisor)), "");
  EXPECT_EQ(RoleSetProblem(RoleBit(UserRole::kSupervisor) | RoleBit(UserRole::kReporter)), "");
  for (RoleSet two : {sys | sec, sys | aud, sec | aud, sys | sec | aud}) {
    EXPECT_NE(RoleSetProblem(two).find("三者分立"), std::string::npos) << two;
  }
  EXPECT_NE(RoleSetProblem(0), "");
  EXPECT_NE(RoleSetProblem(64), "");
  for (UserRole role : AllRoles()) {
    EXPECT_EQ(ParseRole(RoleLabel(role)), role);
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  }
  EXPECT_EQ(ParseRole("管理员"), std::nullopt);
  EXPECT_EQ(RoleSetLabel(RoleBit(UserRole::kSupervisor) | RoleBit(UserRole::kReporter)), "督查员、填报员");
}

TEST(UnitTree, SubtreesAndPaths) {
  UnitTree tree = SampleTree();
  EXPECT_EQ(tree.Subtree(1), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(tree.Subtree(2), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(tree.Subtree(3), (std::vector<int64_t>{3}));
  EXPECT_TRUE(tree.Subtree(99).empty());
  EXPECT_EQ(tree.Path(3), "某县 / 县水利局 / 县水利局办公室");
}

TEST(UnitTree, LedgerNamesResolveToUnits) {
  UnitTree tree = SampleTree();
  EXPECT_EQ(tree.Resolve("县水利局"), 2);
  EXPECT_EQ(tree.Resolve("某县水利局"), 2);          // an alias
  EXPECT_EQ(tree.Resolve("某镇政府"), 5);            // the same place, another government suffix
  EXPECT_EQ(tree.Resolve("县水利局办公室"), 3);      // its own unit, not the longest start
  EXPECT_EQ(tree.Resolve("县水利局水政监察大队"), 2);  // the longest unit name it begins with
  EXPECT_EQ(tree.Resolve("市财政局"), 0);
  EXPECT_EQ(tree.Resolve(""), 0);
  LedgerItem item;
  item.unit = "县水利局、县农业农村局";
  EXPECT_EQ(tree.ItemUnits(item), (std::vector<int64_t>{2, 4}));
  item.unit = "县农业农村局";
  item.lead_unit = "县水利局办公室";
  EXPECT_EQ(tree.ItemUnits(item), (std::vector<int64_t>{4, 3}));
  // A unit the tree does not know belongs to the roots: only a scope over the whole county sees it.
  item.unit = "市财政局";
  item.lead_unit = "";
  EXPECT_EQ(tree.ItemUnits(item), (std::vector<int64_t>{1}));
}

TEST(Policy, DefaultsAndPasswordRules) {
  SecurityPolicy policy;
  EXPECT_EQ(policy.min_length, 8);
  EXPECT_EQ(policy.min_classes, 3);
  EXPECT_EQ(policy.history, 5);
  EXPECT_EQ(policy.max_failures, 5);
  EXPECT_EQ(policy.lockout_minutes, 15);
  EXPECT_EQ(policy.session_idle_minutes, 30);
  EXPECT_EQ(policy.session_absolute_hours, 12);
  EXPECT_EQ(PolicyProblem(policy), "");
  EXPECT_EQ(PasswordProblem(policy, "Abcdef12", "zhang"), "");
  EXPECT_EQ(PasswordProblem(policy, "水利Abc12", "zhang"), "密码至少要有 8 个字符。");
  EXPECT_EQ(PasswordProblem(policy, "水利局Abc12", "zhang"), "");  // Chinese characters are a class of their own
  EXPECT_NE(PasswordProblem(policy, "abcdefgh12", "zhang"), "");  // two classes
  EXPECT_NE(PasswordProblem(policy, "Abc1234", "zhang"), "");     // seven characters
  EXPECT_NE(PasswordProblem(policy, "zhangAB12", "zhang"), "");   // the login name inside
  EXPECT_NE(PasswordProblem(policy, std::string("Abcdef1\x01", 8), "zhang"), "");
  EXPECT_NE(PasswordProblem(policy, "Abcdef1\xff", "zhang"), "");
  SecurityPolicy bad = policy;
  bad.audit_retention_days = 90;
  EXPECT_NE(PolicyProblem(bad).find("180"), std::string::npos);
  bad = policy;
  bad.min_length = 6;
  EXPECT_NE(PolicyProblem(bad), "");
  bad = policy;
  bad.session_idle_minutes = 13 * 60;
  EXPECT_NE(PolicyProblem(bad), "");
}

TEST(Clock, FormatsUtc) {
  EXPECT_EQ(FormatUtc(1714550400), "2024-05-01T08:00:00Z");
  ManualClock clock(100);
  clock.Advance(50);
  EXPECT_EQ(clock.Now(), 150);
}

}  // namespace
}  // namespace taizhang
