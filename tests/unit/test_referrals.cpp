// The referral regulation (SPEC §6.4, §8.13, §8.27–§8.30): rule and report builders, over
// in-memory patients and visit rows. Expected values are worked out by hand in the comments.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "fixtures.h"
#include "model/errors.h"
#include "rules/referral_report.h"
#include "rules/referrals.h"

using namespace kartoteka;

namespace {

struct P {
  const char* id;
  const char* name = "";
  const char* phone = "";
  const char* referrer = "";
};

PatientTable table(std::initializer_list<P> ps) {
  PatientTable t;
  for (const P& p : ps)
    test::add_patient(t, {{PText::id, p.id},
                          {PText::name, p.name},
                          {PText::phone, p.phone},
                          {PText::referrer_id, p.referrer}});
  return t;
}

Day d(int y, int m, int dd) {
  return days_from_ymd(y, m, dd);
}
const Day kAsOf = d(2026, 11, 22);

struct World {
  PatientTable pt;
  ReferralFacts facts;
  VisitFold fold;
  std::vector<Referral> refs;
  World(PatientTable t) : pt(std::move(t)), facts(pt.size(), kAsOf), fold(pt.size(), kAsOf, {}) {}
  void visit(const char* id, Day date, Kopecks amount, Status st = Status::Completed,
             std::string_view referrer = {}) {
    VisitRow r;
    r.patient = pt.find(id);
    REQUIRE(r.patient != PatientTable::kNotFound);
    r.date = date;
    r.amount = amount;
    r.status = st;
    r.referrer_id = referrer;
    fold.add(r);
    facts.add(r);
  }
  void done() {
    fold.finish();
    refs = find_referrals(pt, facts, fold);
  }
  const Referral& of(const char* id) const {
    for (const auto& r : refs)
      if (pt.id(r.patient) == id) return r;
    FAIL("no referral for " << id);
    return refs.front();
  }
};

// The data of tests/cli/cases/referrals-audit-issues, one issue per patient.
World sample() {
  World w(table({{"000123", "Иванов Иван", "+79000000001"},
                 {"200", "Петров Пётр", "+79000000002", "123"},
                 {"127", "Сам Себе", "", "0127"},
                 {"300", "Незнакомый", "", "999"},
                 {"400", "Мутный Один", "", "401"},
                 {"401", "Мутный Два", "", "400"},
                 {"500", "Визитов Только"},
                 {"600", "Ранний Гость", "", "700"},
                 {"700", "Поздний Пациент"}}));
  w.visit("000123", d(2026, 1, 15), 300000);
  w.visit("200", d(2026, 5, 1), 500000);
  w.visit("200", d(2026, 3, 10), 100000);
  w.visit("200", d(2026, 2, 1), 0);
  w.visit("127", d(2026, 4, 1), 200000);
  w.visit("400", d(2026, 6, 1), 400000);
  w.visit("500", d(2026, 2, 20), 0, Status::Cancelled, "123");
  w.visit("500", d(2026, 7, 1), 150000, Status::Completed, "400");
  w.visit("600", d(2026, 2, 1), 250000);
  w.visit("700", d(2026, 5, 5), 80000);
  w.visit("300", d(2026, 12, 1), 900000);  // after as-of
  w.visit("200", d(2026, 6, 1), -50000);   // refund
  w.done();
  return w;
}

}  // namespace

TEST_CASE("card_key: all-digit cards compare as numbers, others as written") {
  CHECK(card_key("123") == "123");
  CHECK(card_key("000123") == "123");
  CHECK(card_key(" 0127\t") == "127");
  CHECK(card_key("000") == "0");  // the number zero, not the empty card
  CHECK(card_key("0A1") == "0A1");
  CHECK(card_key("A-15") == "A-15");
  CHECK(card_key("") == "");
}

TEST_CASE("ReferralFacts: D is the earliest paid counted row, whatever the file order") {
  World w(table({{"1"}}));
  w.visit("1", d(2026, 5, 1), 500000);                     // paid, later date, first in file
  w.visit("1", d(2026, 2, 1), 0);                          // free consultation: not paid
  w.visit("1", d(2026, 1, 1), 900000, Status::Cancelled);  // not counted
  w.visit("1", d(2026, 1, 2), -10000);                     // refund: not paid
  w.visit("1", d(2026, 12, 1), 100000);                    // after as-of: not counted
  w.visit("1", d(2026, 3, 10), 100000);                    // earliest paid counted row
  CHECK(w.facts.first_paid(0) == d(2026, 3, 10));
}

TEST_CASE("ReferralFacts: visit referrer is the first non-empty one up to as-of, any status") {
  World w(table({{"1"}, {"2"}}));
  w.visit("1", d(2026, 12, 1), 0, Status::Planned, "future");  // after as-of: ignored
  w.visit("1", d(2026, 2, 1), 0, Status::Cancelled, "");
  w.visit("1", d(2026, 3, 1), 0, Status::NoShow, "  77 ");    // first non-empty, trimmed
  w.visit("1", d(2026, 1, 1), 100, Status::Completed, "88");  // earlier date but later in file
  CHECK(w.facts.visit_referrer(0) == "77");
  CHECK(w.facts.visit_referrer(1) == "");
  CHECK(w.facts.first_paid(1) == kNoDay);
}

TEST_CASE("find_referrals: every case of §6.4 and §8.30") {
  World w = sample();
  // Patients with an effective referrer, in patients-file order: 200 127 300 400 401 500 600.
  REQUIRE(w.refs.size() == 7);
  CHECK(w.pt.id(w.refs[0].patient) == "200");
  CHECK(w.pt.id(w.refs[6].patient) == "600");

  SUBCASE("`123` finds `000123`; referrer_id is R's card as written") {
    const Referral& r = w.of("200");
    CHECK(r.referrer == w.pt.find("000123"));
    CHECK(r.referrer_id == "000123");
    CHECK(r.date == d(2026, 3, 10));  // not 05-01 (first in file) nor 02-01 (0.00)
    CHECK(r.qualifies());
    CHECK_FALSE(r.not_yet_patient);  // R first visited 2026-01-15 < D
    CHECK_FALSE(r.mutual);
  }
  SUBCASE("self referral by the card rule prints R's own card") {
    const Referral& r = w.of("127");
    CHECK(r.self);
    CHECK(r.referrer_id == "127");  // cell says 0127
    CHECK(r.date == d(2026, 4, 1));
    CHECK_FALSE(r.qualifies());
    CHECK_FALSE(r.pending());
  }
  SUBCASE("unknown referrer keeps the raw value; no pending") {
    const Referral& r = w.of("300");
    CHECK(r.unknown);
    CHECK(r.referrer_id == "999");
    CHECK(r.date == kNoDay);  // its only paid row is after as-of
    CHECK_FALSE(r.pending());
    CHECK_FALSE(r.qualifies());
  }
  SUBCASE("mutual referral, both ways; R without visits is not yet a patient") {
    const Referral& a = w.of("400");
    CHECK(a.mutual);
    CHECK(a.qualifies());
    CHECK(a.not_yet_patient);  // 401 has no counted visit at all
    const Referral& b = w.of("401");
    CHECK(b.mutual);
    CHECK(b.pending());
    CHECK_FALSE(b.not_yet_patient);  // only a qualified referral can be
  }
  SUBCASE("referrer named only on visit rows") {
    const Referral& r = w.of("500");
    CHECK(r.referrer_id == "000123");  // from the cancelled row's `123`, not the later `400`
    CHECK(r.date == d(2026, 7, 1));
    CHECK(r.qualifies());
  }
  SUBCASE("referrer who became a patient after D") {
    const Referral& r = w.of("600");
    CHECK(r.date == d(2026, 2, 1));
    CHECK(r.not_yet_patient);  // 700's first visit 2026-05-05
    CHECK(r.qualifies());
  }
}

TEST_CASE("find_referrals: patients file wins; first on a shared key; first visit on D") {
  World w(table({{"0042", "Первый"}, {"42", "Второй"}, {"9", "", "", "42"}, {"10", "", "", ""}}));
  w.visit("0042", d(2026, 3, 1), 100);
  w.visit("9", d(2026, 3, 1), 100, Status::Completed, "10");  // file's `42` wins
  w.done();
  REQUIRE(w.refs.size() == 1);
  CHECK(w.refs[0].referrer_id == "0042");  // both 0042 and 42 have key 42: first in file order
  CHECK(w.refs[0].not_yet_patient);        // R's first visit equals D: not strictly before
}

TEST_CASE("find_referrals: a long file, each patient naming the next by its card without zeros") {
  // 100 patients 00001 … 00100 (more than the lookup reads ahead while building its index);
  // patient k names card k+1 written as a bare number (key of 0000(k+1)), the last names 1;
  // patients 00051 and 51 would share a key, so a 101st patient "51" shows the first one wins.
  PatientTable t;
  std::vector<std::string> ids, refs;
  for (int k = 1; k <= 100; ++k) {
    ids.push_back(fmt::format("{:05}", k));
    refs.push_back(std::to_string(k % 100 + 1));
  }
  ids.push_back("51");
  refs.push_back("");
  for (size_t i = 0; i < ids.size(); ++i)
    test::add_patient(t, {{PText::id, ids[i]}, {PText::referrer_id, refs[i]}});
  World w(std::move(t));
  w.done();
  REQUIRE(w.refs.size() == 100);
  for (uint32_t k = 0; k < 100; ++k) {
    CAPTURE(k);
    CHECK(w.refs[k].patient == k);
    CHECK(w.refs[k].referrer == (k + 1) % 100);  // patient index of card k+2 (00001 is index 0)
    CHECK(w.refs[k].referrer_id == ids[(k + 1) % 100]);
  }
}

TEST_CASE("ReferralSms: default text and signature (§8.28)") {
  World w = sample();
  const std::string base =
      "К нам пришел клиент по вашей рекомендации. Вам зачислены 100 р. на телефон и 100 р. на "
      "внутр. счет. Спасибо.";
  RewardTerms t;
  const Referral& r = w.of("200");
  CHECK(ReferralSms::standard(t).render(w.pt, r, t) == base);
  t.clinic = "Улыбка";
  CHECK(ReferralSms::standard(t).render(w.pt, r, t) == base + " Улыбка");
  t.clinic_phone = "+7 495";
  CHECK(ReferralSms::standard(t).render(w.pt, r, t) == base + " Улыбка, +7 495");
  t.clinic.clear();
  CHECK(ReferralSms::standard(t).render(w.pt, r, t) == base + " +7 495");
  t.clinic = "{new_id}";  // inserted exactly as given, never expanded
  CHECK(ReferralSms::standard(t).render(w.pt, r, t) == base + " {new_id}, +7 495");
}

TEST_CASE("ReferralSms: fields, money, unknown fields") {
  World w = sample();
  RewardTerms t;
  t.topup = 15050;    // 150.50 ₽ -> "150.50"
  t.welcome = 50000;  // 500 ₽ -> "500"
  auto s = ReferralSms::parse(
      "{ referrer_name }/{referrer_phone}/{new_name}/{new_id}/{date}/"
      "{topup}/{credit}/{welcome}/{referrer_id} {");
  CHECK(s.render(w.pt, w.of("200"), t) ==
        "Иванов Иван/+79000000001/Петров Пётр/200/2026-03-10/150.50/100/500/000123 {");
  CHECK_THROWS_AS(ReferralSms::parse("{name}"), UsageError);
  CHECK_THROWS_AS(ReferralSms::parse("ok {Topup}"), UsageError);
}

TEST_CASE("reward_list: qualified only, by date, referrer_id, new_id; range and population") {
  World w = sample();
  RewardTerms t;
  auto sms = ReferralSms::parse("{new_id}");
  Table all = collect_table([&](RowSink& out) { reward_list(w.pt, w.refs, t, sms, {}, out); });
  // 600 (02-01), 200 (03-10), 400 (06-01), 500 (07-01)
  REQUIRE(all.rows.size() == 4);
  CHECK(all.rows[0][4] == "600");
  CHECK(all.rows[1][4] == "200");
  CHECK(all.rows[2][4] == "400");
  CHECK(all.rows[3] == std::vector<std::string>{"2026-07-01", "000123", "Иванов Иван",
                                                "+79000000001", "500", "Визитов Только", "100.00",
                                                "100.00", "300.00", "500"});
  ReportFilter f;
  f.since = d(2026, 3, 10);
  f.until = d(2026, 6, 1);  // both ends inclusive: 200 and 400
  Table range = collect_table([&](RowSink& out) { reward_list(w.pt, w.refs, t, sms, f, out); });
  REQUIRE(range.rows.size() == 2);
  CHECK(range.rows[0][4] == "200");
  CHECK(range.rows[1][4] == "400");
  ReportFilter pop;
  pop.population.assign(w.pt.size(), false);
  pop.population[w.pt.find("000123")] = true;  // a referrer, not a new patient: no rows
  pop.population[w.pt.find("500")] = true;
  Table kept = collect_table([&](RowSink& out) { reward_list(w.pt, w.refs, t, sms, pop, out); });
  REQUIRE(kept.rows.size() == 1);
  CHECK(kept.rows[0][4] == "500");
}

TEST_CASE("reward_list: same date sorts by referrer_id, then new_id (byte order)") {
  World w(table({{"77"}, {"101"}, {"b", "", "", "77"}, {"a", "", "", "101"}, {"c", "", "", "77"}}));
  w.visit("77", d(2026, 1, 1), 100);
  w.visit("101", d(2026, 1, 1), 100);
  for (const char* id : {"a", "b", "c"}) w.visit(id, d(2026, 2, 1), 100);
  w.done();
  RewardTerms t;
  Table list = collect_table(
      [&](RowSink& out) { reward_list(w.pt, w.refs, t, ReferralSms::parse(""), {}, out); });
  REQUIRE(list.rows.size() == 3);
  // "101" < "77" in byte order; then b < c under 77.
  CHECK(list.rows[0][4] == "a");
  CHECK(list.rows[1][4] == "b");
  CHECK(list.rows[2][4] == "c");
}

TEST_CASE("referral_summary: counts, totals, whole spent of the referees, sort") {
  World w = sample();
  RewardTerms t;
  t.topup = 15000;
  Table s = referral_summary(w.pt, w.refs, w.fold, t, {});
  // 000123: 200 (1000+5000+0-500 = 5500.00) + 500 (1500.00) = 7000.00; 401: 4000.00; 700: 2500.00
  REQUIRE(s.rows.size() == 3);
  CHECK(s.rows[0] == std::vector<std::string>{"000123", "Иванов Иван", "+79000000001", "2",
                                              "300.00", "200.00", "7000.00"});
  CHECK(s.rows[1][0] == "401");
  CHECK(s.rows[1][6] == "4000.00");
  CHECK(s.rows[2][0] == "700");
  ReportFilter pop;  // summary rows are kept by their referrer
  pop.population.assign(w.pt.size(), false);
  pop.population[w.pt.find("700")] = true;
  Table kept = referral_summary(w.pt, w.refs, w.fold, t, pop);
  REQUIRE(kept.rows.size() == 1);
  CHECK(kept.rows[0][0] == "700");
}

TEST_CASE("referral_audit: issue order, dates, undated rows last and always listed") {
  World w = sample();
  using Row = std::vector<std::string>;
  Table a = referral_audit(w.pt, w.refs, {});
  REQUIRE(a.rows.size() == 7);
  CHECK(a.rows[0] == Row{"2026-02-01", "600", "700", "referrer_not_yet_patient"});
  CHECK(a.rows[1] == Row{"2026-04-01", "127", "127", "self_referral"});
  CHECK(a.rows[2] == Row{"2026-06-01", "400", "401", "referrer_not_yet_patient"});
  CHECK(a.rows[3] == Row{"2026-06-01", "400", "401", "mutual_referral"});
  CHECK(a.rows[4] == Row{"", "300", "999", "unknown_referrer"});
  CHECK(a.rows[5] == Row{"", "401", "400", "mutual_referral"});
  CHECK(a.rows[6] == Row{"", "401", "400", "pending"});
  ReportFilter f;
  f.since = d(2026, 7, 1);  // no dated row left; the 3 undated rows stay
  CHECK(referral_audit(w.pt, w.refs, f).rows.size() == 3);
}
