// One sms batch (rules/sms_batch.h, SPEC §6.6, §8.36, §8.43): the rows written and the messages
// kept for the log, with every filter on. Patients are built in memory; expectations by hand.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "column_kinds.h"
#include "fixtures.h"
#include "rules/sms_batch.h"

using namespace kartoteka;

namespace {

const Day kAsOf = days_from_ymd(2026, 11, 22);

void add(PatientTable& pt, std::string_view id, std::string_view first_name, std::string_view phone,
         std::string_view cells, Tri consent) {
  PatientCore core;
  core.sms_consent = consent;
  test::add_patient(pt,
                    {{PText::id, id},
                     {PText::first_name, first_name},
                     {PText::phone, phone},
                     {PText::phones, cells}},
                    core);
}

}  // namespace

TEST_CASE("send_sms_batch: rows in list order, skips, and what the log gets") {
  PatientTable pt({}, PatientNeeds::all().add(PText::phones));  // phones: kept only when asked
  // 0 excluded by its landline; 1 snoozed by id; 2 and 3 share a phone; 4 has no consent.
  add(pt, "A", "Анна", "+79160000001", "8 495 000-00-01;+7 916 000-00-01", Tri::True);
  add(pt, "B", "Вера", "+79160000002", "+79160000002", Tri::True);
  add(pt, "C", "Галина", "+79160000003", "+79160000003", Tri::True);
  add(pt, "D", "Дина", "+79160000003", "8 916 000 00 03", Tri::True);
  add(pt, "E", "Ева", "+79160000005", "+79160000005", Tri::False);
  VisitFold fold(pt.size(), kAsOf, StatsNeeds{});
  fold.finish();
  FieldContext ctx{pt, fold, kAsOf, nullptr};
  SmsTemplate tpl = SmsTemplate::parse("{first_name}, ждём вас");
  std::vector<FieldRef> refs = {*resolve_field("first_name", pt, {})};
  // Listed in the order 4 3 2 1 0: D comes before C, so D gets the shared phone.
  std::vector<uint32_t> population = {4, 3, 2, 1, 0};

  StopList stop;
  stop.add_phone("+74950000001");
  RecentContacts recent(kAsOf, 30u, std::nullopt, "");
  recent.add({kAsOf - 1, "B", "", ""});
  SmsDispatcher dispatch(true, 0, {&stop, &recent});
  SmsBatch batch;
  Table t = collect_table([&](RowSink& out) {
    batch = send_sms_batch(SmsJob{ctx, tpl, refs, population}, dispatch, out);
  });
  CHECK(t.titles() == std::vector<std::string>{"phone", "text", "segments", "id"});
  // §8.39: `segments` a count; the phone personal; `id` names the patient the text greets.
  CHECK(test::kinds_of(t.columns) == "phone:text/phone text:text segments:int id:id");
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0] == std::vector<std::string>{"+79160000003", "Дина, ждём вас", "1", "D"});
  REQUIRE(batch.sent.size() == 1);
  CHECK(batch.sent[0].patient == 3);
  CHECK(batch.sent[0].segments == 1);
  CHECK(batch.dropped.empty());
  CHECK(sms_summary(dispatch) ==
        "sms: 1 messages, 1 parts; skipped: 0 no phone, 1 no consent, 1 excluded, "
        "1 recently contacted, 1 phone already used, 0 too many segments");
}
