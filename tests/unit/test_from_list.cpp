// `--from` lists (SPEC §4, §8.42): key column choice, excel `="…"` cells, unknown and repeated ids,
// travelling titles. Lists are small temp files; expectations are by hand.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fixtures.h"
#include "io/from_list.h"
#include "memory_input.h"
#include "model/errors.h"

using namespace kartoteka;

namespace {

using kartoteka::test::MemoryInput;

// Patients 0: 000123, 1: 101, 2: 77, 3: A-15.
PatientTable patients() {
  PatientTable pt;
  for (const char* id : {"000123", "101", "77", "A-15"}) test::add_patient(pt, {{PText::id, id}});
  return pt;
}

FromList read(const std::string& content, const PatientTable& pt) {
  MemoryInput f(content);
  Diagnostics diag(true, false);
  return read_from_list(f, pt, diag);
}

using Titles = std::vector<std::string>;
using Order = std::vector<uint32_t>;

}  // namespace

TEST_CASE("from_list: id column; other columns travel in file order") {
  PatientTable pt = patients();
  FromList l = read("name,id,note\nИванов,101,звонок\nПетров,77,\n", pt);
  CHECK(l.titles == Titles{"name", "note"});  // the key column does not travel
  CHECK(l.order == Order{1, 2});
  CHECK(l.contains(1));
  CHECK(l.contains(2));
  CHECK_FALSE(l.contains(0));
  CHECK(l.value(1, 0) == "Иванов");
  CHECK(l.value(1, 1) == "звонок");
  CHECK(l.value(2, 0) == "Петров");
  CHECK(l.value(2, 1) == "");
  CHECK(l.value(0, 0) == "");  // not listed → ""
  // A list of ids only.
  FromList bare = read("ID\n77\n", pt);
  CHECK(bare.titles.empty());
  CHECK(bare.order == Order{2});
}

TEST_CASE("from_list: recognised id headers, any dialect") {
  PatientTable pt = patients();
  // `;` delimiter, Russian header `Номер карты`.
  FromList a = read("Номер карты;Комментарий\n000123;первый\nA-15;второй\n", pt);
  CHECK(a.titles == Titles{"Комментарий"});
  CHECK(a.order == Order{0, 3});
  CHECK(a.value(3, 0) == "второй");
  // TAB, `Код пациента`, CRLF and a BOM.
  FromList b = read("\xEF\xBB\xBFКод пациента\tбаллы\r\n101\t5\r\n", pt);
  CHECK(b.titles == Titles{"баллы"});
  CHECK(b.order == Order{1});
  CHECK(b.value(1, 0) == "5");
  // Header normalisation (§8.6): `Номер_карты`, `№ КАРТЫ`.
  CHECK(read("x,Номер_карты\n1,77\n", pt).order == Order{2});
  CHECK(read("№ КАРТЫ|x\n77|1\n", pt).order == Order{2});
}

TEST_CASE("from_list: key column new_id, else referrer_id") {
  PatientTable pt = patients();
  // new_id is chosen over referrer_id even when referrer_id stands first.
  FromList a = read("referrer_id,new_id,topup\n101,77,100.00\n", pt);
  CHECK(a.titles == Titles{"referrer_id", "topup"});
  CHECK(a.order == Order{2});
  CHECK(a.value(2, 0) == "101");
  // The id column is chosen over new_id.
  FromList b = read("new_id,id\n77,101\n", pt);
  CHECK(b.titles == Titles{"new_id"});
  CHECK(b.order == Order{1});
  // referrer_id alone (referrals --summary): the referrers.
  FromList c = read("referrer_id,referrals\n000123,2\n", pt);
  CHECK(c.titles == Titles{"referrals"});
  CHECK(c.order == Order{0});
  // Titles compared after §8.6.
  CHECK(read("x,New-ID\n1,A-15\n", pt).order == Order{3});
  CHECK(read("Referrer.ID;x\nA-15;1\n", pt).order == Order{3});
  // No key column: an input error naming the file.
  MemoryInput f("name,phone\nИванов,+79123456789\n");
  Diagnostics diag(true, false);
  try {
    read_from_list(f, pt, diag);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find(f.path) != std::string::npos);
  }
}

TEST_CASE("from_list: excel cells =\"…\" read as their inner text") {
  PatientTable pt = patients();
  // As kartoteka's excel format writes them: BOM, `;`, CRLF, `"=""000123"""`.
  FromList a =
      read("\xEF\xBB\xBFid;phone;note\r\n\"=\"\"000123\"\"\";\"=\"\"+79123456789\"\"\";x\r\n", pt);
  CHECK(a.order == Order{0});
  CHECK(a.titles == Titles{"phone", "note"});
  CHECK(a.value(0, 0) == "+79123456789");  // travelling cells are unwrapped too
  CHECK(a.value(0, 1) == "x");
  // Unquoted, as a spreadsheet may save it.
  FromList b = read("id,note\n=\"000123\",y\n", pt);
  CHECK(b.order == Order{0});
  CHECK(b.value(0, 0) == "y");
}

TEST_CASE("from_list: unknown ids dropped, repeated ids keep the first row") {
  PatientTable pt = patients();
  // 123 is not 000123 (exact match, §8.13); 999 is unknown; 101 is listed twice; ids are trimmed.
  FromList l = read("id,note\n999,a\n101,first\n123,b\n 77 ,c\n101,second\nA-15,d\n77,e\n", pt);
  CHECK(l.order == Order{1, 2, 3});
  CHECK(l.rows.size() == 3);
  CHECK(l.value(1, 0) == "first");
  CHECK(l.value(2, 0) == "c");
  CHECK(l.value(3, 0) == "d");
  CHECK_FALSE(l.contains(0));
  // An empty list is no error.
  FromList e = read("id,note\n", pt);
  CHECK(e.order.empty());
  CHECK(e.titles == Titles{"note"});
}

TEST_CASE("from_list: --from-key names the key column; key kind and candidates") {
  PatientTable pt = patients();
  // A referral list (§8.42): key new_id, not an id column; candidates in file order.
  FromList plain = read("date,referrer_id,new_id,sms_text\n2026-01-01,101,77,спасибо\n", pt);
  CHECK(plain.key_title == "new_id");
  CHECK_FALSE(plain.key_is_id);
  CHECK_FALSE(plain.key_chosen);
  CHECK(plain.key_candidates == Titles{"referrer_id", "new_id"});
  CHECK(plain.order == Order{2});

  // --from-key referrer_id: the referrers; new_id travels; titles compared after §8.6.
  MemoryInput f(
      "date,referrer_id,new_id,sms_text\n2026-01-01,101,77,a\n2026-02-01,,A-15,b\n"
      "2026-03-01,101,000123,c\n2026-04-01,77,101,d\n");
  Diagnostics diag(true, false);
  FromList k = read_from_list(f, pt, diag, {}, nullptr, "Referrer-ID");
  CHECK(k.key_title == "referrer_id");
  CHECK(k.key_chosen);
  CHECK(k.titles == Titles{"date", "new_id", "sms_text"});
  // Row 2 has an empty key (skipped with a warning); 101 again keeps its first row.
  CHECK(k.order == Order{1, 2});
  CHECK(k.value(1, 1) == "77");
  CHECK(k.value(2, 2) == "d");

  // --from-key wins over the id column.
  MemoryInput g("id,other\n101,77\n");
  FromList o = read_from_list(g, pt, diag, {}, nullptr, "other");
  CHECK(o.order == Order{2});
  CHECK(o.titles == Titles{"id"});
  CHECK(read("id,x\n101,1\n", pt).key_is_id);
}

TEST_CASE("from_list: --from-key naming a column the list lacks is an input error") {
  PatientTable pt = patients();
  MemoryInput f("new_id,new_name\n77,Петров\n");
  Diagnostics diag(true, false);
  try {
    read_from_list(f, pt, diag, {}, nullptr, "referrer_id");
    FAIL("no error");
  } catch (const InputError& e) {
    const std::string m = e.what();
    CHECK(m.find("referrer_id") != std::string::npos);
    CHECK(m.find("\"new_id\", \"new_name\"") != std::string::npos);  // the list's columns
  }
}

TEST_CASE("from_list: --col id=HEADER names the key column (§8.44)") {
  PatientTable pt = patients();
  MemoryInput f("Номер;ФИО\n101;Иванов\n77;Петров\n");
  Diagnostics diag(true, false);
  // Without --col: "Номер" is no id header; the error suggests the one option that fixes it.
  std::string msg;
  try {
    read_from_list(f, pt, diag);
  } catch (const InputError& e) {
    msg = e.what();
  }
  CHECK(msg == f.path +
                   ": the --from list has no id column (headers seen: \"Номер\", \"ФИО\"); name it "
                   "with --col id=Номер");
  // With it (matched after §8.6 normalisation), and the list offered to the usage record.
  std::vector<ColOverride> cols = {{Field::id, "НОМЕР"}};
  ColUsage usage;
  FromList l = read_from_list(f, pt, diag, cols, &usage);
  CHECK(l.order == Order{1, 2});
  CHECK(l.titles == Titles{"ФИО"});
  CHECK_NOTHROW(usage.check(cols));
  // --col id= wins over a recognised id header; an override naming no column changes nothing.
  MemoryInput g("id,Карта\n101,77\n");
  CHECK(read_from_list(g, pt, diag, {{Field::id, "Карта"}}).order == Order{2});
  CHECK(read_from_list(g, pt, diag, {{Field::id, "Нет"}}).order == Order{1});
}
