// Typed output columns (issue 29 item 2): every rule states its columns' kinds and personal flags
// where it makes them; the writers and --mask read those, not the titles. The expected kinds are
// written out by hand from SPEC §8.39 (counts int, other numbers decimal), §8.51 (--predict,
// --model, --what-if), §8.60 (report), §8.61 (money), §3 (dates; id,name,phone first), and each
// command's columns in §6 — not from the program's output.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "column_kinds.h"
#include "fixtures.h"
#include "io/table_writer.h"
#include "model/column.h"
#include "model/fields.h"
#include "rules/ledger_whatif.h"
#include "rules/mask.h"
#include "rules/referral_report.h"
#include "rules/report_months.h"
#include "rules/report_tables.h"
#include "rules/rfm.h"
#include "rules/rfm_predict.h"
#include "rules/segment.h"
#include "rules/sleeping.h"
#include "rules/table.h"
#include "temp_file.h"

using namespace kartoteka;
using test::kinds_of;

namespace {

const Day kAsOf = days_from_ymd(2026, 6, 30);

// No patients, no visits: a rule still states its columns (the header of an empty list).
struct Empty {
  PatientTable pt{std::vector<std::string>{}};
  VisitFold fold = test::fold_visits(0, kAsOf, StatsNeeds{}, {});
  FieldContext ctx{pt, fold, kAsOf, nullptr};
};

std::string jsonl(const Table& table) {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  {
    Sink sink(f, "tmp");
    TableWriter w(Format::Jsonl, sink, table.columns, WorkbookInfo{});
    for (const auto& r : table.rows) w.row(r);
    w.finish();
  }
  return test::read_back(f);
}

}  // namespace

TEST_CASE("field vocabulary: each logical field's column and whether it is personal") {
  CHECK(kinds_of({field_column(Field::id), field_column(Field::name),
                  field_column(Field::phone)}) == "id:id name:text/name phone:text/phone");
  CHECK(kinds_of({field_column(Field::last_name), field_column(Field::birth_date),
                  field_column(Field::sms_consent), field_column(Field::referrer_id),
                  field_column(Field::email), field_column(Field::amount)}) ==
        "last_name:text/name birth_date:date sms_consent:bool referrer_id:id email:text "
        "amount:money");
  // inspect's personal fields (§8.62) are wider than what --mask replaces.
  for (Field f : {Field::name, Field::middle_name, Field::phone, Field::email, Field::birth_date,
                  Field::need})
    CHECK(field_personal(f));
  for (Field f : {Field::id, Field::gender, Field::district, Field::referrer_id, Field::amount})
    CHECK_FALSE(field_personal(f));
}

TEST_CASE("segment: the list's columns, --fields typed by the field under its exact name") {
  Empty e;
  auto named = [&](const char* title) {
    return NamedField{title, test::resolved_field(title, e.pt)};
  };
  const std::vector<NamedField> extra = {
      named("age"),        named("Age"),        named("ФИО"),
      named("birth_date"), named("avg_check"),  named("has_phone"),
      named("services"),   named("Birth_Date"), named("Has_Phone")};
  const Table t = collect_table([&](RowSink& out) { segment_list(e.ctx, {}, extra, out); });
  // `Age` and `Has_Phone` are text (§8.39: numbers and booleans by exact title); `Birth_Date` is
  // a date (§3: "any --fields date" is a real date); `ФИО` is the name field, personal under any
  // title.
  CHECK(kinds_of(t.columns) ==
        "id:id name:text/name phone:text/phone last_visit:date visits:int spent:money age:int "
        "Age:text ФИО:text/name birth_date:date avg_check:money has_phone:bool services:text "
        "Birth_Date:date Has_Phone:text");
  const Table g = segment_groups(e.ctx, {}, {named("gender"), named("age")});
  CHECK(kinds_of(g.columns) ==
        "gender:text age:int patients:int share:decimal visits:int spent:money");
}

TEST_CASE("rfm: list, --summary, --predict and --model columns") {
  Empty e;
  const Table t = collect_table([&](RowSink& out) { rfm_list(e.pt, e.fold, {}, nullptr, out); });
  // `rfm` (`545`) is a code, not a number (§8.39).
  CHECK(kinds_of(t.columns) ==
        "id:id name:text/name phone:text/phone last_visit:date recency_days:int frequency:int "
        "monetary:money r:int f:int m:int rfm:text segment:text");
  std::vector<Column> predict;
  add_predict_columns(predict);
  CHECK(kinds_of(predict) == "p_alive:decimal expected_visits:decimal expected_revenue:money");
  CHECK(kinds_of(rfm_summary({}).columns) ==
        "segment:text patients:int share:decimal recency_days_avg:decimal frequency_avg:decimal "
        "monetary_sum:money monetary_avg:money");
  // §8.51: every --model column but the two counts is decimal; its `r` is a parameter.
  CHECK(kinds_of(rfm_model_table(RfmModels{}).columns) ==
        "patients:int repeat_patients:int r:decimal alpha:decimal a:decimal b:decimal "
        "bgnbd_log_likelihood:decimal p:decimal q:decimal gamma:decimal "
        "gg_log_likelihood:decimal");
}

TEST_CASE("sleeping: default, --adaptive and --recall columns") {
  Empty e;
  SleepingOptions o;
  o.adaptive = parse_adaptive_k("2");
  const Table t = collect_table([&](RowSink& out) { sleeping_list(e.ctx, {}, o, out); });
  CHECK(kinds_of(t.columns) ==
        "id:id name:text/name phone:text/phone last_visit:date days_since:int visits:int "
        "spent:money home_branch:text reason:text typical_gap:decimal");
  const RecallCollector recall({parse_recall("гигиена=180")}, 0, kAsOf);
  const Table r =
      collect_table([&](RowSink& out) { recall_list(e.ctx, {}, recall, SleepingOptions{}, out); });
  CHECK(kinds_of(r.columns) ==
        "id:id name:text/name phone:text/phone service:text last_service_date:date "
        "due_date:date days_overdue:int home_branch:text");
}

TEST_CASE("referrals: reward list, --summary, --audit columns") {
  Empty e;
  const RewardTerms terms;
  const Table t = collect_table([&](RowSink& out) {
    reward_list(e.pt, {}, terms, ReferralSms::standard(terms), ReportFilter{}, out);
  });
  CHECK(kinds_of(t.columns) ==
        "date:date referrer_id:id referrer_name:text/name referrer_phone:text/phone new_id:id "
        "new_name:text/name topup:money credit:money welcome:money sms_text:text");
  CHECK(kinds_of(referral_summary(e.pt, {}, e.fold, terms, ReportFilter{}).columns) ==
        "referrer_id:id name:text/name phone:text/phone referrals:int topup_total:money "
        "credit_total:money referred_revenue:money");
  CHECK(kinds_of(referral_audit(e.pt, {}, ReportFilter{}).columns) ==
        "date:date new_id:id referrer_id:id issue:text");
}

TEST_CASE("bonus-ledger --what-if columns (§8.51)") {
  const Table t = collect_table([&](RowSink& out) { what_if_rows({}, {}, 0, out); });
  CHECK(kinds_of(t.columns) ==
        "scenario:text cashback:decimal expire_days:int credit:money issued:money "
        "redeemed:money expired:money overdraft:money outstanding:money "
        "peak_outstanding:money peak_month:text revenue:money cost_pct:decimal");
}

TEST_CASE("report tables follow the columns they repeat (§8.60)") {
  Empty e;
  CHECK(kinds_of(report_overview(e.fold, {}, kAsOf).columns) ==
        "patients:int with_visits:int visits:int spent:money first_visit:date "
        "last_visit:date as_of:date");
  CHECK(kinds_of(rfm_grid({}).columns) == "r:int f:int patients:int");
  CHECK(kinds_of(SleepingBuckets(180, 1095).table().columns) ==
        "bucket:text patients:int spent:money");
  const MonthWindow window = MonthWindow::ending_at(kAsOf, 2);
  CHECK(kinds_of(ReferralMonths(window).table().columns) ==
        "month:text referrals:int topup:money credit:money welcome:money");
  CHECK(kinds_of(VisitMonths(window, kAsOf).table(e.fold).columns) ==
        "month:text new_patients:int patients:int visits:int revenue:money");
  CHECK(kinds_of(tier_counts({}, {}).columns) == "discount_pct:decimal patients:int");
  const Table audit = referral_audit(e.pt, {}, ReportFilter{});
  CHECK(kinds_of(audit_counts(audit).columns) == "issue:text referrals:int");
}

TEST_CASE("a column the rule types as Text is text in jsonl, whatever its title") {
  const Table by_spec{{{"id", ColumnKind::Id}, {"spent", ColumnKind::Money}}, {{"1", "12.50"}}};
  CHECK(jsonl(by_spec) == "{\"id\":\"1\",\"spent\":12.50}\n");
  const Table typed{{{"id", ColumnKind::Id}, {"spent", ColumnKind::Text}}, {{"1", "12.50"}}};
  CHECK(jsonl(typed) == "{\"id\":\"1\",\"spent\":\"12.50\"}\n");
}

TEST_CASE("default_column: only for titles from the user's files (a --from list's columns)") {
  CHECK(default_column("visits").kind == ColumnKind::Integer);  // a segment list travelling on
  CHECK(default_column("r").kind == ColumnKind::Integer);       // the RFM score's title
  CHECK(default_column("referrer_id").kind == ColumnKind::Id);
  CHECK(default_column("note").kind == ColumnKind::Text);
  CHECK(default_column("Телефон").personal == MaskKind::Phone);
  CHECK(default_column("referrer_name").personal == MaskKind::Name);
  CHECK(default_column("Пациентка").personal == MaskKind::None);  // unknown title: not personal
  // A --from list's travelling columns are typed by their titles.
  FromList from;
  from.titles = {"visits", "Телефон", "note"};
  std::vector<Column> columns = patient_list_head();
  const FromColumns travel(&from, columns);
  CHECK(kinds_of(columns) ==
        "id:id name:text/name phone:text/phone visits:int Телефон:text/phone note:text");
}

TEST_CASE("a field's column keeps its kind when its list travels as --from (by its title)") {
  // A segment list's `--fields` column piped into another command travels under its title
  // (§8.42), typed by default_column: the field vocabulary and the title table must agree on
  // every field name, else the same column would change kind between the two commands.
  Empty e;
  for (std::string_view name : builtin_field_names()) {
    CAPTURE(name);
    const Column field = field_column(test::resolved_field(name, e.pt), std::string(name));
    const Column title = default_column(name);
    CHECK(field.kind == title.kind);
    CHECK(field.personal == title.personal);
  }
}

namespace {

// A rule of a new command whose personal column has a title no list knows: it says so itself.
void greeting_list(RowSink& out) {
  out.columns({{"id", ColumnKind::Id},
               {"Пациентка", ColumnKind::Text, MaskKind::Name},
               {"note", ColumnKind::Text}});
  out.row({"000101", "Орлова Наталья", "звонила Орлова Наталья"});
}

}  // namespace

TEST_CASE("--mask masks a rule's personal column under any title, and its value in free text") {
  const MaskKey key = MaskKey::from_secret("test");
  Table t = collect_table(greeting_list);
  mask_table(t, key);
  const std::string masked = mask_name(key, "Орлова Наталья");
  CHECK(masked.rfind("Пациент-", 0) == 0);
  CHECK(t.rows[0] == std::vector<std::string>{"000101", masked, "звонила " + masked});
  // The title alone would not have said it: the leak that typed columns close.
  CHECK(default_column("Пациентка").personal == MaskKind::None);
}
