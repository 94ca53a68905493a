// --mask: stable pseudonyms for names and phones (rules/mask.h).
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "cli/mask_key.h"
#include "rules/mask.h"

using namespace kartoteka;

namespace {
const MaskKey kDefault = MaskKey::from_secret("kartoteka --mask v1");  // the built-in secret
}

TEST_CASE("mask: SipHash-2-4 reference vectors") {
  // Key 00 01 … 0f; expected values from the SipHash paper's test vectors.
  const MaskKey k{0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
  CHECK(mask_hash(k, "") == 0x726fdb47dd0e0e31ULL);
  std::string fifteen;
  for (int i = 0; i < 15; ++i) fifteen.push_back(static_cast<char>(i));
  CHECK(mask_hash(k, fifteen) == 0xa129ca6149be45e5ULL);
}

TEST_CASE("mask: pseudonyms have the documented form and known values") {
  // Computed with an independent SipHash-2-4 (Python, checked against the vectors above).
  CHECK(mask_name(kDefault, "Орлова Наталья") == "Пациент-69534d19");
  CHECK(mask_phone(kDefault, "+79123456789") == "+79990615009");
  // No environment variable: the built-in key.
  unsetenv("KARTOTEKA_MASK_KEY");
  CHECK(mask_name(mask_key_from_env(), "Орлова Наталья") == "Пациент-69534d19");
}

TEST_CASE("mask: stable, empty stays empty, key matters") {
  CHECK(mask_name(kDefault, "") == "");
  CHECK(mask_phone(kDefault, "") == "");
  CHECK(mask_name(kDefault, "Белов Игорь") == mask_name(kDefault, "Белов Игорь"));
  CHECK(mask_name(kDefault, "Белов Игорь") != mask_name(kDefault, "Белов Игорь "));
  const MaskKey other = MaskKey::from_secret("clinic secret");
  CHECK(mask_name(other, "Белов Игорь") != mask_name(kDefault, "Белов Игорь"));
  setenv("KARTOTEKA_MASK_KEY", "clinic secret", 1);
  CHECK(mask_name(mask_key_from_env(), "Белов Игорь") == mask_name(other, "Белов Игорь"));
  unsetenv("KARTOTEKA_MASK_KEY");
  const std::string p = mask_phone(kDefault, "+79001234567");
  REQUIRE(p.size() == 12);
  CHECK(p.substr(0, 5) == "+7999");
  for (size_t i = 1; i < p.size(); ++i) CHECK((p[i] >= '0' && p[i] <= '9'));
}

TEST_CASE("mask: distinct values give distinct pseudonyms") {
  std::set<std::string> names, phones;
  for (int i = 0; i < 2000; ++i) {
    names.insert(mask_name(kDefault, "Пациентова Анна " + std::to_string(i)));
    phones.insert(mask_phone(kDefault, "+7912" + std::to_string(1000000 + i)));
  }
  CHECK(names.size() == 2000);
  CHECK(phones.size() == 2000);
}

TEST_CASE("mask: column kinds") {
  for (const char* t : {"name", "first_name", "last_name", "middle_name", "referrer_name",
                        "new_name", "ФИО", "Фамилия", "Name"})
    CHECK(mask_kind(t) == MaskKind::Name);
  for (const char* t : {"phone", "referrer_phone", "Телефон"})
    CHECK(mask_kind(t) == MaskKind::Phone);
  for (const char* t : {"id", "new_id", "referrer_id", "spent", "text", "email"})
    CHECK(mask_kind(t) == MaskKind::None);
}

TEST_CASE("mask: table, with names inside free text") {
  Table t;
  t.columns = {{"id", ColumnKind::Id},
               {"name", ColumnKind::Text, MaskKind::Name},
               {"phone", ColumnKind::Text, MaskKind::Phone},
               {"spent", ColumnKind::Money},
               {"text", ColumnKind::Text}};
  t.rows = {{"000001", "Орлова Наталья", "+79123456789", "10.00",
             "Наталья, ваш номер +79123456789. Орлова Наталья"},
            {"000002", "", "", "0.00", "нет данных"}};
  mask_table(t, kDefault, [](const auto&, const auto& row, auto& out) {
    if (row[0] == "000001") out.emplace_back("Наталья", MaskKind::Name);
  });
  const std::string nat = mask_name(kDefault, "Наталья");
  CHECK(t.rows[0] == std::vector<std::string>{"000001", "Пациент-69534d19", "+79990615009", "10.00",
                                              nat + ", ваш номер +79990615009. Пациент-69534d19"});
  CHECK(t.rows[1] == std::vector<std::string>{"000002", "", "", "0.00", "нет данных"});
}
