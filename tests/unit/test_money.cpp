#include <doctest/doctest.h>

#include <limits>

#include "model/money.h"

using namespace kartoteka;

namespace {

Kopecks money(std::string_view cell) {
  Kopecks k = 777;
  REQUIRE_MESSAGE(parse_money(cell, k), cell);
  return k;
}

bool bad(std::string_view cell) {
  Kopecks k;
  return !parse_money(cell, k);
}

const Kopecks kMax = std::numeric_limits<int64_t>::max();
const Kopecks kMin = std::numeric_limits<int64_t>::min();

}  // namespace

TEST_CASE("parse_money: plain numbers") {
  CHECK(money("") == 0);
  CHECK(money("0") == 0);
  CHECK(money("5") == 500);
  CHECK(money("1234") == 123400);
  CHECK(money("1234,50") == 123450);
  CHECK(money("1234.50") == 123450);
  CHECK(money("1234,5") == 123450);  // one fraction digit = tenths
  CHECK(money("0,05") == 5);
  CHECK(money("0.5") == 50);
  CHECK(money("007") == 700);
  CHECK(money("1,23") == 123);
  CHECK(money("1.23") == 123);
}

// parse_money reads the plain shape (sign, ≤ 15 digits, 1–2 fraction digits) on a fast path and
// everything else on the general one; these sit on both sides of that line. Values by hand:
// roubles × 100 + kopecks.
TEST_CASE("parse_money: the plain shape and just outside it") {
  CHECK(money("999999999999999") == 99999999999999900);     // 15 digits: the plain path
  CHECK(money("999999999999999,99") == 99999999999999999);  // 15 + 2 digits
  CHECK(money("1000000000000000") == 100000000000000000);   // 16 digits: the general path
  CHECK(money("-1000000000000000,01") == -100000000000000001);
  CHECK(money("92233720368547758,07") == kMax);  // 17 digits, the very top
  CHECK(bad("92233720368547758,08"));
  CHECK(money("12.5") == 1250);
  CHECK(money("-7,1") == -710);
  CHECK(money("+0.01") == 1);
  CHECK(money("5 ₽") == 500);  // a suffix leaves the plain shape
  CHECK(bad("5,"));
  CHECK(bad("5."));
  CHECK(bad("5,123"));
  CHECK(bad("5,1a"));
  CHECK(bad("5a"));
  CHECK(bad("+"));
  CHECK(bad("-"));
  CHECK(bad("--5"));
  CHECK(bad("+-5"));
  CHECK(bad(".50"));
  CHECK(bad("1.234,50"));
}

TEST_CASE("parse_money: signs") {
  CHECK(money("-500,00") == -50000);
  CHECK(money("-500") == -50000);
  CHECK(money("+5") == 500);
  CHECK(money("-0,05") == -5);
  CHECK(money("-0") == 0);
  CHECK(money("-1 234,50 ₽") == -123450);
}

TEST_CASE("parse_money: thousands groups") {
  CHECK(money("1 234,50") == 123450);
  CHECK(money("1\xC2\xA0"
              "234,50") == 123450);  // NBSP
  CHECK(money("1\xE2\x80\xAF"
              "234,50") == 123450);  // narrow NBSP
  CHECK(money("12 345") == 1234500);
  CHECK(money("123 456") == 12345600);
  CHECK(money("1 234 567,89") == 123456789);
  CHECK(money("1\xC2\xA0"
              "234 567.8") == 123456780);  // separators may differ between groups
  CHECK(money("0 500") == 50000);          // odd but within the grammar
}

TEST_CASE("parse_money: currency suffixes") {
  CHECK(money("100₽") == 10000);
  CHECK(money("100 ₽") == 10000);
  CHECK(money("100\xC2\xA0₽") == 10000);
  CHECK(money("100  ₽") == 10000);
  CHECK(money("1 234,50 ₽") == 123450);
  CHECK(money("1 234 ₽") == 123400);  // the last space belongs to the suffix, not a group
  CHECK(money("100 р.") == 10000);
  CHECK(money("100р.") == 10000);
  CHECK(money("100 Р.") == 10000);
  CHECK(money("100 руб.") == 10000);
  CHECK(money("100 руб") == 10000);
  CHECK(money("100 РУБ.") == 10000);
  CHECK(money("100 Руб") == 10000);
  CHECK(money("100,50руб.") == 10050);
}

TEST_CASE("parse_money: bad values") {
  CHECK(bad("12 34"));
  CHECK(bad(",50"));
  CHECK(bad(".50"));
  CHECK(bad("5,"));
  CHECK(bad("5."));
  CHECK(bad("1.234,50"));
  CHECK(bad("1,234"));
  CHECK(bad("1.234"));
  CHECK(bad("1 234,567"));
  CHECK(bad("1234 567"));  // a group needs 1–3 leading digits
  CHECK(bad("1 2345"));
  CHECK(bad("1  234"));  // one separator between groups
  CHECK(bad("1 234 5"));
  CHECK(bad("1,234,567"));
  CHECK(bad("1'234"));
  CHECK(bad("-"));
  CHECK(bad("+"));
  CHECK(bad("₽"));
  CHECK(bad("руб."));
  CHECK(bad("- 5"));
  CHECK(bad("--5"));
  CHECK(bad("+-5"));
  CHECK(bad("5-"));
  CHECK(bad("abc"));
  CHECK(bad("5 р"));  // `р` without the dot is not in the list
  CHECK(bad("5 rub"));
  CHECK(bad("5 $"));
  CHECK(bad("5 ₽ ₽"));
  CHECK(bad("5 руб. ."));
  CHECK(bad("₽5"));
  CHECK(bad("5\xC2\xA0"));  // separators only before a suffix
  CHECK(bad("1e3"));
  CHECK(bad("0x10"));
  CHECK(bad("5,0,0"));
}

TEST_CASE("parse_money: overflow") {
  // INT64_MAX kopecks = 92233720368547758.07 rubles.
  CHECK(money("92233720368547758,07") == kMax);
  CHECK(money("92 233 720 368 547 758,07") == kMax);
  CHECK(bad("92233720368547758,08"));
  CHECK(bad("92233720368547759"));
  CHECK(bad("99999999999999999999"));
  CHECK(bad("999999999999999999999999999999"));
  // The negative side reaches one kopeck further.
  CHECK(money("-92233720368547758,08") == kMin);
  CHECK(bad("-92233720368547758,09"));
}

TEST_CASE("format_money") {
  CHECK(format_money(0) == "0.00");
  CHECK(format_money(5) == "0.05");
  CHECK(format_money(50) == "0.50");
  CHECK(format_money(100) == "1.00");
  CHECK(format_money(123450) == "1234.50");
  CHECK(format_money(-5) == "-0.05");
  CHECK(format_money(-50000) == "-500.00");
  CHECK(format_money(-123456) == "-1234.56");
  CHECK(format_money(kMax) == "92233720368547758.07");
  CHECK(format_money(kMin) == "-92233720368547758.08");
}

TEST_CASE("format_money_short") {
  CHECK(format_money_short(10000) == "100");
  CHECK(format_money_short(15050) == "150.50");
  CHECK(format_money_short(15005) == "150.05");
  CHECK(format_money_short(0) == "0");
  CHECK(format_money_short(-30000) == "-300");
  CHECK(format_money_short(-5) == "-0.05");
  CHECK(format_money_short(kMin) == "-92233720368547758.08");
}

TEST_CASE("div_round_half_away") {
  CHECK(div_round_half_away(10, 2) == 5);
  CHECK(div_round_half_away(10, 3) == 3);   // 3.33
  CHECK(div_round_half_away(11, 3) == 4);   // 3.67
  CHECK(div_round_half_away(5, 2) == 3);    // 2.5 → 3
  CHECK(div_round_half_away(7, 2) == 4);    // 3.5 → 4
  CHECK(div_round_half_away(-5, 2) == -3);  // −2.5 → −3 (away from zero)
  CHECK(div_round_half_away(-7, 2) == -4);
  CHECK(div_round_half_away(-10, 3) == -3);
  CHECK(div_round_half_away(-11, 3) == -4);
  CHECK(div_round_half_away(-1, 3) == 0);
  CHECK(div_round_half_away(1, 3) == 0);
  CHECK(div_round_half_away(0, 7) == 0);
  CHECK(div_round_half_away(1, 2) == 1);
  CHECK(div_round_half_away(-1, 2) == -1);
  CHECK(div_round_half_away(100001, 1) == 100001);
  // 1000.01 ₽ over 3 visits = 333.336… → 333.34.
  CHECK(div_round_half_away(100001, 3) == 33334);
  // No overflow near the limits: 2·remainder would not fit.
  CHECK(div_round_half_away(kMax, kMax) == 1);
  CHECK(div_round_half_away(kMax - 1, kMax) == 1);
  CHECK(div_round_half_away(kMax / 2, kMax) == 0);  // just under one half
  CHECK(div_round_half_away(kMin, kMax) == -1);
  CHECK(div_round_half_away(kMin, 2) == kMin / 2);
  CHECK(div_round_half_away(kMax, 2) == kMax / 2 + 1);  // …x.5 rounds up
}
