// PatientTable storage and lookup (SPEC §8.13), categories splitting (§2.2, §8.18).
// Expected values are the inputs themselves, worked out by hand.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model/patients.h"

using namespace kartoteka;

namespace {

std::vector<std::string_view> cells(std::string_view id) {
  std::vector<std::string_view> text(kPTextCount);
  text[static_cast<size_t>(PText::id)] = id;
  return text;
}

using SV = std::vector<std::string_view>;

}  // namespace

TEST_CASE("patients: add and find, exact after trimming") {
  PatientTable pt;
  CHECK(pt.size() == 0);
  CHECK(pt.find("101") == PatientTable::kNotFound);
  REQUIRE(pt.add(cells("101"), {}, {}));
  REQUIRE(pt.add(cells("000123"), {}, {}));
  REQUIRE(pt.add(cells("A-15"), {}, {}));
  CHECK(pt.size() == 3);
  CHECK(pt.find("101") == 0);
  CHECK(pt.find("000123") == 1);
  CHECK(pt.find("A-15") == 2);
  // Trimmed of spaces and tabs (§8.13).
  CHECK(pt.find(" 101 ") == 0);
  CHECK(pt.find("\t000123") == 1);
  // Exact: no numeric rule, no case folding, no prefixes.
  CHECK(pt.find("123") == PatientTable::kNotFound);
  CHECK(pt.find("0101") == PatientTable::kNotFound);
  CHECK(pt.find("10") == PatientTable::kNotFound);
  CHECK(pt.find("1010") == PatientTable::kNotFound);
  CHECK(pt.find("a-15") == PatientTable::kNotFound);
  CHECK(pt.find("") == PatientTable::kNotFound);
  CHECK(pt.id(0) == "101");
  CHECK(pt.id(2) == "A-15");
}

TEST_CASE("patients: long ids that share their first 8 bytes") {
  PatientTable pt;
  REQUIRE(pt.add(cells("ABCDEFGH-1"), {}, {}));
  REQUIRE(pt.add(cells("ABCDEFGH-2"), {}, {}));
  REQUIRE(pt.add(cells("ABCDEFGH"), {}, {}));
  REQUIRE(pt.add(cells("Карта-№-0000001"), {}, {}));
  CHECK(pt.find("ABCDEFGH-1") == 0);
  CHECK(pt.find("ABCDEFGH-2") == 1);
  CHECK(pt.find("ABCDEFGH") == 2);
  CHECK(pt.find("ABCDEFGH-3") == PatientTable::kNotFound);
  CHECK(pt.find("ABCDEFGH-") == PatientTable::kNotFound);
  CHECK(pt.find(" Карта-№-0000001 ") == 3);
  CHECK(pt.find("Карта-№-0000002") == PatientTable::kNotFound);
}

TEST_CASE("patients: duplicate id rejected, nothing stored") {
  PatientTable pt({"note"});
  auto a = cells("77");
  a[static_cast<size_t>(PText::name)] = "Первый";
  REQUIRE(pt.add(a, SV{"first"}, {}));
  auto b = cells("77");
  b[static_cast<size_t>(PText::name)] = "Второй";
  CHECK_FALSE(pt.add(b, SV{"second"}, {}));
  CHECK_FALSE(pt.add(cells(" 77 "), SV{"third"}, {}));  // same after trimming
  CHECK(pt.size() == 1);
  CHECK(pt.text(0, PText::name) == "Первый");
  CHECK(pt.extra(0, 0) == "first");
  // The next patient is stored right after, undisturbed by the rejected ones.
  REQUIRE(pt.add(cells("78"), SV{"fourth"}, {}));
  CHECK(pt.find("78") == 1);
  CHECK(pt.extra(1, 0) == "fourth");
}

TEST_CASE("patients: text cells, extras and core values are kept per patient") {
  PatientTable pt({"Любимый цвет", "Рост"});
  CHECK(pt.extra_titles() == std::vector<std::string>{"Любимый цвет", "Рост"});
  auto t = cells("1");
  t[static_cast<size_t>(PText::name)] = "Иванова Анна Петровна";
  t[static_cast<size_t>(PText::last_name)] = "Иванова";
  t[static_cast<size_t>(PText::first_name)] = "Анна";
  t[static_cast<size_t>(PText::middle_name)] = "Петровна";
  t[static_cast<size_t>(PText::phone)] = "+79123456789";
  t[static_cast<size_t>(PText::categories)] = "VIP;детский";
  t[static_cast<size_t>(PText::need)] = "";
  t[static_cast<size_t>(PText::branch)] = "Центр";
  PatientCore core;
  core.gender = 'F';
  core.birth_date = 7000;
  core.sms_consent = Tri::True;
  core.purchased = Tri::False;
  REQUIRE(pt.add(t, SV{"синий", "170"}, core));
  // Fewer extras than titles: the rest are empty.
  PatientCore c2;
  REQUIRE(pt.add(cells("2"), SV{"красный"}, c2));
  REQUIRE(pt.add(cells("3"), {}, c2));

  CHECK(pt.text(0, PText::id) == "1");
  CHECK(pt.text(0, PText::name) == "Иванова Анна Петровна");
  CHECK(pt.text(0, PText::last_name) == "Иванова");
  CHECK(pt.text(0, PText::first_name) == "Анна");
  CHECK(pt.text(0, PText::middle_name) == "Петровна");
  CHECK(pt.text(0, PText::phone) == "+79123456789");
  CHECK(pt.text(0, PText::categories) == "VIP;детский");
  CHECK(pt.text(0, PText::branch) == "Центр");
  CHECK(pt.text(0, PText::need) == "");
  CHECK(pt.text(0, PText::email) == "");
  CHECK(pt.extra(0, 0) == "синий");
  CHECK(pt.extra(0, 1) == "170");
  CHECK(pt.core(0).gender == 'F');
  CHECK(pt.core(0).birth_date == 7000);
  CHECK(pt.core(0).sms_consent == Tri::True);
  CHECK(pt.core(0).purchased == Tri::False);
  CHECK(pt.core(0).registered == kNoDay);

  CHECK(pt.text(1, PText::id) == "2");
  CHECK(pt.text(1, PText::name) == "");
  CHECK(pt.extra(1, 0) == "красный");
  CHECK(pt.extra(1, 1) == "");
  CHECK(pt.extra(2, 0) == "");
  CHECK(pt.extra(2, 1) == "");
  CHECK(pt.core(1).gender == 0);
  CHECK(pt.core(1).sms_consent == Tri::Unknown);
}

TEST_CASE("patients: many patients stay findable across growth") {
  PatientTable pt;
  const int n = 5000;
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i)
    ids.push_back(i % 2 ? std::to_string(i) : "card-number-" + std::to_string(i));
  for (int i = 0; i < n; ++i) REQUIRE(pt.add(cells(ids[i]), {}, {}));
  CHECK(pt.size() == static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    CAPTURE(i);
    REQUIRE(pt.find(ids[i]) == static_cast<uint32_t>(i));
    REQUIRE(pt.id(i) == ids[i]);
  }
  CHECK(pt.find("card-number-1") == PatientTable::kNotFound);  // odd numbers are bare
  CHECK(pt.find(std::to_string(n)) == PatientTable::kNotFound);
  CHECK_FALSE(pt.add(cells("4999"), {}, {}));
}

TEST_CASE("patients: split_categories on ; , | with trim, no repeats, cell order") {
  CHECK(split_categories("") == SV{});
  CHECK(split_categories("   ") == SV{});
  CHECK(split_categories(" ; , | ") == SV{});
  CHECK(split_categories("VIP") == SV{"VIP"});
  CHECK(split_categories("VIP;ортодонтия") == SV{"VIP", "ортодонтия"});
  CHECK(split_categories("a,b|c;d") == SV{"a", "b", "c", "d"});
  CHECK(split_categories("  VIP ; ортодонтия|\tдетский ,") == SV{"VIP", "ортодонтия", "детский"});
  // Repeats dropped, the first occurrence keeps its place (cell order, not sorted).
  CHECK(split_categories("b;a;b;c;a") == SV{"b", "a", "c"});
  CHECK(split_categories("VIP | VIP,VIP") == SV{"VIP"});
  // Inner spaces are part of the value; different case is a different value.
  CHECK(split_categories("долг по оплате;VIP;vip") == SV{"долг по оплате", "VIP", "vip"});
  CHECK(split_categories(";;x;;") == SV{"x"});
}

TEST_CASE("patients: split_joined") {
  CHECK(split_joined("") == SV{});
  CHECK(split_joined("a") == SV{"a"});
  CHECK(split_joined("VIP;детский;долг по оплате") == SV{"VIP", "детский", "долг по оплате"});
  CHECK(split_joined("a,b;c") == SV{"a,b", "c"});  // only `;` joins stored values
}

TEST_CASE("patients: only the fields a command needs are kept") {
  // Two patients, every text field set; the table keeps id (always), phone and last_name (which
  // pulls in name, its default source). Expected cells are the inputs, by hand.
  std::vector<std::string_view> a(kPTextCount), b(kPTextCount);
  a[size_t(PText::id)] = "1", a[size_t(PText::name)] = "Иванова Анна Петровна";
  a[size_t(PText::last_name)] = "Иванова";  // = the default from name: stored as a bit
  a[size_t(PText::phone)] = "+79161234567", a[size_t(PText::email)] = "a@x.ru";
  a[size_t(PText::city)] = "Москва";
  b[size_t(PText::id)] = "2", b[size_t(PText::name)] = "Петров Пётр";
  b[size_t(PText::last_name)] = "Сидоров";  // differs from the default: stored as text
  b[size_t(PText::phone)] = "", b[size_t(PText::email)] = "b@x.ru";
  PatientTable pt({"Карта лояльности"},
                  PatientNeeds::none().add(PText::phone).add(PText::last_name));
  CHECK(pt.needs().has(PText::id));
  CHECK(pt.needs().has(PText::name));
  CHECK(!pt.needs().has(PText::email));
  CHECK(!pt.needs().extras);
  REQUIRE(pt.add(a, SV{"GOLD"}, {}));
  REQUIRE(pt.add(b, SV{"SILVER"}, {}));
  CHECK(pt.find("2") == 1);
  CHECK(pt.id(0) == "1");
  CHECK(pt.text(0, PText::name) == "Иванова Анна Петровна");
  CHECK(pt.text(0, PText::last_name) == "Иванова");
  CHECK(pt.text(0, PText::phone) == "+79161234567");
  CHECK(pt.text(1, PText::last_name) == "Сидоров");
  CHECK(pt.text(1, PText::phone) == "");
  CHECK(pt.extra_titles() == std::vector<std::string>{"Карта лояльности"});
}

TEST_CASE("patients: all fields by default, extras included") {
  std::vector<std::string_view> a(kPTextCount);
  a[size_t(PText::id)] = "7", a[size_t(PText::email)] = "z@x.ru",
  a[size_t(PText::need)] = "брекеты";
  PatientTable pt({"X", "Y"});
  REQUIRE(pt.add(a, SV{"x1", "y1"}, {}));
  CHECK(pt.text(0, PText::email) == "z@x.ru");
  CHECK(pt.text(0, PText::need) == "брекеты");
  CHECK(pt.extra(0, 0) == "x1");
  CHECK(pt.extra(0, 1) == "y1");
}

TEST_CASE("sort_by_id: byte order, also past the first 8 bytes, sorted or not") {
  // Byte order by hand: digits (0x31…) < 'a' (0x61) < 'b' < 'я' (0xD1 0x8F); "1234567" is a
  // prefix of the 9-byte ids and goes first; those two differ only in byte 9.
  PatientTable pt;
  for (std::string_view id : {"b", "я", "12345678b", "12345678a", "1234567", "a"})
    REQUIRE(pt.add(cells(id), {}, {}));
  std::vector<uint32_t> all = {0, 1, 2, 3, 4, 5};
  sort_by_id(pt, all);
  CHECK(all == std::vector<uint32_t>{4, 3, 2, 5, 0, 1});
  std::vector<uint32_t> again = all;  // already in order: stays
  sort_by_id(pt, again);
  CHECK(again == all);
  std::vector<uint32_t> some = {1, 0, 2};  // я, b, 12345678b → 12345678b, b, я
  sort_by_id(pt, some);
  CHECK(some == std::vector<uint32_t>{2, 0, 1});
  std::vector<uint32_t> none;
  sort_by_id(pt, none);
  CHECK(none.empty());
}

TEST_CASE("id_order_head: orders as the bytes do within the first 8") {
  CHECK(id_order_head("") == 0);
  CHECK(id_order_head("A") == uint64_t{0x41} << 56);
  CHECK(id_order_head("abc") < id_order_head("abcd"));
  CHECK(id_order_head("abd") > id_order_head("abcdefghij"));
  CHECK(id_order_head("z") < id_order_head("я"));                  // unsigned bytes: 0x7A < 0xD1
  CHECK(id_order_head("12345678") == id_order_head("123456789"));  // the rest is the ids' job
}
