// The calendar feed of deadlines (RFC 5545), written with libical: one
// all-day event per unfinished item with a deadline, with a stable UID so a
// subscribed calendar updates it when the feed changes.
#include <libical/ical.h>

#include <memory>

#include "common/calendar.h"
#include "remind/remind.h"

namespace taizhang {

namespace {

struct ComponentFree {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, ComponentFree>;

icaltimetype DateOf(int64_t days) {
  const calendar::CivilDay civil = calendar::CivilFromDays(days);
  icaltimetype t = icaltime_null_date();
  t.year = civil.year;
  t.month = civil.month;
  t.day = civil.day;
  return t;
}

icaltimetype UtcOf(int64_t seconds) {
  return icaltime_from_timet_with_zone(static_cast<time_t>(seconds), 0, icaltimezone_get_utc_timezone());
}

void AddX(icalcomponent* component, const char* name, const std::string& value) {
  icalproperty* p = icalproperty_new_x(value.c_str());
  icalproperty_set_x_name(p, name);
  icalcomponent_add_property(component, p);
}

std::string Description(const LedgerItem& item) {
  std::string text = "事项 " + std::to_string(item.id) + "（" + (item.kind == ItemKind::kProblem ? "问题" : "任务") +
                     "）\n责任单位：" + (item.unit.empty() ? "（未写）" : item.unit);
  if (!item.lead_unit.empty()) text += "\n牵头单位：" + item.lead_unit;
  if (!item.responsible_person.empty()) text += "\n责任人：" + item.responsible_person;
  text += "\n时限：" + ChineseDay(item.deadline) + "\n状态：" + ShownStatus(item);
  if (!item.target_text.empty()) text += "\n目标：" + item.target_text;
  if (!item.progress_note.empty() || !item.progress_value.empty()) {
    text += "\n最新进展";
    if (!item.progress_date.empty()) text += "（" + ChineseDay(item.progress_date) + "）";
    text += "：" + (item.progress_note.empty() ? item.progress_value : item.progress_note);
  } else {
    text += "\n最新进展：尚未报送";
  }
  return text;
}

}  // namespace

bool HasCalendarEvent(const LedgerItem& item) {
  return item.review == ReviewState::kAccepted && !IsFinished(item.status) &&
         calendar::ParseIsoDay(item.deadline).has_value();
}

Result<std::string> DeadlineCalendar(const std::vector<LedgerItem>& items, const CalendarFeedOptions& options) {
  Component calendar(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  if (!calendar) return Status(StatusCode::kInternal, "无法建立日历（libical）。");
  icalcomponent* cal = calendar.get();
  icalcomponent_add_property(cal, icalproperty_new_prodid("-//taizhang//台账时限//ZH"));
  icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
  AddX(cal, "X-WR-CALNAME", options.name);
  AddX(cal, "X-WR-CALDESC", "台账事项的完成时限与整改时限（taizhang）");
  // How often a subscribed calendar should fetch it again (Outlook reads
  // X-PUBLISHED-TTL, others RFC 7986's REFRESH-INTERVAL).
  AddX(cal, "X-PUBLISHED-TTL", "PT1H");
  icalproperty* refresh = icalproperty_new_refreshinterval(icaldurationtype_from_int(3600));
  icalproperty_add_parameter(refresh, icalparameter_new_value(ICAL_VALUE_DURATION));
  icalcomponent_add_property(cal, refresh);

  const icaltimetype stamp = UtcOf(options.stamp);
  for (const LedgerItem& item : items) {
    if (!HasCalendarEvent(item)) continue;
    const int64_t deadline = *calendar::ParseIsoDay(item.deadline);
    icalcomponent* event = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_component(cal, event);
    const std::string uid = "taizhang-item-" + std::to_string(item.id) + "@" + options.uid_domain;
    icalcomponent_add_property(event, icalproperty_new_uid(uid.c_str()));
    icalcomponent_add_property(event, icalproperty_new_dtstamp(stamp));
    icalcomponent_add_property(event, icalproperty_new_dtstart(DateOf(deadline)));
    icalcomponent_add_property(event, icalproperty_new_dtend(DateOf(deadline + 1)));
    icalcomponent_add_property(event, icalproperty_new_sequence(static_cast<int>(item.version)));
    const std::string summary =
        std::string(item.overdue ? "【逾期】" : "【时限】") + (item.unit.empty() ? "" : item.unit + "：") + item.task;
    icalcomponent_add_property(event, icalproperty_new_summary(summary.c_str()));
    icalcomponent_add_property(event, icalproperty_new_description(Description(item).c_str()));
    icalcomponent_add_property(event, icalproperty_new_categories(ShownStatus(item).c_str()));
    icalcomponent_add_property(event, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));

    icalcomponent* alarm = icalcomponent_new(ICAL_VALARM_COMPONENT);
    icalcomponent_add_component(event, alarm);
    icalcomponent_add_property(alarm, icalproperty_new_action(ICAL_ACTION_DISPLAY));
    icaltriggertype trigger = icaltriggertype_from_int(-15 * 3600);  // 9:00 the day before
    icalcomponent_add_property(alarm, icalproperty_new_trigger(trigger));
    const std::string alarm_text = "明天到期：" + summary;
    icalcomponent_add_property(alarm, icalproperty_new_description(alarm_text.c_str()));
  }
  char* text = icalcomponent_as_ical_string_r(cal);
  if (text == nullptr) return Status(StatusCode::kInternal, "无法写出日历（libical）。");
  std::string out(text);
  icalmemory_free_buffer(text);
  return out;
}

}  // namespace taizhang
