// StoreAccounts: the accounts of the store (access/) as the server's
// Authenticator. AccessStore and LedgerStore are not thread-safe, so this
// holds a few connections, each lent to one thread at a time; password
// checks (Argon2id) are limited to a few at once so that a burst of logins
// cannot take the machine's memory or every connection.
#include <algorithm>
#include <condition_variable>
#include <iterator>
#include <mutex>
#include <utility>
#include <vector>

#include "output/ledger_output.h"
#include "server/server.h"

namespace taizhang {

std::string PrincipalOwner(const Principal& principal) { return std::to_string(principal.user_id); }

namespace {

// "10.0.0.8:50312" → "10.0.0.8"; "[::1]:8080" → "::1".
std::string HostOf(const std::string& remote) {
  if (!remote.empty() && remote.front() == '[') {
    size_t close = remote.find(']');
    if (close != std::string::npos) return remote.substr(1, close - 1);
  }
  size_t colon = remote.rfind(':');
  if (colon != std::string::npos && remote.find(':') == colon) return remote.substr(0, colon);
  return remote;
}

}  // namespace

struct StoreAccounts::Impl {
  struct Connection {
    std::unique_ptr<LedgerStore> ledger;
    std::unique_ptr<AccessStore> access;
    bool busy = false;
  };
  std::vector<Connection> connections;
  std::mutex mutex;
  std::condition_variable freed;
  size_t password_slots = 2;  // under mutex
  std::condition_variable slot_freed;
  std::shared_ptr<const UnitTexts> unit_texts;  // under mutex; ResolvedUnitTexts

  // A connection lent to this thread until the lease ends.
  class Lease {
   public:
    explicit Lease(Impl* impl) : impl_(impl) {
      std::unique_lock lock(impl_->mutex);
      for (;;) {
        for (Connection& c : impl_->connections) {
          if (!c.busy) {
            c.busy = true;
            connection_ = &c;
            return;
          }
        }
        impl_->freed.wait(lock);
      }
    }
    ~Lease() {
      {
        std::lock_guard lock(impl_->mutex);
        connection_->busy = false;
      }
      impl_->freed.notify_one();
    }
    AccessStore* operator->() const { return connection_->access.get(); }
    LedgerStore* ledger() const { return connection_->ledger.get(); }

   private:
    Impl* impl_;
    Connection* connection_ = nullptr;
  };

  // One of the few password checks allowed at once.
  class PasswordSlot {
   public:
    explicit PasswordSlot(Impl* impl) : impl_(impl) {
      std::unique_lock lock(impl_->mutex);
      impl_->slot_freed.wait(lock, [this] { return impl_->password_slots > 0; });
      --impl_->password_slots;
    }
    ~PasswordSlot() {
      {
        std::lock_guard lock(impl_->mutex);
        ++impl_->password_slots;
      }
      impl_->slot_freed.notify_one();
    }

   private:
    Impl* impl_;
  };
};

StoreAccounts::StoreAccounts(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StoreAccounts::~StoreAccounts() = default;

Result<std::shared_ptr<StoreAccounts>> StoreAccounts::Open(const std::string& db, const AccessOptions& options,
                                                          size_t connections, size_t password_checks) {
  auto impl = std::make_unique<Impl>();
  // A password check holds a connection: keep at least one more for the
  // session lookups of every other request.
  password_checks = std::max<size_t>(password_checks, 1);
  connections = std::max(connections, password_checks + 1);
  impl->password_slots = password_checks;
  impl->connections.resize(connections);
  for (Impl::Connection& c : impl->connections) {
    Result<std::unique_ptr<LedgerStore>> ledger = LedgerStore::Open(db, "serve");
    if (!ledger.ok()) return ledger.status();
    c.ledger = std::move(*ledger);
    Result<std::unique_ptr<AccessStore>> access = AccessStore::Open(c.ledger.get(), options);
    if (!access.ok()) return access.status();
    c.access = std::move(*access);
  }
  return std::shared_ptr<StoreAccounts>(new StoreAccounts(std::move(impl)));
}

std::optional<Principal> StoreAccounts::Authenticate(const HttpRequest& request) {
  std::optional<std::string> token = request.Cookie(kSessionCookie);
  if (!token || token->empty() || token->size() > 128) return std::nullopt;
  Impl::Lease store(impl_.get());
  Result<SessionCheck> check = store->Authenticate(*token, HostOf(request.remote));
  if (!check.ok() || !check->principal) return std::nullopt;
  return std::move(check->principal);
}

bool StoreAccounts::CheckCsrf(const HttpRequest& request, const Principal&) {
  std::optional<std::string> token = request.Cookie(kSessionCookie);
  std::string_view csrf = request.Header(kCsrfHeader);
  if (!token || csrf.empty()) return false;
  return AccessStore::CheckCsrf(*token, std::string(csrf));
}

std::optional<Action> StoreAccounts::RouteAction(std::string_view action) {
  // Every route's action: the name a Route carries and what it asks of
  // Authorize. Routes of one kind share a prefix ("items.", "users.").
  static constexpr std::pair<std::string_view, Action> kActions[] = {
      {"auth.me", Action::kReadOwnAccount},
      {"auth.password", Action::kChangeOwnPassword},
      {"auth.logout", Action::kLogout},
      {"files.upload", Action::kUploadReport},
      {"jobs.create", Action::kUploadReport},
      {"jobs.read", Action::kReadReport},
      {"reports.upload", Action::kUploadReport},
      {"reports.read", Action::kReadReport},
      {"items.list", Action::kListItems},
      {"items.read", Action::kReadItem},
      {"items.create", Action::kCreateItem},
      {"items.update", Action::kUpdateItem},
      {"items.progress", Action::kReportProgress},
      {"items.submit", Action::kSubmitRectification},
      {"items.close_off", Action::kCloseOff},
      {"items.review", Action::kReviewProposals},
      {"rates.read", Action::kReadRates},
      {"compare.run", Action::kCompare},
      {"ledger.export", Action::kExportLedger},
      {"ledger.import", Action::kImportLedger},
      {"units.list", Action::kListUnits},
      {"units.manage", Action::kManageUnits},
      {"users.list", Action::kListUsers},
      {"users.manage", Action::kManageUsers},
      {"users.unlock", Action::kUnlockUser},
      {"policy.set", Action::kSecurityPolicy},
      {"audit.read", Action::kReadAuditLog},
      {"audit.export", Action::kExportAuditLog},
      {"audit.purge", Action::kPurgeAuditLog},
      {"backup.create", Action::kBackup},
      // Search asks what a list asks; each hit is then checked as the
      // item (kReadItem) or report (kReadReport) it comes from.
      {"search.run", Action::kListItems},
      {"reminders.channels", Action::kManageReminderChannels},
      {"reminders.rules", Action::kManageReminderRules},
      // One's calendar links: a feed shows the items one may list.
      {"calendar.links", Action::kListItems},
  };
  for (const auto& [name, value] : kActions) {
    if (name == action) return value;
  }
  return std::nullopt;
}

bool StoreAccounts::Allows(const Principal& principal, std::string_view action) {
  std::optional<Action> access_action = RouteAction(action);
  if (!access_action) return false;
  if (Authorize(principal, *access_action, {})) return true;
  // Refused: through the store, which writes the refusal to the audit log.
  Impl::Lease store(impl_.get());
  Result<Decision> decision = store->Require(principal, *access_action, {});
  return decision.ok() && decision->allowed;
}

Result<std::optional<std::string>> StoreAccounts::EnsureSystemAdministrator(const std::string& name) {
  Impl::Lease store(impl_.get());
  return store->EnsureSystemAdministrator(name);
}

Result<LoginResult> StoreAccounts::Login(const std::string& name, const std::string& password,
                                         const std::string& address) {
  Impl::PasswordSlot slot(impl_.get());
  Impl::Lease store(impl_.get());
  return store->Login(name, password, HostOf(address));
}

Status StoreAccounts::Logout(const std::string& token, const std::string& address) {
  Impl::Lease store(impl_.get());
  return store->Logout(token, HostOf(address));
}

Result<int64_t> StoreAccounts::LogoutEverywhere(const Principal& principal) {
  Impl::Lease store(impl_.get());
  return store->LogoutEverywhere(principal);
}

Status StoreAccounts::ChangePassword(const Principal& principal, const std::string& old_password,
                                     const std::string& new_password) {
  Impl::PasswordSlot slot(impl_.get());
  Impl::Lease store(impl_.get());
  return store->ChangePassword(principal, old_password, new_password);
}

Result<int64_t> StoreAccounts::Sweep() {
  Impl::Lease store(impl_.get());
  return store->Sweep();
}

Status StoreAccounts::WithStore(const std::function<Status(AccessStore&, LedgerStore&)>& fn) {
  Impl::Lease store(impl_.get());
  // A server runs past midnight: overdue, warnings and a progress entry's
  // default date are of the day of the request.
  store.ledger()->set_today(TodayIn(""));
  return fn(*store.operator->(), *store.ledger());
}

namespace {

bool SameUnits(const std::vector<Unit>& a, const std::vector<Unit>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || a[i].name != b[i].name || a[i].parent_id != b[i].parent_id ||
        a[i].aliases != b[i].aliases) {
      return false;
    }
  }
  return true;
}

constexpr std::chrono::seconds kUnitTextsFresh(5);

bool MeetsSorted(const std::vector<int64_t>& sorted, const std::vector<int64_t>& units) {
  for (int64_t u : units) {
    if (std::binary_search(sorted.begin(), sorted.end(), u)) return true;
  }
  return false;
}

}  // namespace

Result<std::shared_ptr<const StoreAccounts::UnitTexts>> StoreAccounts::ResolvedUnitTexts(LedgerStore& ledger,
                                                                                          const UnitTree& tree) {
  Result<int64_t> history = ledger.LastHistoryId();
  if (!history.ok()) return history.status();
  {
    std::lock_guard lock(impl_->mutex);
    const std::shared_ptr<const UnitTexts>& cached = impl_->unit_texts;
    if (cached && cached->history_id == *history && std::chrono::steady_clock::now() - cached->made < kUnitTextsFresh &&
        SameUnits(cached->units, tree.units())) {
      return cached;
    }
  }
  Result<std::pair<std::vector<std::string>, std::vector<std::string>>> texts = ledger.ItemUnitTexts();
  if (!texts.ok()) return texts.status();
  auto resolved = std::make_shared<UnitTexts>();
  resolved->made = std::chrono::steady_clock::now();
  resolved->history_id = *history;
  resolved->units = tree.units();
  for (std::string& text : texts->first) {
    std::vector<int64_t> units = tree.NameUnits(text);
    resolved->unit_texts.emplace_back(std::move(text), std::move(units));
  }
  for (std::string& text : texts->second) {
    int64_t unit = tree.Resolve(text);
    resolved->lead_texts.emplace_back(std::move(text), unit);
  }
  std::lock_guard lock(impl_->mutex);
  impl_->unit_texts = resolved;
  return std::shared_ptr<const UnitTexts>(resolved);
}

Result<bool> StoreAccounts::NarrowToScope(LedgerStore& ledger, const UnitTree& tree, const Principal& principal,
                                          const std::vector<Action>& also, ItemFilter* filter) {
  auto allowed = [&](const Resource& resource) {
    if (!Authorize(principal, Action::kReadItem, resource).allowed) return false;
    for (Action action : also) {
      if (!Authorize(principal, action, resource).allowed) return false;
    }
    return true;
  };
  // The units whose items the principal may read. Authorize allows an item
  // when it allows any one of the item's units (UnitTree::ItemUnits: its
  // 责任单位 names and 牵头单位 resolved, else the roots), so the items it
  // allows are exactly those whose 责任单位 text stands for a readable unit,
  // or whose 牵头单位 does, or — when a root is readable — whose names
  // resolve to no unit at all: three conditions on exact column values.
  // With `also`, a unit counts when every action is allowed on it: exact as
  // long as each of their reaches lies within reading's (kReviewProposals
  // and kCloseOff are the 督查员's scope, which it reads), and the page is
  // checked again item by item anyway.
  std::vector<int64_t> readable;
  bool root_readable = false;
  for (const Unit& unit : tree.units()) {
    if (!allowed(Resource{{unit.id}, "", ""})) continue;
    readable.push_back(unit.id);
    if (unit.parent_id == 0) root_readable = true;
  }
  if (tree.units().empty()) {
    // No unit tree: an item belongs to no unit and Authorize decides on
    // the principal alone.
    return allowed(Resource{});
  }
  // Every unit readable: every item is (its units are never none), nothing
  // to narrow.
  if (readable.size() == tree.units().size()) return true;
  Result<std::shared_ptr<const UnitTexts>> texts = ResolvedUnitTexts(ledger, tree);
  if (!texts.ok()) return texts.status();
  std::sort(readable.begin(), readable.end());
  filter->unit_texts.emplace();
  filter->lead_unit_texts.emplace();
  filter->orphan_unit_texts.clear();
  filter->orphan_lead_texts.clear();
  for (const auto& [text, units] : (*texts)->unit_texts) {
    if (MeetsSorted(readable, units)) filter->unit_texts->push_back(text);
    if (units.empty() && root_readable) filter->orphan_unit_texts.push_back(text);
  }
  if (root_readable) filter->orphan_lead_texts.push_back("");
  for (const auto& [text, unit] : (*texts)->lead_texts) {
    if (unit != 0 && std::binary_search(readable.begin(), readable.end(), unit)) {
      filter->lead_unit_texts->push_back(text);
    }
    if (unit == 0 && root_readable) filter->orphan_lead_texts.push_back(text);
  }
  return true;
}

Result<StoreAccounts::ItemPage> StoreAccounts::ListItems(const Principal& principal, ItemFilter filter,
                                                         int64_t offset, int64_t limit, const std::vector<Action>& also) {
  Impl::Lease store(impl_.get());
  Result<UnitTree> tree = store->Units();
  if (!tree.ok()) return tree.status();
  ItemPage page;
  Result<bool> any = NarrowToScope(*store.ledger(), *tree, principal, also, &filter);
  if (!any.ok()) return any.status();
  if (!*any) return page;
  filter.offset = std::max<int64_t>(offset, 0);
  filter.limit = std::max<int64_t>(limit, 1);
  store.ledger()->set_today(TodayIn(""));
  Result<std::vector<LedgerItem>> items = store.ledger()->ListItems(filter);
  if (!items.ok()) return items.status();
  Result<int64_t> total = store.ledger()->CountItems(filter);
  if (!total.ok()) return total.status();
  // The page again through the detail's own check (and the actions of
  // `also`, item by item): what the narrowing let through, Authorize must
  // allow item by item. It always does (the test ScopedPaging compares both
  // on every page); should it ever not (the unit tree changed meanwhile),
  // the whole list is decided item by item.
  auto decide = [&](std::vector<LedgerItem> rows) -> Result<std::vector<LedgerItem>> {
    Result<std::vector<LedgerItem>> visible = store->VisibleItems(principal, std::move(rows));
    if (!visible.ok() || also.empty()) return visible;
    std::vector<LedgerItem> out;
    for (LedgerItem& item : *visible) {
      Resource resource{tree->ItemUnits(item), item.submitted_by, ""};
      bool ok = true;
      for (Action action : also) ok = ok && Authorize(principal, action, resource).allowed;
      if (ok) out.push_back(std::move(item));
    }
    return out;
  };
  const size_t fetched = items->size();
  Result<std::vector<LedgerItem>> visible = decide(std::move(*items));
  if (!visible.ok()) return visible.status();
  if (visible->size() == fetched) {
    page.items = std::move(*visible);
    page.total = *total;
    return page;
  }
  page.decided_item_by_item = true;
  filter.offset = 0;
  filter.limit = 0;
  Result<std::vector<LedgerItem>> all = store.ledger()->ListItems(filter);
  if (!all.ok()) return all.status();
  Result<std::vector<LedgerItem>> every = decide(std::move(*all));
  if (!every.ok()) return every.status();
  page.total = static_cast<int64_t>(every->size());
  offset = std::clamp<int64_t>(offset, 0, page.total);
  int64_t end = std::min(page.total, offset + std::max<int64_t>(limit, 0));
  page.items.assign(std::make_move_iterator(every->begin() + offset), std::make_move_iterator(every->begin() + end));
  return page;
}

Result<std::vector<ItemGroupCount>> StoreAccounts::CountItemsBy(const Principal& principal, ItemFilter filter,
                                                                ItemGrouping grouping) {
  Impl::Lease store(impl_.get());
  Result<UnitTree> tree = store->Units();
  if (!tree.ok()) return tree.status();
  Result<bool> any = NarrowToScope(*store.ledger(), *tree, principal, {}, &filter);
  if (!any.ok()) return any.status();
  if (!*any) return std::vector<ItemGroupCount>{};
  filter.offset = 0;
  filter.limit = 0;
  store.ledger()->set_today(TodayIn(""));
  return store.ledger()->CountItemsBy(filter, grouping);
}

Result<std::optional<LedgerItem>> StoreAccounts::ReadItem(const Principal& principal, int64_t id) {
  Impl::Lease store(impl_.get());
  Result<LedgerItem> item = store.ledger()->GetItem(id);
  if (!item.ok()) {
    if (item.status().code() == StatusCode::kNotFound) return std::optional<LedgerItem>();
    return item.status();
  }
  Result<Resource> resource = store->ItemResource(*item);
  if (!resource.ok()) return resource.status();
  Result<Decision> decision = store->Require(principal, Action::kReadItem, *resource);
  if (!decision.ok()) return decision.status();
  if (!decision->allowed) return std::optional<LedgerItem>();
  return std::optional<LedgerItem>(std::move(*item));
}

}  // namespace taizhang
