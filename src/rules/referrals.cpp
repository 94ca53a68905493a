#include "rules/referrals.h"

#include <bit>
#include <functional>

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
  // Open addressing over patient numbers, keys read from the ids in place: no node or string
  // per patient. A slot keeps half its key's hash beside the patient, so a probe reads the id (a
  // cache miss, and card_key again) only when the hashes agree: in practice for the key itself.
  struct Slot {
    uint32_t tag;  // the hash's high half (its low bits pick the slot)
    uint32_t patient;
  };
  const size_t mask = std::bit_ceil(patients.size() * 2 + 2) - 1;
  std::vector<Slot> slots(mask + 1, Slot{0, PatientTable::kNotFound});
  const std::hash<std::string_view> hash_of;
  auto slot_of = [&](std::string_view key, uint64_t h) {
    size_t i = h & mask;
    const auto tag = static_cast<uint32_t>(h >> 32);
    while (slots[i].patient != PatientTable::kNotFound &&
           (slots[i].tag != tag || card_key(patients.id(slots[i].patient)) != key))
      i = (i + 1) & mask;
    return i;
  };
  // Ids are read in file order; each key's first slot is asked for some patients ahead.
  constexpr uint32_t kAhead = 16;
  std::vector<uint64_t> ahead(kAhead);
  const auto n = static_cast<uint32_t>(patients.size());
  for (uint32_t p = 0; p < n + kAhead; ++p) {
    if (p >= kAhead) {
      const uint32_t q = p - kAhead;  // its hash leaves the ring here, p's takes its place
      const uint64_t h = ahead[q % kAhead];
      const size_t i = slot_of(card_key(patients.id(q)), h);
      if (slots[i].patient == PatientTable::kNotFound)
        slots[i] = {static_cast<uint32_t>(h >> 32), q};
    }
    if (p < n) {
      ahead[p % kAhead] = hash_of(card_key(patients.id(p)));
      __builtin_prefetch(&slots[ahead[p % kAhead] & mask]);
    }
  }
  auto lookup = [&](std::string_view card) {
    std::string_view key = card_key(card);
    return slots[slot_of(key, hash_of(key))].patient;
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
