// Loading the exports (SPEC §2, §5, §8.1, §8.5–§8.14, §8.33): name parts, phones, validation in
// column order, bad-value messages, duplicate ids, --skip-bad-rows, unknown cards, adjustments.
// Inputs are small temp files; expected values and messages are written by hand from the SPEC.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "io/load.h"
#include "memory_input.h"
#include "model/errors.h"
#include "temp_file.h"

using namespace kartoteka;

namespace {

using kartoteka::test::MemoryInput;

const char* kVisitsOk = "Номер карты,Дата,Сумма\n";

struct Loaded {
  PatientTable patients;
  std::vector<VisitRow> rows;
  std::vector<std::string> visit_ids, services, doctors, branches;
  uint64_t skipped = 0;
};

// Loads both files; throws what the loader throws.
Loaded load(const std::string& patients, const std::string& visits, bool skip = false,
            std::vector<ColOverride> cols = {}, bool amount_required = true) {
  MemoryInput pf(patients, "patients.csv"), vf(visits, "visits.csv");
  InputOptions o;
  o.patients_path = pf;
  o.visits_path = vf;
  o.as_of = days_from_ymd(2026, 6, 30);
  o.cols = std::move(cols);
  o.amount_required = amount_required;
  Diagnostics diag(true, skip);
  Inputs in(o, diag);
  // Every text field, the stop lists' `phones` too.
  Loaded out{in.read_patients(PatientNeeds::all().add(PText::phones)), {}, {}, {}, {}, {}, 0};
  in.read_visits(out.patients, [&](const VisitRow& r) {
    out.rows.push_back(r);
    // The views are only valid during the call.
    out.visit_ids.emplace_back(r.visit_id);
    out.services.emplace_back(r.service);
    out.doctors.emplace_back(r.doctor);
    out.branches.emplace_back(r.branch);
  });
  out.skipped = diag.skipped();
  return out;
}

// The InputError message of loading these files ("" when none).
std::string error_of(const std::string& patients, const std::string& visits, std::string* ppath,
                     std::string* vpath, std::vector<ColOverride> cols = {}) {
  MemoryInput pf(patients, "patients.csv"), vf(visits, "visits.csv");
  if (ppath) *ppath = pf.path;
  if (vpath) *vpath = vf.path;
  InputOptions o;
  o.patients_path = pf;
  o.visits_path = vf;
  o.as_of = days_from_ymd(2026, 6, 30);
  o.cols = std::move(cols);
  Diagnostics diag(true, false);
  try {
    Inputs in(o, diag);
    PatientTable pt = in.read_patients();
    in.read_visits(pt, [](const VisitRow&) {});
    in.check_col_overrides();  // the files read are all the inputs here
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string text(const PatientTable& pt, uint32_t i, PText f) {
  return std::string(pt.text(i, f));
}

}  // namespace

TEST_CASE("load: name parts default from name; name composed from parts") {
  Loaded a = load(
      "id,ФИО,Фамилия,Имя,Отчество\n"
      "1,Иванова Анна Петровна,,,\n"
      "2,Петров Пётр,,Петя,\n"  // a given part wins over the word of name
      "3,Сидоров,,,\n"
      "4,  Ким   Ли Мин  Хо ,,,\n"  // word 1 last, word 2 first, the rest middle
      "5,,Смирнова,Ольга,Игоревна\n"
      "6,,Смирнов,,\n"
      "7,,,Ольга,\n",
      kVisitsOk);
  const PatientTable& pt = a.patients;
  REQUIRE(pt.size() == 7);
  CHECK(text(pt, 0, PText::name) == "Иванова Анна Петровна");
  CHECK(text(pt, 0, PText::last_name) == "Иванова");
  CHECK(text(pt, 0, PText::first_name) == "Анна");
  CHECK(text(pt, 0, PText::middle_name) == "Петровна");
  CHECK(text(pt, 1, PText::last_name) == "Петров");
  CHECK(text(pt, 1, PText::first_name) == "Петя");
  CHECK(text(pt, 1, PText::middle_name) == "");
  CHECK(text(pt, 2, PText::last_name) == "Сидоров");
  CHECK(text(pt, 2, PText::first_name) == "");
  CHECK(text(pt, 2, PText::middle_name) == "");
  CHECK(text(pt, 3, PText::last_name) == "Ким");
  CHECK(text(pt, 3, PText::first_name) == "Ли");
  CHECK(text(pt, 3, PText::middle_name).rfind("Мин", 0) == 0);
  CHECK(text(pt, 3, PText::middle_name).find("Хо") != std::string::npos);
  CHECK(text(pt, 4, PText::name) == "Смирнова Ольга Игоревна");
  CHECK(text(pt, 4, PText::first_name) == "Ольга");
  CHECK(text(pt, 5, PText::name) == "Смирнов");
  CHECK(text(pt, 6, PText::name) == "Ольга");

  // Without a name column at all.
  Loaded b = load("Номер карты;Фамилия;Имя\n9;Орлов;Иван\n", kVisitsOk);
  CHECK(text(b.patients, 0, PText::name) == "Орлов Иван");
  CHECK(text(b.patients, 0, PText::middle_name) == "");
}

TEST_CASE("load: patient values — phone, gender, booleans, dates, categories, extras") {
  Loaded a = load(
      "id;Телефон;Пол;Согласие на SMS;Дата рождения;Категории;Любимый цвет;Сотовый\n"
      "1;8 (912) 345-67-89;Ж;да;05.03.1990;VIP, детский|VIP;синий;мусор\n"
      "2;+7 495 123-45-67, 8-912-000-11-22;муж;нет;1990-07-01 10:30;;;\n"
      "3;123;x;;01.01.0001;;;\n",
      kVisitsOk);
  const PatientTable& pt = a.patients;
  REQUIRE(pt.size() == 3);
  // §2.5: 8 + 10 digits → +7…; the first Russian mobile wins over an earlier landline.
  CHECK(text(pt, 0, PText::phone) == "+79123456789");
  CHECK(text(pt, 1, PText::phone) == "+79120001122");
  CHECK(text(pt, 2, PText::phone) == "");
  CHECK(pt.core(0).gender == 'F');
  CHECK(pt.core(1).gender == 'M');
  CHECK(pt.core(2).gender == 0);
  CHECK(pt.core(0).sms_consent == Tri::True);
  CHECK(pt.core(1).sms_consent == Tri::False);
  CHECK(pt.core(2).sms_consent == Tri::Unknown);
  CHECK(pt.core(0).birth_date == days_from_ymd(1990, 3, 5));
  CHECK(pt.core(1).birth_date == days_from_ymd(1990, 7, 1));
  CHECK(pt.core(2).birth_date == kNoDay);  // 1C's empty date
  CHECK(text(pt, 0, PText::categories) == "VIP;детский");
  // Other columns in file order; the second phone header (Сотовый) is read as phone (§8.45).
  CHECK(pt.extra_titles() == std::vector<std::string>{"Любимый цвет"});
  CHECK(pt.extra(0, 0) == "синий");
  CHECK(pt.extra(1, 0) == "");
  // Every usable number of every phone cell, E.164, `;`-joined (for stop lists); мусор is not one.
  CHECK(text(pt, 0, PText::phones) == "+79123456789");
  CHECK(text(pt, 1, PText::phones) == "+74951234567;+79120001122");
}

TEST_CASE("load: several phone columns are one list (§8.45)") {
  // Columns in file order Сотовый, Телефон; §2.3's order reads Телефон first, then Сотовый.
  Loaded a = load(
      "id;Сотовый;Телефон\n"
      "1;8 912 000-11-22;+7 495 123-45-67\n"  // landline in Телефон, mobile in Сотовый → mobile
      "2;+7 495 765-43-21;8 (495) 111-22-33\n"  // two landlines → Телефон's (first in §2.3 order)
      "3;89160000001;89170000002\n"  // two mobiles → Телефон's (first in §2.3 order)
      "4;;\n"                        // none
      "5;мусор;\n",                  // unusable
      kVisitsOk);
  const PatientTable& pt = a.patients;
  REQUIRE(pt.size() == 5);
  CHECK(text(pt, 0, PText::phone) == "+79120001122");
  CHECK(text(pt, 1, PText::phone) == "+74951112233");
  CHECK(text(pt, 2, PText::phone) == "+79170000002");
  CHECK(text(pt, 3, PText::phone) == "");
  CHECK(text(pt, 4, PText::phone) == "");
  CHECK(text(pt, 0, PText::phones) == "+74951234567;+79120001122");
  CHECK(pt.extra_titles().empty());
  // --col phone=HEADER reads that column only; the other one stays an extra column.
  Loaded b = load("id;Сотовый;Телефон\n1;8 912 000-11-22;+7 495 123-45-67\n", kVisitsOk, false,
                  {{Field::phone, "Телефон"}});
  CHECK(text(b.patients, 0, PText::phone) == "+74951234567");
  CHECK(b.patients.extra_titles() == std::vector<std::string>{"Сотовый"});
}

TEST_CASE("load: bad value message format and line numbers") {
  std::string pp, vp;
  // The SPEC's own example (§5), in the visits file.
  std::string msg =
      error_of("id\n1\n", "Номер карты,Дата,Сумма\n1,05.01.2026,100\n1,31.02.2024,100\n", &pp, &vp);
  CHECK(msg == vp + ":3: column \"Дата\" (date): \"31.02.2024\" is not a valid date");
  // Patients file; physical line numbers count blank lines (§8.5).
  msg = error_of("id,Дата рождения\n\n1,01.02.1990\n\n2,31.02.2024\n", kVisitsOk, &pp, &vp);
  CHECK(msg ==
        pp + ":5: column \"Дата рождения\" (birth_date): \"31.02.2024\" is not a valid date");
  // Money and status problems name the column, the field and the value.
  msg = error_of("id\n1\n", "Номер карты;Дата;Сумма\n1;05.01.2026;1,234\n", &pp, &vp);
  CHECK(msg.rfind(vp + ":2: column \"Сумма\" (amount): \"1,234\" ", 0) == 0);
  msg = error_of("id\n1\n", "Номер карты;Дата;Сумма;Статус\n1;05.01.2026;10;перенесён\n", &pp, &vp);
  CHECK(msg.rfind(vp + ":2: column \"Статус\" (status): \"перенесён\" ", 0) == 0);
  CHECK(msg.find("--status") != std::string::npos);
  // An empty visit date is a bad value (§8.9).
  msg = error_of("id\n1\n", "Номер карты;Дата;Сумма\n1;;10\n", &pp, &vp);
  CHECK(msg.rfind(vp + ":2: column \"Дата\" (date): \"\" ", 0) == 0);
  // bad_value_message itself.
  CHECK(bad_value_message("visits.csv", 1234, "Дата", Field::date, "31.02.2024",
                          "is not a valid date") ==
        "visits.csv:1234: column \"Дата\" (date): \"31.02.2024\" is not a valid date");
}

TEST_CASE("load: the first bad cell in column order is reported") {
  std::string pp, vp;
  std::string msg =
      error_of("id,Согласие на SMS,Дата рождения\n1,может быть,31.02.2024\n", kVisitsOk, &pp, &vp);
  CHECK(msg.rfind(pp + ":2: column \"Согласие на SMS\" (sms_consent): \"может быть\" ", 0) == 0);
  msg =
      error_of("Дата рождения,id,Согласие на SMS\n31.02.2024,1,может быть\n", kVisitsOk, &pp, &vp);
  CHECK(msg ==
        pp + ":2: column \"Дата рождения\" (birth_date): \"31.02.2024\" is not a valid date");
  // Visits: amount stands left of the date here.
  msg = error_of("id\n1\n", "Сумма;Дата;Номер карты\n1,234;31.02.2024;1\n", &pp, &vp);
  CHECK(msg.rfind(vp + ":2: column \"Сумма\" (amount): ", 0) == 0);
  msg = error_of("id\n1\n", "Статус;Сумма;Дата;Номер карты\nнепонятно;1,234;31.02.2024;1\n", &pp,
                 &vp);
  CHECK(msg.rfind(vp + ":2: column \"Статус\" (status): ", 0) == 0);
  // Rows of unknown cards are validated too (§8.12).
  msg = error_of("id\n1\n", "Номер карты;Дата;Сумма\n999;31.02.2024;1\n", &pp, &vp);
  CHECK(msg == vp + ":2: column \"Дата\" (date): \"31.02.2024\" is not a valid date");
  // A losing header of a field is not validated (§8.6).
  CHECK(error_of("id\n1\n", "Номер карты,Дата,Дата визита,Сумма\n1,05.01.2026,junk,100\n", &pp,
                 &vp) == "");
}

TEST_CASE("load: an empty patient id is a bad value, reported after the other cells") {
  std::string pp, vp;
  std::string msg = error_of("id,Дата рождения\n1,01.02.1990\n,01.02.1990\n", kVisitsOk, &pp, &vp);
  CHECK(msg.rfind(pp + ":3: column \"id\" (id): \"\" ", 0) == 0);
  // The row's other bad cell comes first, even though id stands left of it.
  msg = error_of("id,Дата рождения\n,31.02.2024\n", kVisitsOk, &pp, &vp);
  CHECK(msg ==
        pp + ":2: column \"Дата рождения\" (birth_date): \"31.02.2024\" is not a valid date");
  // Header as written in the file.
  msg = error_of("Номер карты;ФИО\n  ;Иванов\n", kVisitsOk, &pp, &vp);
  CHECK(msg.rfind(pp + ":2: column \"Номер карты\" (id): \"\" ", 0) == 0);
}

TEST_CASE("load: a duplicate id is a bad row; --skip-bad-rows skips it") {
  std::string pp, vp;
  std::string msg = error_of("id,ФИО\n7,Первый\n8,Другой\n7,Второй\n", kVisitsOk, &pp, &vp);
  CHECK(msg.rfind(pp + ":4: ", 0) == 0);
  CHECK(msg.find("7") != std::string::npos);
  Loaded a = load("id,ФИО\n7,Первый\n8,Другой\n 7 ,Второй\n", kVisitsOk, true);
  CHECK(a.patients.size() == 2);
  CHECK(text(a.patients, 0, PText::name) == "Первый");
  CHECK(a.skipped == 1);
}

TEST_CASE("load: --skip-bad-rows skips bad rows and keeps the rest") {
  Loaded a = load(
      "id;Дата рождения;Согласие на SMS\n"
      "1;01.02.1990;да\n"
      "2;31.02.2024;да\n"     // bad date
      "3;01.02.1990;может\n"  // bad boolean
      "4;01.02.1990\n"        // too few fields
      ";01.02.1990;да\n"      // empty id
      "5;;\n",
      "Номер карты;Дата;Сумма;Статус\n"
      "1;05.01.2026;100;\n"
      "1;31.02.2024;100;\n"    // bad date
      "5;05.01.2026;1,234;\n"  // bad money
      "5;05.01.2026;10;???\n"  // bad status
      "5;06.01.2026;10;выполнено\n",
      true);
  CHECK(a.patients.size() == 2);
  CHECK(a.patients.find("1") == 0);
  CHECK(a.patients.find("5") == 1);
  CHECK(a.patients.find("2") == PatientTable::kNotFound);
  CHECK(a.skipped == 4 + 3);
  REQUIRE(a.rows.size() == 2);
  CHECK(a.rows[0].patient == 0);
  CHECK(a.rows[0].line == 2);
  CHECK(a.rows[1].patient == 1);
  CHECK(a.rows[1].line == 6);
  CHECK(a.rows[1].date == days_from_ymd(2026, 1, 6));
}

TEST_CASE("load: visit rows — values, unknown cards not handed to the sink, file order") {
  Loaded a = load(
      "id\n101\n000123\n",
      "Номер визита;Номер карты;Дата приёма;Сумма;Оплачено бонусами;Услуга;Врач;Филиал;Статус\n"
      "D-1;101;05.01.2026 14:30;1 234,50 руб.;100;Чистка;Петров;Центр;Выполнен\n"
      "D-2;123;05.01.2026;100;;;;;\n"  // 123 is not 000123: unknown card
      "D-3;;05.01.2026;100;;;;;\n"     // empty patient id: unknown card
      "D-4; 000123 ;2026-02-01;-50;;Возврат;;;отменён\n"
      "D-5;999;05.01.2026;100;;;;;\n"
      "D-6;101;2026-07-15;;;;;;записан\n",
      false);
  REQUIRE(a.rows.size() == 3);
  const VisitRow& r0 = a.rows[0];
  CHECK(r0.patient == 0);
  CHECK(r0.line == 2);
  CHECK(r0.seq == 0);
  CHECK(r0.date == days_from_ymd(2026, 1, 5));
  CHECK(r0.amount == 123450);
  CHECK(r0.bonus_paid == 10000);
  CHECK(r0.status == Status::Completed);
  CHECK(a.visit_ids[0] == "D-1");
  CHECK(a.services[0] == "Чистка");
  CHECK(a.doctors[0] == "Петров");
  CHECK(a.branches[0] == "Центр");
  const VisitRow& r1 = a.rows[1];
  CHECK(r1.patient == 1);
  CHECK(r1.line == 5);
  CHECK(r1.seq == 1);
  CHECK(r1.amount == -5000);
  CHECK(r1.status == Status::Cancelled);  // ё = е
  CHECK(a.visit_ids[1] == "D-4");
  const VisitRow& r2 = a.rows[2];
  CHECK(r2.patient == 0);
  CHECK(r2.line == 7);
  CHECK(r2.seq == 2);
  CHECK(r2.amount == 0);  // empty money = 0
  CHECK(r2.status == Status::Planned);
}

TEST_CASE("load: required columns, --col overrides, amount only where required") {
  std::string pp, vp;
  // No date column in visits: the error names the field, the file, the headers and --col.
  std::string msg = error_of("id\n1\n", "Номер карты,Когда,Сумма\n1,05.01.2026,10\n", &pp, &vp);
  CHECK(msg.find(vp) != std::string::npos);
  CHECK(msg.find("date") != std::string::npos);
  CHECK(msg.find("Когда") != std::string::npos);
  CHECK(msg.find("--col date=") != std::string::npos);
  // --col date=Когда fixes it.
  Loaded a = load("id\n1\n", "Номер карты,Когда,Сумма\n1,05.01.2026,10\n", false,
                  {{Field::date, "когда"}});
  REQUIRE(a.rows.size() == 1);
  CHECK(a.rows[0].date == days_from_ymd(2026, 1, 5));
  // --col phone=Моб over the recognised Телефон; Телефон becomes another column.
  Loaded b = load("id,Телефон,Моб\n1,+74951234567,89120001122\n", kVisitsOk, false,
                  {{Field::phone, "Моб"}});
  CHECK(text(b.patients, 0, PText::phone) == "+79120001122");
  CHECK(b.patients.extra_titles() == std::vector<std::string>{"Телефон"});
  // An override matching no input is an input error (§8.7, §8.44), once every input is read.
  msg = error_of("id\n1\n", kVisitsOk, &pp, &vp, {{Field::phone, "Нет такой"}});
  CHECK(msg ==
        "--col phone=Нет такой: no input with a phone field has a column \"Нет такой\" "
        "(inputs read: " +
            pp + ", " + vp + ")");
  // No patients id column.
  msg = error_of("ФИО\nИванов\n", kVisitsOk, &pp, &vp);
  CHECK(msg.find(pp) != std::string::npos);
  CHECK(msg.find("--col id=") != std::string::npos);
  // amount: required unless the command does not use money (sms, §8.1).
  msg = error_of("id\n1\n", "Номер карты,Дата\n1,05.01.2026\n", &pp, &vp);
  CHECK(msg.find("--col amount=") != std::string::npos);
  Loaded c = load("id\n1\n", "Номер карты,Дата\n1,05.01.2026\n", false, {}, false);
  REQUIRE(c.rows.size() == 1);
  CHECK(c.rows[0].amount == 0);
}

TEST_CASE("load: read_adjustments") {
  MemoryInput f(
      "Дата;Номер карты;Сумма;Комментарий\n"
      "05.01.2026;101;-500;списание\n"
      "\n"
      "2026-02-01; 000123 ;1 000,50;\n");
  InputOptions o;
  Diagnostics diag(true, false);
  auto adj = read_adjustments(f, o, diag);
  REQUIRE(adj.size() == 2);
  CHECK(adj[0].date == days_from_ymd(2026, 1, 5));
  CHECK(adj[0].patient_id == "101");
  CHECK(adj[0].amount == -50000);
  CHECK(adj[0].note == "списание");
  CHECK(adj[0].line == 2);
  CHECK(adj[1].date == days_from_ymd(2026, 2, 1));
  CHECK(adj[1].patient_id == "000123");
  CHECK(adj[1].amount == 100050);
  CHECK(adj[1].note == "");
  CHECK(adj[1].line == 4);

  // Canonical headers and no note column.
  MemoryInput g("date,patient_id,amount\n2026-03-01,7,100\n");
  auto adj2 = read_adjustments(g, o, diag);
  REQUIRE(adj2.size() == 1);
  CHECK(adj2[0].note == "");
  CHECK(adj2[0].amount == 10000);

  // An empty date is a bad value (§8.32); a bad amount too.
  MemoryInput h("date;patient_id;amount\n;7;100\n");
  try {
    read_adjustments(h, o, diag);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind(h.path + ":2: column \"date\" (date): \"\" ", 0) == 0);
  }
  MemoryInput k("date;patient_id;amount\n2026-03-01;7;12 34\n");
  try {
    read_adjustments(k, o, diag);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind(k.path + ":2: column \"amount\" (amount): \"12 34\" ", 0) ==
          0);
  }
  // --skip-bad-rows: the bad row is skipped.
  MemoryInput m("date;patient_id;amount\n2026-03-01;7;12 34\n2026-03-02;8;5\n");
  Diagnostics skip(true, true);
  auto adj3 = read_adjustments(m, o, skip);
  REQUIRE(adj3.size() == 1);
  CHECK(adj3[0].patient_id == "8");
  CHECK(skip.skipped() == 1);
  // A missing required column.
  MemoryInput n("Дата;Сумма\n2026-03-01;5\n");
  try {
    read_adjustments(n, o, diag);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("--col patient_id=") != std::string::npos);
  }
}

namespace {

// What a loader call printed on stderr (warnings, skipped-row reports) and its InputError.
struct Run {
  std::string err, error;
};
template <class F>
Run capture_stderr(F&& f) {
  Run out;
  char tmpl[] = "/tmp/kartoteka_stderr_XXXXXX";
  int fd = mkstemp(tmpl);
  REQUIRE(fd >= 0);
  std::fflush(stderr);
  int saved = dup(STDERR_FILENO);
  dup2(fd, STDERR_FILENO);
  try {
    f();
  } catch (const InputError& e) {
    out.error = e.what();
  }
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  ::close(saved);
  out.err = test::read_back(fdopen(fd, "r"));
  std::remove(tmpl);
  return out;
}

// Folds the files through read_visits() + add() (pipelined = false) or fold_visits() (with
// `observe`).
Run fold_files(const std::string& patients, const std::string& visits, bool skip, bool pipelined,
               const StatsNeeds& needs, std::vector<std::string>* answers,
               const VisitObserver& observe = {}) {
  Run run = capture_stderr([&] {
    InputOptions o;
    o.patients_path = Input::memory(patients, "patients.csv");
    o.visits_path = Input::memory(visits, "visits.csv");
    o.as_of = days_from_ymd(2026, 6, 30);
    Diagnostics diag(false, skip);
    Inputs in(o, diag);
    PatientTable pt = in.read_patients();
    VisitFold fold(pt.size(), o.as_of, needs);
    if (pipelined)
      in.fold_visits(pt, fold, observe);
    else
      in.read_visits(pt, [&](const VisitRow& r) { fold.add(r); });
    fold.finish();
    for (uint32_t p = 0; p < pt.size(); ++p) {
      const VisitStats& s = fold.stats(p);
      std::string line = fmt::format("{} {} {} {} {} {} |", pt.id(p), s.first_visit, s.last_visit,
                                     s.visits, s.spent, s.upcoming);
      for (auto v : fold.services(p)) line += fmt::format(" {}", v);
      line += fmt::format(" | {}", fold.home_branch(p));
      answers->push_back(line);
    }
  });
  return run;
}

}  // namespace

TEST_CASE("load: fold_visits() folds as read_visits() + add(), with the same reports") {
  // Card numbers of 3, 10 and 40 bytes (the slot holds 8 bytes of an id; the pipeline copies ids
  // of up to 24 bytes inline), 300 rows (many times the pipeline's depth) with unknown cards,
  // long visit ids, services and branches, and bad rows spread over the file. Both paths must
  // give the same statistics for every patient and the same stderr; the unknown rows are counted
  // by hand: i % 7 == 3 → 43 rows (i = 3, 10, …, 297), minus the bad ones among them.
  const std::string long_id(40, 'Z');
  std::string patients = "id\n101\nABCDEFGHIJ\n" + long_id + "\n";
  for (int i = 0; i < 50; ++i) patients += fmt::format("{:07}\n", 1000 + i);
  std::string visits = "Номер визита,Номер карты,Дата,Сумма,Услуга,Филиал,Статус\n";
  int unknown = 0;
  for (int i = 0; i < 300; ++i) {
    std::string card = i % 7 == 3   ? "UNKNOWN-" + std::to_string(i)
                       : i % 5 == 0 ? "101"
                       : i % 5 == 1 ? "ABCDEFGHIJ"
                       : i % 5 == 2 ? long_id
                                    : fmt::format("{:07}", 1000 + i % 50);
    std::string visit = i % 4 == 0   ? ""
                        : i % 4 == 1 ? std::to_string(i % 60)
                                     : fmt::format("ДОКУМЕНТ-{:06}", i % 45);
    std::string date =
        i % 37 == 36 ? "31.02.2026" : fmt::format("2026-0{}-{:02}", 1 + i % 6, 1 + i % 28);
    std::string status = i % 11 == 5 ? "записан" : i % 13 == 6 ? "отменен" : "";
    if (i % 7 == 3 && i % 37 != 36) ++unknown;
    visits += fmt::format("{},{},{},{},Услуга {},Филиал {},{}\n", visit, card, date,
                          i % 9 == 4 ? -100 : 100 + i, i % 6, i % 3, status);
  }
  CHECK(unknown == 43 - 1);  // i = 73 (i % 37 == 36, i % 7 == 3) is a bad row, not unknown
  StatsNeeds needs;
  needs.services = needs.home_branch = true;
  std::vector<std::string> a, b;
  Run by_rows = fold_files(patients, visits, true, false, needs, &a);
  Run piped = fold_files(patients, visits, true, true, needs, &b);
  CHECK(by_rows.error == "");
  CHECK(piped.error == "");
  CHECK(by_rows.err.find("visits.csv: 42 rows name a card that is not in patients.csv") !=
        std::string::npos);
  CHECK(piped.err == by_rows.err);
  REQUIRE(a.size() == b.size());
  for (size_t p = 0; p < a.size(); ++p) CHECK(a[p] == b[p]);
  // Without --skip-bad-rows the first bad row (i = 36, line 38) stops both the same way.
  Run stop_rows = fold_files(patients, visits, false, false, needs, &a);
  Run stop_piped = fold_files(patients, visits, false, true, needs, &b);
  CHECK(stop_rows.error.find(
            "visits.csv:38: column \"Дата\" (date): \"31.02.2026\" is not a valid date") !=
        std::string::npos);
  CHECK(stop_piped.error == stop_rows.error);
  CHECK(stop_piped.err == stop_rows.err);
}

TEST_CASE("load: fold_visits() over many batches, on two threads, as read_visits() + add()") {
  // 20 000 rows: several of the reading thread's 4096-row batches, so the folding thread works
  // while the reader goes on. One bad date near the end (row 15 000, line 15 002): with
  // --skip-bad-rows it is reported once, in place; without, it stops both paths with the same
  // error while the folder still holds batches (they are dropped, the thread joined).
  std::string patients = "id\n";
  for (int i = 0; i < 2000; ++i) patients += fmt::format("{:07}\n", i);
  std::string visits = "Номер визита,Номер карты,Дата,Сумма,Филиал\n";
  for (int i = 0; i < 20000; ++i) {
    std::string date =
        i == 15000 ? "2026-13-01" : fmt::format("2026-0{}-{:02}", 1 + i % 9, 1 + i % 28);
    // Cards hit at random; every 1000th row names an unknown card (20 rows).
    std::string card =
        i % 1000 == 999 ? "X" + std::to_string(i) : fmt::format("{:07}", (i * 7919) % 2000);
    visits += fmt::format("{},{},{},{}.50,Филиал {}\n", i / 3, card, date, i % 500, i % 4);
  }
  StatsNeeds needs;
  needs.home_branch = true;
  std::vector<std::string> a, b;
  Run by_rows = fold_files(patients, visits, true, false, needs, &a);
  Run piped = fold_files(patients, visits, true, true, needs, &b);
  CHECK(by_rows.error == "");
  CHECK(by_rows.err.find("visits.csv: 20 rows name a card that is not in patients.csv") !=
        std::string::npos);
  CHECK(by_rows.err.find("visits.csv:15002:") != std::string::npos);
  CHECK(piped.err == by_rows.err);
  REQUIRE(a.size() == b.size());
  for (size_t p = 0; p < a.size(); ++p) CHECK(a[p] == b[p]);
  const std::vector<std::string> all_rows = a;
  Run stop_rows = fold_files(patients, visits, false, false, needs, &a);
  Run stop_piped = fold_files(patients, visits, false, true, needs, &b);
  CHECK(stop_rows.error.find("visits.csv:15002:") != std::string::npos);
  CHECK(stop_piped.error == stop_rows.error);
  // The same with KARTOTEKA_THREADS=1: one thread fills and folds each batch itself.
  setenv("KARTOTEKA_THREADS", "1", 1);
  std::vector<std::string> c;
  Run one = fold_files(patients, visits, true, true, needs, &c);
  const std::vector<std::string> one_rows = c;
  Run one_stop = fold_files(patients, visits, false, true, needs, &c);
  unsetenv("KARTOTEKA_THREADS");
  CHECK(one.err == by_rows.err);
  CHECK(one_rows == all_rows);
  CHECK(one_stop.error == stop_rows.error);
}

TEST_CASE("load: fold_visits() observer: every known row in file order, ahead before see") {
  // 10 000 rows (more than two 4096-row batches) over cards 0000000…0000099, every 7th row an
  // unknown card (rows 6, 13, …: 1428 of them), so seen rows are the other 8572, in file order,
  // numbered 0, 1, 2, … and each given to `ahead` before `see`. The amount is the row number, so
  // the order can be checked from the rows themselves.
  std::string patients = "id\n";
  for (int i = 0; i < 100; ++i) patients += fmt::format("{:07}\n", i);
  std::string visits = "visit_id,patient_id,date,amount\n";
  for (int i = 0; i < 10000; ++i)
    visits += fmt::format("{},{},2026-01-{:02},{}\n", i,
                          i % 7 == 6 ? "X" : fmt::format("{:07}", i % 100), 1 + i % 28, i);
  std::vector<int64_t> ahead_rows, seen_rows;
  bool in_order = true;
  VisitObserver observe;
  observe.ahead = [&](const VisitRow& r) { ahead_rows.push_back(r.amount / 100); };
  observe.see = [&](const VisitRow& r) {
    // `ahead` already had this row; numbering follows the rows seen.
    in_order = in_order && ahead_rows.size() > seen_rows.size() &&
               ahead_rows[seen_rows.size()] == r.amount / 100 &&
               r.seq == static_cast<int64_t>(seen_rows.size()) &&
               r.patient == static_cast<uint32_t>(r.amount / 100 % 100);  // card i is patient i
    seen_rows.push_back(r.amount / 100);
  };
  std::vector<std::string> answers;
  Run run = fold_files(patients, visits, false, true, StatsNeeds{}, &answers, observe);
  CHECK(run.error == "");
  CHECK(run.err.find("1428 rows name a card that is not in") != std::string::npos);
  CHECK(in_order);
  REQUIRE(seen_rows.size() == 10000 - 1428);
  CHECK(ahead_rows == seen_rows);
  int64_t want = 0;
  for (int64_t row : seen_rows) {
    if (want % 7 == 6) ++want;  // unknown cards are not seen
    CHECK(row == want);
    ++want;
  }
}
