#include "rules/sms.h"

#include <fmt/format.h>

#include <algorithm>

#include "model/errors.h"
#include "model/text.h"
#include "rules/template.h"

namespace kartoteka {

// ---- Templates -------------------------------------------------------------------------------

SmsTemplate SmsTemplate::parse(std::string_view text) {
  SmsTemplate t;
  for (const TemplatePart& part : split_template(text)) {
    switch (part.kind) {
      case TemplatePart::Kind::literal:
        t.pieces_.push_back({std::string(part.text), -1});
        continue;
      case TemplatePart::Kind::unclosed:
        throw UsageError(
            fmt::format("--template: \"{{\" at position {} has no closing \"}}\"", part.position));
      case TemplatePart::Kind::placeholder:
        break;
    }
    std::string_view name = part.text;
    if (name.empty())
      throw UsageError(fmt::format("--template: empty placeholder at position {}", part.position));
    // `{field:ru}` (spaces around either part trimmed, like the braces').
    bool ru = false;
    if (auto colon = name.rfind(':');
        colon != std::string_view::npos && trim(name.substr(colon + 1)) == "ru") {
      ru = true;
      name = trim(name.substr(0, colon));
      if (name.empty())
        throw UsageError(
            fmt::format("--template: empty placeholder at position {}", part.position));
    }
    auto it = std::find(t.fields_.begin(), t.fields_.end(), name);
    if (it == t.fields_.end()) it = t.fields_.insert(t.fields_.end(), std::string(name));
    t.pieces_.push_back({{}, static_cast<int>(it - t.fields_.begin()), ru});
  }
  return t;
}

std::string SmsTemplate::render(const std::vector<std::string>& values) const {
  std::string out;
  for (const auto& p : pieces_) {
    if (p.field < 0)
      out += p.literal;
    else if (p.ru)
      out += ru_format(values[p.field]);
    else
      out += values[p.field];
  }
  return out;
}

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string ru_format(std::string_view v) {
  // A date as csv prints it: YYYY-MM-DD.
  if (v.size() == 10 && v[4] == '-' && v[7] == '-' && all_digits(v.substr(0, 4)) &&
      all_digits(v.substr(5, 2)) && all_digits(v.substr(8, 2)))
    return fmt::format("{}.{}.{}", v.substr(8, 2), v.substr(5, 2), v.substr(0, 4));
  // Money as csv prints it: -?digits.dd.
  std::string_view n = v.starts_with('-') ? v.substr(1) : v;
  const size_t dot = n.find('.');
  if (dot != std::string_view::npos && n.size() - dot == 3 && all_digits(n.substr(0, dot)) &&
      all_digits(n.substr(dot + 1))) {
    std::string_view whole = v.substr(0, v.size() - 3), kop = n.substr(dot + 1);
    return kop == "00" ? fmt::format("{} р.", whole) : fmt::format("{},{} р.", whole, kop);
  }
  return std::string(v);
}

// ---- Segments --------------------------------------------------------------------------------

namespace {

// GSM 03.38 default alphabet, code 0x00 … 0x7F without ESC (0x1B): 127 characters.
constexpr std::u32string_view kGsmBasic =
    U"@£$¥èéùìòÇ\nØø\rÅå"
    U"\u0394_\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039EÆæßÉ"
    U" !\"#¤%&'()*+,-./"
    U"0123456789:;<=>?"
    U"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    U"¿abcdefghijklmnopqrstuvwxyzäöñüà";
static_assert(kGsmBasic.size() == 127);

// The extension table: each is sent as ESC + code, two septets.
constexpr std::u32string_view kGsmExtension = U"\f^{}\\[~]|€";

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes one UTF-8 sequence at s[i], advancing i; kInvalid (one byte consumed) when malformed.
char32_t next_code_point(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return kInvalid;
  }
  char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len; ++k) {
    auto cb = static_cast<unsigned char>(s[i + k]);
    if ((cb & 0xC0) != 0x80) {
      ++i;
      return kInvalid;
    }
    c = (c << 6) | (cb & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < kMin[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    ++i;
    return kInvalid;
  }
  i += len;
  return c;
}

// Greedy packing, as gateways do: an indivisible unit (escape pair, surrogate pair) that does not
// fit in what is left of a part starts the next one.
uint32_t count_parts(const std::vector<uint8_t>& costs, uint32_t total, uint32_t single,
                     uint32_t per_part) {
  if (total <= single) return 1;
  uint32_t parts = 1, used = 0;
  for (uint8_t c : costs) {
    if (used + c > per_part) {
      ++parts;
      used = 0;
    }
    used += c;
  }
  return parts;
}

}  // namespace

int gsm7_septets(char32_t c) {
  if (kGsmBasic.find(c) != std::u32string_view::npos) return 1;
  if (kGsmExtension.find(c) != std::u32string_view::npos) return 2;
  return 0;
}

SmsSize sms_size(std::string_view utf8) {
  std::vector<uint8_t> septets, units;
  uint32_t septet_total = 0, unit_total = 0;
  bool gsm = true;
  for (size_t i = 0; i < utf8.size();) {
    char32_t c = next_code_point(utf8, i);
    uint8_t u = (c != kInvalid && c > 0xFFFF) ? 2 : 1;
    units.push_back(u);
    unit_total += u;
    if (gsm) {
      int s = c == kInvalid ? 0 : gsm7_septets(c);
      if (s == 0) {
        gsm = false;
      } else {
        septets.push_back(static_cast<uint8_t>(s));
        septet_total += s;
      }
    }
  }
  SmsSize r;
  if (gsm) {
    r.encoding = SmsEncoding::Gsm7;
    r.length = septet_total;
    r.segments = count_parts(septets, septet_total, 160, 153);
  } else {
    r.encoding = SmsEncoding::Ucs2;
    r.length = unit_total;
    r.segments = count_parts(units, unit_total, 70, 67);
  }
  return r;
}

// ---- Which messages go out -------------------------------------------------------------------

SmsDispatcher::SmsDispatcher(bool check_consent, uint32_t max_segments, SmsFilters filters)
    : check_consent_(check_consent), max_segments_(max_segments), filters_(filters) {}

SmsDispatcher::Outcome SmsDispatcher::offer(const SmsCandidate& c,
                                            const std::function<std::string()>& render) {
  Outcome o;
  auto skip = [&](SmsSkip why) {
    ++skipped_[static_cast<int>(why)];
    o.skip = why;
    return o;
  };
  if (c.phone.empty()) return skip(SmsSkip::NoPhone);
  if (check_consent_ && !c.consent) return skip(SmsSkip::NoConsent);
  if (filters_.exclude && filters_.exclude->excludes(c.id, c.phones))
    return skip(SmsSkip::Excluded);
  if (filters_.snooze && filters_.snooze->contacted(c.id, c.phone)) return skip(SmsSkip::Snoozed);
  std::string key(c.phone);
  if (used_phones_.count(key)) return skip(SmsSkip::PhoneUsed);
  o.text = render();
  o.size = sms_size(o.text);
  if (max_segments_ != 0 && o.size.segments > max_segments_) return skip(SmsSkip::TooManySegments);
  used_phones_.insert(std::move(key));
  ++messages_;
  parts_ += o.size.segments;
  return o;
}

std::string sms_summary(const SmsDispatcher& d) {
  // Scripts parse this line (§8.63): the two filter counts appear only when their option does.
  std::string filtered;
  if (d.filters().exclude) filtered += fmt::format("{} excluded, ", d.skipped(SmsSkip::Excluded));
  if (d.filters().snooze)
    filtered += fmt::format("{} recently contacted, ", d.skipped(SmsSkip::Snoozed));
  return fmt::format(
      "sms: {} messages, {} parts; skipped: {} no phone, {} no consent, {}{} phone already used, "
      "{} too many segments",
      d.messages(), d.parts(), d.skipped(SmsSkip::NoPhone), d.skipped(SmsSkip::NoConsent), filtered,
      d.skipped(SmsSkip::PhoneUsed), d.skipped(SmsSkip::TooManySegments));
}

}  // namespace kartoteka
