// SMS rules (SPEC §6.6, §8.36, §8.37): message templates, the segment count a gateway bills,
// and which messages are sent. Pure: no I/O.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace kartoteka {

// ---- Templates -------------------------------------------------------------------------------

// A template split into literal text and `{field}` placeholders (spaces inside braces trimmed).
// A `}` outside a placeholder is literal text; a `{` without its `}` is a UsageError, so a typo
// never reaches thousands of phones as raw braces.
class SmsTemplate {
 public:
  static SmsTemplate parse(std::string_view text);

  // Field names in order of first appearance, without repeats.
  const std::vector<std::string>& fields() const { return fields_; }
  // Renders with values[i] standing for fields()[i].
  std::string render(const std::vector<std::string>& values) const;

 private:
  struct Piece {
    std::string literal;
    int field = -1;  // index into fields_, or -1 for a literal
  };
  std::vector<Piece> pieces_;
  std::vector<std::string> fields_;
};

// ---- Segments --------------------------------------------------------------------------------

enum class SmsEncoding { Gsm7, Ucs2 };

struct SmsSize {
  SmsEncoding encoding = SmsEncoding::Gsm7;
  uint32_t length = 0;    // septets (GSM-7) or UTF-16 code units (UCS-2)
  uint32_t segments = 1;  // parts billed
};

// Septets of a code point in GSM 03.38: 1 for the basic table, 2 for the extension table
// (`^{}\[~]|€` and form feed, sent as ESC + char), 0 when GSM-7 cannot carry it.
int gsm7_septets(char32_t c);

// Size of a UTF-8 text as an SMS (§8.37): GSM-7 when every character is in GSM 03.38, else
// UCS-2. One part holds 160 septets / 70 units; longer texts are packed part by part into
// 153 septets / 67 units, never splitting an escape pair or a surrogate pair. Empty text is one
// segment. Invalid UTF-8 bytes count as one UCS-2 unit each (they are not GSM-7).
SmsSize sms_size(std::string_view utf8);

// ---- Which messages go out -------------------------------------------------------------------

enum class SmsSkip { None, NoPhone, NoConsent, PhoneUsed, TooManySegments };

// Decides message by message, in list order (§8.36): skips are checked in the order no phone,
// no consent, phone already used, too many segments. A dropped message does not use up its phone.
class SmsDispatcher {
 public:
  // max_segments 0 = no limit.
  SmsDispatcher(bool check_consent, uint32_t max_segments);

  struct Outcome {
    SmsSkip skip = SmsSkip::None;
    std::string text;  // rendered only when the first three checks pass
    SmsSize size;
  };
  // `render` is called only when the message may still be sent.
  Outcome offer(std::string_view phone, bool consent, const std::function<std::string()>& render);

  uint64_t messages() const { return messages_; }
  uint64_t parts() const { return parts_; }
  uint64_t skipped(SmsSkip reason) const { return skipped_[static_cast<int>(reason)]; }

 private:
  bool check_consent_;
  uint32_t max_segments_;
  std::unordered_set<std::string> used_phones_;
  uint64_t messages_ = 0, parts_ = 0;
  uint64_t skipped_[5] = {};
};

// The stderr summary: "sms: 3 messages, 4 parts; skipped: 1 no phone, 0 no consent, …".
std::string sms_summary(const SmsDispatcher& d);

}  // namespace kartoteka
