#include <doctest/doctest.h>

#include "model/text.h"

using namespace kartoteka;

TEST_CASE("fold: Latin and Cyrillic") {
  CHECK(fold("") == "");
  CHECK(fold("Hello, World 123!") == "hello, world 123!");
  CHECK(fold("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ") == "абвгдежзийклмнопрстуфхцчшщъыьэюя");
  CHECK(fold("абвгдежзийклмнопрстуфхцчшщъыьэюя") == "абвгдежзийклмнопрстуфхцчшщъыьэюя");
  CHECK(fold("Ёлка ёжик") == "елка ежик");
  CHECK(fold("ЁЁ") == "ее");
  CHECK(fold("Иванов Пётр") == "иванов петр");
  // Ѐ..Џ (U+0400..040F) go to ѐ..џ: Ukrainian, Belarusian, Serbian letters.
  CHECK(fold("ЄІЇЎЂЈЉЊЋЏ") == "єіїўђјљњћџ");
  CHECK(fold("ҐӘӨҮҚ") == "ґәөүқ");  // the alternating Extended blocks
}

TEST_CASE("fold: Latin-1, Latin Extended-A, Greek") {
  CHECK(fold("ÀÉÎÕÜÇÑÆØÞ") == "àéîõüçñæøþ");
  CHECK(fold("×÷ß") == "×÷ß");  // × is not a letter; ß has no simple upper pair here
  CHECK(fold("ĀĄĆČĎĘĞĲĶ") == "āąćčďęğĳķ");
  CHECK(fold("ĹĽŁŃŇ") == "ĺľłńň");  // the odd-aligned run U+0139..0148
  CHECK(fold("ŊŐŒŘŚŠŤŮŰŶ") == "ŋőœřśšťůűŷ");
  CHECK(fold("ŸŹŻŽ") == "ÿźżž");
  CHECK(fold("İ") == "i");
  CHECK(fold("ıĸŉſ") == "ıĸŉſ");  // lower-case-only letters stay
  CHECK(fold("ΑΒΓΔΩ") == "αβγδω");
  CHECK(fold("ΆΈΉΊΌΎΏ") == "άέήίόύώ");
  CHECK(fold("ΣΪΫ") == "σϊϋ");
}

TEST_CASE("fold: other text passes through") {
  CHECK(fold("₽ € 😀 中文") == "₽ € 😀 中文");
  // Invalid UTF-8 bytes stay as they are, and the valid parts around them are still folded.
  CHECK(fold("A\xFF"
             "Б\xC3") ==
        "a\xFF"
        "б\xC3");
  CHECK(fold("\xD0\xC0") == "\xD0\xC0");  // cp1251 bytes
}

TEST_CASE("normalize_header") {
  CHECK(normalize_header("Моб.") == "моб");
  CHECK(normalize_header("Моб. телефон") == "моб телефон");
  CHECK(normalize_header("Номер_карты") == "номер карты");
  CHECK(normalize_header("  Дата  приёма ") == "дата приема");
  CHECK(normalize_header("E-mail") == "e mail");
  CHECK(normalize_header("Эл. почта") == "эл почта");
  CHECK(normalize_header("birth_date") == "birth date");
  CHECK(normalize_header("BIRTH-DATE") == "birth date");
  CHECK(normalize_header("_id_") == "id");
  CHECK(normalize_header("a _-. b") == "a b");
  CHECK(normalize_header("№ карты") == "№ карты");
  CHECK(normalize_header("\tФИО\t") == "фио");
  CHECK(normalize_header("Номер\xC2\xA0карты") == "номер карты");  // NBSP is whitespace here
  CHECK(normalize_header("") == "");
  CHECK(normalize_header(" ._- ") == "");
}

TEST_CASE("trim") {
  CHECK(trim("  a b \t") == "a b");
  CHECK(trim("\t\t") == "");
  CHECK(trim("") == "");
  CHECK(trim("x") == "x");
  CHECK(trim("\xC2\xA0x\xC2\xA0") == "\xC2\xA0x\xC2\xA0");  // NBSP is not trimmed
  CHECK(trim(" \nx\n ") == "\nx\n");
}

TEST_CASE("utf8_length") {
  CHECK(utf8_length("") == 0);
  CHECK(utf8_length("abc") == 3);
  CHECK(utf8_length("Пётр") == 4);
  CHECK(utf8_length("₽") == 1);
  CHECK(utf8_length("😀") == 1);
  CHECK(utf8_length("a\xFF"
                    "b") == 3);
  CHECK(utf8_length("\xE2\x82") == 2);  // truncated sequence: each byte counts
}

TEST_CASE("is_valid_utf8") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("abc Пётр ₽ 😀"));
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xFF"));
  CHECK_FALSE(is_valid_utf8("\x80"));                      // lone continuation
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));                  // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));              // overlong
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));              // surrogate U+D800
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));          // > U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xD0"));                      // truncated
  CHECK_FALSE(is_valid_utf8("\xCF\xF0\xE8\xE2\xE5\xF2"));  // "Привет" in cp1251
}
