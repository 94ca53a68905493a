// SMS rules (SPEC §6.6, §8.36, §8.37). Every expected count is worked out by hand in a comment:
// one part holds 160 septets / 70 UTF-16 units, a multi-part message 153 / 67 per part.
#include <doctest/doctest.h>

#include <string>

#include "model/errors.h"
#include "rules/sms.h"

using namespace kartoteka;

namespace {
std::string rep(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}
}  // namespace

TEST_CASE("sms_size: Cyrillic at the UCS-2 single-part limit") {
  // 70 Cyrillic letters = 70 units ≤ 70 → one part.
  SmsSize a = sms_size(rep("я", 70));
  CHECK(a.encoding == SmsEncoding::Ucs2);
  CHECK(a.length == 70);
  CHECK(a.segments == 1);
  // 71 units > 70 → multi-part: 67 + 4 → two parts.
  SmsSize b = sms_size(rep("я", 71));
  CHECK(b.length == 71);
  CHECK(b.segments == 2);
  // A real sentence: "Добрый день! Ждём вас на осмотр. Клиника Улыбка, +7 495 123-45-67" is
  // 65 characters (counted by hand) → one part; one Cyrillic letter makes the whole text UCS-2.
  SmsSize c = sms_size("Добрый день! Ждём вас на осмотр. Клиника Улыбка, +7 495 123-45-67");
  CHECK(c.encoding == SmsEncoding::Ucs2);
  CHECK(c.length == 65);
  CHECK(c.segments == 1);
}

TEST_CASE("sms_size: GSM-7 at 160 septets, with and without an extension character") {
  // 160 basic characters = 160 septets → one part.
  SmsSize a = sms_size(std::string(160, 'a'));
  CHECK(a.encoding == SmsEncoding::Gsm7);
  CHECK(a.length == 160);
  CHECK(a.segments == 1);
  // 159 basic + '€' (ESC + code) = 161 septets > 160 → two parts (153 + 8).
  SmsSize b = sms_size(std::string(159, 'a') + "€");
  CHECK(b.encoding == SmsEncoding::Gsm7);
  CHECK(b.length == 161);
  CHECK(b.segments == 2);
  // 158 basic + '[' = 160 septets → still one part.
  SmsSize c = sms_size(std::string(158, 'a') + "[");
  CHECK(c.length == 160);
  CHECK(c.segments == 1);
}

TEST_CASE("sms_size: multi-part packing at exact part sizes") {
  // 306 = 2 × 153 septets → two parts; 307 → three.
  CHECK(sms_size(std::string(306, 'a')).segments == 2);
  CHECK(sms_size(std::string(307, 'a')).segments == 3);
  // 134 = 2 × 67 units → two parts; 135 → three.
  CHECK(sms_size(rep("ж", 134)).segments == 2);
  CHECK(sms_size(rep("ж", 135)).segments == 3);
}

TEST_CASE("sms_size: an escape pair is never split across parts") {
  // 152 'a' + '{' (2 septets) + 152 'a' = 306 septets: a naive 306/153 says 2 parts, but part 1
  // holds only the 152 'a' (153 + 1 would split the pair), part 2 gets '{' + 151 'a' = 153, and
  // the last 'a' opens part 3.
  SmsSize s = sms_size(std::string(152, 'a') + "{" + std::string(152, 'a'));
  CHECK(s.encoding == SmsEncoding::Gsm7);
  CHECK(s.length == 306);
  CHECK(s.segments == 3);
  // With 151 'a' before it the pair ends part 1 exactly (151 + 2 = 153): 153 + 152 → two parts.
  CHECK(sms_size(std::string(151, 'a') + "{" + std::string(152, 'a')).segments == 2);
}

TEST_CASE("sms_size: a surrogate pair is never split across parts") {
  // 66 'я' + U+1F600 (2 units) + 66 'я' = 134 units: naively 2 parts, but the pair does not fit
  // after 66 units (66 + 2 > 67) → part 2 = pair + 65 'я' = 67, the last 'я' opens part 3.
  SmsSize s = sms_size(rep("я", 66) + "😀" + rep("я", 66));
  CHECK(s.encoding == SmsEncoding::Ucs2);
  CHECK(s.length == 134);
  CHECK(s.segments == 3);
  // 65 'я' + pair = 67 ends part 1 exactly; 67 + 66 → two parts.
  CHECK(sms_size(rep("я", 65) + "😀" + rep("я", 66)).segments == 2);
  // An emoji alone makes plain Latin text UCS-2: "Hi 😀" = 3 + 2 units.
  SmsSize e = sms_size("Hi 😀");
  CHECK(e.encoding == SmsEncoding::Ucs2);
  CHECK(e.length == 5);
}

TEST_CASE("sms_size: empty text is one segment") {
  SmsSize s = sms_size("");
  CHECK(s.encoding == SmsEncoding::Gsm7);
  CHECK(s.length == 0);
  CHECK(s.segments == 1);
}

TEST_CASE("gsm7: the whole GSM 03.38 basic table is one septet each") {
  // 0x00–0x7F without ESC: 127 characters, written out from the 03.38 table row by row.
  const std::string basic =
      "@£$¥èéùìòÇ\nØø\rÅå"
      "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
      " !\"#¤%&'()*+,-./0123456789:;<=>?"
      "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
      "¿abcdefghijklmnopqrstuvwxyzäöñüà";
  SmsSize s = sms_size(basic);
  CHECK(s.encoding == SmsEncoding::Gsm7);
  CHECK(s.length == 127);
  // Extension table: 10 characters × 2 septets.
  SmsSize x = sms_size("\f^{}\\[~]|€");
  CHECK(x.encoding == SmsEncoding::Gsm7);
  CHECK(x.length == 20);
  CHECK(gsm7_septets(U'€') == 2);
  CHECK(gsm7_septets(U'\f') == 2);
  CHECK(gsm7_septets(U'@') == 1);
  CHECK(gsm7_septets(U'Δ') == 1);  // Greek capital delta, not the math symbol
}

TEST_CASE("gsm7: characters outside the alphabet switch to UCS-2") {
  CHECK(gsm7_septets(U'`') == 0);  // backtick is not in 03.38
  CHECK(gsm7_septets(U'ç') == 0);  // only capital Ç is
  CHECK(gsm7_septets(U'â') == 0);
  CHECK(gsm7_septets(U'Ё') == 0);
  CHECK(gsm7_septets(U'\t') == 0);
  // "price `5`" = 9 characters → UCS-2 9 units.
  SmsSize s = sms_size("price `5`");
  CHECK(s.encoding == SmsEncoding::Ucs2);
  CHECK(s.length == 9);
}

TEST_CASE("template: placeholders, trimmed names, repeats, literal braces") {
  SmsTemplate t = SmsTemplate::parse("Hi { first_name }, {visits}} x{first_name}");
  REQUIRE(t.fields() == std::vector<std::string>{"first_name", "visits"});
  CHECK(t.render({"Анна", "3"}) == "Hi Анна, 3} xАнна");
  CHECK(SmsTemplate::parse("no fields").render({}) == "no fields");
  CHECK(SmsTemplate::parse("").render({}).empty());
}

TEST_CASE("template: an unclosed or empty placeholder is a usage error") {
  CHECK_THROWS_AS(SmsTemplate::parse("Hi {first_name"), UsageError);
  CHECK_THROWS_AS(SmsTemplate::parse("Hi { }"), UsageError);
  CHECK_THROWS_AS(SmsTemplate::parse("Hi {}"), UsageError);
}

TEST_CASE("dispatcher: a phone shared by two patients gets one message, the first") {
  SmsDispatcher d(true, 0);
  auto a = d.offer("+79123456789", true, [] { return std::string("для Анны"); });
  auto b = d.offer("+79123456789", true, [] { return std::string("для Бориса"); });
  CHECK(a.skip == SmsSkip::None);
  CHECK(a.text == "для Анны");
  CHECK(b.skip == SmsSkip::PhoneUsed);
  CHECK(d.messages() == 1);
  CHECK(d.skipped(SmsSkip::PhoneUsed) == 1);
}

TEST_CASE("dispatcher: skip reasons in order; a dropped message leaves its phone free") {
  SmsDispatcher d(true, 1);
  int rendered = 0;
  auto text = [&](std::string s) {
    return [&rendered, s] {
      ++rendered;
      return s;
    };
  };
  // No phone wins over no consent.
  CHECK(d.offer("", false, text("x")).skip == SmsSkip::NoPhone);
  // No consent wins over a used phone (the phone is not used yet anyway).
  CHECK(d.offer("+79000000001", false, text("x")).skip == SmsSkip::NoConsent);
  CHECK(rendered == 0);  // nothing is rendered for an early skip
  // 161 septets = 2 parts > --max-segments 1 → dropped …
  CHECK(d.offer("+79000000001", true, text(std::string(161, 'a'))).skip ==
        SmsSkip::TooManySegments);
  // … and the next patient on that phone still gets a message.
  auto ok = d.offer("+79000000001", true, text("short"));
  CHECK(ok.skip == SmsSkip::None);
  CHECK(ok.size.segments == 1);
  // Now the phone is used; a used phone is reported before the text is even measured.
  CHECK(d.offer("+79000000001", false, text("x")).skip == SmsSkip::NoConsent);
  CHECK(d.offer("+79000000001", true, text(std::string(400, 'a'))).skip == SmsSkip::PhoneUsed);
  CHECK(d.messages() == 1);
  CHECK(d.parts() == 1);
  CHECK(sms_summary(d) ==
        "sms: 1 messages, 1 parts; skipped: 1 no phone, 2 no consent, 1 phone already used, "
        "1 too many segments");
}

TEST_CASE("dispatcher: --no-consent-check ignores consent, parts add up") {
  SmsDispatcher d(false, 0);
  // 200 septets → 153 + 47 → 2 parts; 10 'я' → 1 part: 3 parts in all.
  CHECK(d.offer("+79000000001", false, [] { return std::string(200, 'a'); }).skip == SmsSkip::None);
  CHECK(d.offer("+79000000002", false, [] { return std::string("яяяяяяяяяя"); }).skip ==
        SmsSkip::None);
  CHECK(d.messages() == 2);
  CHECK(d.parts() == 3);
}

TEST_CASE("ru_format: dates, money, everything else unchanged (§8.56)") {
  CHECK(ru_format("2026-11-17") == "17.11.2026");
  CHECK(ru_format("1500.00") == "1500 р.");
  CHECK(ru_format("1500.50") == "1500,50 р.");
  CHECK(ru_format("0.05") == "0,05 р.");
  CHECK(ru_format("-500.00") == "-500 р.");
  CHECK(ru_format("-0.50") == "-0,50 р.");
  // Not money as §3 prints it: unchanged.
  CHECK(ru_format("32.5") == "32.5");
  CHECK(ru_format("1500") == "1500");
  CHECK(ru_format(".50") == ".50");
  CHECK(ru_format("1 500.00") == "1 500.00");
  CHECK(ru_format("+79123456789") == "+79123456789");
  CHECK(ru_format("2026-1-17") == "2026-1-17");
  CHECK(ru_format("17.11.2026") == "17.11.2026");
  CHECK(ru_format("Анна") == "Анна");
  CHECK(ru_format("") == "");
}

TEST_CASE("template: {field:ru} shares the field, formats only where asked") {
  SmsTemplate t = SmsTemplate::parse("{spent} / {spent:ru} / { last_visit : ru } / {name:ru}");
  REQUIRE(t.fields() == std::vector<std::string>{"spent", "last_visit", "name"});
  CHECK(t.render({"1234.50", "2026-01-02", "Анна"}) == "1234.50 / 1234,50 р. / 02.01.2026 / Анна");
  CHECK_THROWS_AS(SmsTemplate::parse("{:ru}"), UsageError);
  // Another suffix is part of the name (an unknown field for the command).
  CHECK(SmsTemplate::parse("{spent:en}").fields() == std::vector<std::string>{"spent:en"});
}

TEST_CASE("dispatcher: excluded and recently contacted, in order, keep their phone free") {
  StopList stop;
  stop.add_id("P04");
  stop.add_phone("+74950000003");
  // as-of day 100, --snooze 30: a row of day 95 for id P05, one for phone +79160000007.
  RecentContacts recent(100, 30u, std::nullopt, "");
  recent.add({95, "P05", "", "x"});
  recent.add({95, "X99", "+79160000007", "x"});
  SmsDispatcher d(true, 0, {&stop, &recent});
  auto text = [] { return std::string("x"); };
  // Consent is checked before the stop list.
  CHECK(d.offer({"P04", "+79160000004", "+79160000004", false}, text).skip == SmsSkip::NoConsent);
  // Excluded by the second number of the cell, though the message would go to the first.
  CHECK(d.offer({"P03", "+79160000003", "+79160000003;+74950000003", true}, text).skip ==
        SmsSkip::Excluded);
  // Excluded is checked before recently contacted.
  CHECK(d.offer({"P04", "+79160000004", "+79160000004", true}, text).skip == SmsSkip::Excluded);
  CHECK(d.offer({"P05", "+79160000005", "+79160000005", true}, text).skip == SmsSkip::Snoozed);
  CHECK(d.offer({"P07", "+79160000007", "+79160000007", true}, text).skip == SmsSkip::Snoozed);
  // The phones of the excluded and snoozed patients are still free.
  CHECK(d.offer({"P13", "+79160000004", "+79160000004", true}, text).skip == SmsSkip::None);
  CHECK(d.offer({"P06", "+79160000005", "+79160000005", true}, text).skip == SmsSkip::None);
  CHECK(d.offer({"P14", "+79160000005", "+79160000005", true}, text).skip == SmsSkip::PhoneUsed);
  CHECK(sms_summary(d) ==
        "sms: 2 messages, 2 parts; skipped: 0 no phone, 1 no consent, 2 excluded, "
        "2 recently contacted, 1 phone already used, 0 too many segments");
}

TEST_CASE("summary: each filter count appears only with its option") {
  StopList stop;
  RecentContacts recent(100, 30u, std::nullopt, "");
  CHECK(sms_summary(SmsDispatcher(true, 0, {&stop, nullptr})) ==
        "sms: 0 messages, 0 parts; skipped: 0 no phone, 0 no consent, 0 excluded, "
        "0 phone already used, 0 too many segments");
  CHECK(sms_summary(SmsDispatcher(true, 0, {nullptr, &recent})) ==
        "sms: 0 messages, 0 parts; skipped: 0 no phone, 0 no consent, 0 recently contacted, "
        "0 phone already used, 0 too many segments");
  CHECK(sms_summary(SmsDispatcher(true, 0)) ==
        "sms: 0 messages, 0 parts; skipped: 0 no phone, 0 no consent, 0 phone already used, "
        "0 too many segments");
}
