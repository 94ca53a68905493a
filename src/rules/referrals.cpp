#include "rules/referrals.h"

#include "base/key_index.h"
#include "model/text.h"

namespace kartoteka {
namespace {

// P's effective referrer (§6.4): the patients file wins; visit rows only fill a gap.
std::string_view effective_referrer(const PatientTable& patients, const ReferralFacts& facts,
                                    uint32_t p) {
  std::string_view own = trim(patients.text(p, PText::referrer_id));
  return own.empty() ? facts.visit_referrer(p) : own;
}

}  // namespace

std::string_view card_key(std::string_view card) {
  card = trim(card);
  if (card.empty()) return {};
  for (char c : card)
    if (c < '0' || c > '9') return card;
  size_t nz = card.find_first_not_of('0');
  // All zeros is still the number 0, which must not collide with the empty card.
  return nz == std::string_view::npos ? std::string_view("0") : card.substr(nz);
}

ReferralFacts::ReferralFacts(size_t patients, Day as_of)
    : as_of_(as_of), visit_referrer_(patients), first_paid_(patients, kNoDay) {}

void ReferralFacts::add(const VisitRow& r) {
  if (r.date > as_of_) return;  // a future row says nothing yet (§8.27), whatever its status
  // The row's own cell first: most rows name no referrer, and the patient's slot is a cache miss.
  if (std::string_view ref = trim(r.referrer_id); !ref.empty()) {
    std::string& kept = visit_referrer_[r.patient];
    if (kept.empty()) kept = std::string(ref);
  }
  // D is the earliest paid counted row by date, not by position in the file.
  if (is_counted(r, as_of_) && r.amount > 0) {
    Day& d = first_paid_[r.patient];
    if (d == kNoDay || r.date < d) d = r.date;
  }
}

std::vector<Referral> find_referrals(const PatientTable& patients, const ReferralFacts& facts,
                                     const VisitFold& visits) {
  // Lookup by card key; with two patients on one key the first in file order wins (§8.13).
  const KeyIndex index(static_cast<uint32_t>(patients.size()),
                       [&](uint32_t p) { return card_key(patients.id(p)); });
  auto lookup = [&](std::string_view card) {
    const uint32_t p = index.find(card_key(card));
    return p == index.kNone ? PatientTable::kNotFound : p;
  };

  std::vector<Referral> out;
  for (uint32_t p = 0; p < patients.size(); ++p) {
    std::string_view raw = effective_referrer(patients, facts, p);
    if (raw.empty()) continue;
    Referral r;
    r.patient = p;
    r.date = facts.first_paid(p);
    r.self = card_key(raw) == card_key(patients.id(p));
    r.referrer = r.self ? p : lookup(raw);
    r.unknown = r.referrer == PatientTable::kNotFound;
    r.referrer_id = r.unknown ? std::string(raw) : std::string(patients.id(r.referrer));
    if (!r.self && !r.unknown) {
      std::string_view back = effective_referrer(patients, facts, r.referrer);
      r.mutual = !back.empty() && lookup(back) == p;
      Day first = visits.stats(r.referrer).first_visit;
      r.not_yet_patient = r.qualifies() && (first == kNoDay || first >= r.date);
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace kartoteka
