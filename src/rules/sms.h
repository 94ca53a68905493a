// SMS rules (SPEC §6.6, §8.36, §8.37): message templates, the segment count a gateway bills,
// and which messages are sent. Pure: no I/O.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "rules/contact_log.h"
#include "rules/stop_list.h"

namespace kartoteka {

// ---- Templates -------------------------------------------------------------------------------

// A template split into literal text and `{field}` placeholders (spaces inside braces trimmed).
// `{field:ru}` prints the field's value as a patient reads it (ru_format, §8.56).
// A `}` outside a placeholder is literal text; a `{` without its `}` is a UsageError, so a typo
// never reaches thousands of phones as raw braces.
class SmsTemplate {
 public:
  static SmsTemplate parse(std::string_view text);

  // Field names in order of first appearance, without repeats.
  const std::vector<std::string>& fields() const { return fields_; }
  // Renders with values[i] (as csv prints it) standing for fields()[i].
  std::string render(const std::vector<std::string>& values) const;

 private:
  struct Piece {
    std::string literal;
    int field = -1;   // index into fields_, or -1 for a literal
    bool ru = false;  // `{field:ru}`
  };
  std::vector<Piece> pieces_;
  std::vector<std::string> fields_;
};

// `:ru` (§8.56) on a printed value: `YYYY-MM-DD` → `DD.MM.YYYY`; `-?digits.dd` (money, §3) →
// whole rubles `1500 р.`, else `1500,50 р.`; anything else unchanged.
std::string ru_format(std::string_view printed);

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

enum class SmsSkip { None, NoPhone, NoConsent, Excluded, Snoozed, PhoneUsed, TooManySegments };
inline constexpr int kSmsSkipCount = 7;

// A patient offered a message.
struct SmsCandidate {
  std::string_view id;
  std::string_view phone;   // E.164, the number the message goes to; "" = no phone
  std::string_view phones;  // every number of the phone cells, `;`-joined (PText::phones)
  bool consent = false;
};

// What keeps a patient from a message besides phone and consent; null = option not given.
struct SmsFilters {
  const StopList* exclude = nullptr;       // --exclude
  const RecentContacts* snooze = nullptr;  // --snooze / --snooze-campaign
};

// Decides message by message, in list order (§6.6, §8.36): skips are checked in the order no
// phone, no consent, excluded, recently contacted, phone already used, too many segments. An
// excluded, snoozed or dropped message does not use up its phone.
class SmsDispatcher {
 public:
  // max_segments 0 = no limit.
  SmsDispatcher(bool check_consent, uint32_t max_segments, SmsFilters filters = {});

  struct Outcome {
    SmsSkip skip = SmsSkip::None;
    std::string text;  // rendered only when the first three checks pass
    SmsSize size;
  };
  // `render` is called only when the message may still be sent.
  Outcome offer(const SmsCandidate& c, const std::function<std::string()>& render);
  // A patient known by phone alone (no stop list or log involved).
  Outcome offer(std::string_view phone, bool consent, const std::function<std::string()>& render) {
    return offer(SmsCandidate{{}, phone, phone, consent}, render);
  }

  uint64_t messages() const { return messages_; }
  uint64_t parts() const { return parts_; }
  uint64_t skipped(SmsSkip reason) const { return skipped_[static_cast<int>(reason)]; }
  const SmsFilters& filters() const { return filters_; }

 private:
  bool check_consent_;
  uint32_t max_segments_;
  SmsFilters filters_;
  std::unordered_set<std::string> used_phones_;
  uint64_t messages_ = 0, parts_ = 0;
  uint64_t skipped_[kSmsSkipCount] = {};
};

// The stderr summary: "sms: 3 messages, 4 parts; skipped: 1 no phone, 0 no consent, …", with
// "N excluded" / "N recently contacted" after "no consent" only when those filters are on.
std::string sms_summary(const SmsDispatcher& d);

}  // namespace kartoteka
