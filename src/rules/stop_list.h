// Stop lists (`sms --exclude`, SPEC §6.6, §8.49, §8.53): who must not be messaged. Pure: the
// reader (io/stop_list.h) fills a StopList; the sms rules ask it about each patient.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>

namespace kartoteka {

class StopList {
 public:
  // A listed card number, compared exactly after trimming (§8.13); an empty one lists nobody.
  void add_id(std::string_view id);
  // A listed phone, already normalised to E.164 (§2.5).
  void add_phone(std::string_view e164);

  // True when `id` is listed or any number of `phones` is: the patient's numbers `;`-joined
  // (PText::phones), each (split at `,` `;`) normalised by §2.5 first, so cells as written match
  // as well as E.164.
  bool excludes(std::string_view id, std::string_view phones) const;

  size_t ids() const { return ids_.size(); }
  size_t phones() const { return phones_.size(); }

 private:
  std::unordered_set<std::string> ids_, phones_;
};

}  // namespace kartoteka
