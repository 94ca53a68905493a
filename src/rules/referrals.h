// The referral regulation (SPEC §6.4, §8.13, §8.27, §8.29, §8.30): one implementation, used by
// `referrals` and by `bonus-ledger` (referral credits).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/prefetch.h"
#include "model/date.h"
#include "model/patients.h"
#include "model/visit_stats.h"

namespace kartoteka {

// Referrer lookup key (§6.4, §8.13): trimmed; an all-digit number without its leading zeros
// (`000123` and `123` share the key `123`); anything else as written. A view into `card` (or of
// a static "0"): no copy.
std::string_view card_key(std::string_view card);

// What the referral rule needs from the visits file, folded row by row.
class ReferralFacts {
 public:
  ReferralFacts(size_t patients, Day as_of);
  // Collects P's first non-empty referrer_id among rows dated up to as-of, any status (§8.27),
  // and the date of P's earliest counted row with amount > 0 (D).
  void add(const VisitRow& r);
  // A hint, some rows before add(r): asks for the lines add(r) may touch. Changes nothing.
  void prefetch(const VisitRow& r) const {
    if (!r.referrer_id.empty()) prefetch_read(&visit_referrer_[r.patient]);
    if (r.amount > 0) prefetch_read(&first_paid_[r.patient]);
  }
  std::string_view visit_referrer(uint32_t p) const { return visit_referrer_[p]; }
  Day first_paid(uint32_t p) const { return first_paid_[p]; }

 private:
  Day as_of_;
  std::vector<std::string> visit_referrer_;
  std::vector<Day> first_paid_;
};

// One new patient P who names a referrer.
struct Referral {
  uint32_t patient = 0;  // P
  std::string
      referrer_id;  // R's card as written in the patients file when found, else the raw value
  uint32_t referrer = PatientTable::kNotFound;  // R
  Day date = kNoDay;             // D: P's earliest paid counted row; kNoDay = P has not paid
  bool self = false;             // R = P by the card rule
  bool unknown = false;          // R is not in the patients file
  bool not_yet_patient = false;  // qualifies, but R's first counted visit is not before D
  bool mutual = false;           // R's effective referrer is P
  bool qualifies() const { return !self && !unknown && date != kNoDay; }
  bool pending() const { return !self && !unknown && date == kNoDay; }
};

// Every patient with an effective referrer (patients file, else visit rows), in patients-file
// order. `visits` supplies first_visit (for not_yet_patient).
std::vector<Referral> find_referrals(const PatientTable& patients, const ReferralFacts& facts,
                                     const VisitFold& visits);

}  // namespace kartoteka
