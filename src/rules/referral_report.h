// The three views of `referrals` (SPEC §6.4, §8.28–§8.30) — reward list, per-referrer summary,
// audit — built from find_referrals' result. Pure: no I/O.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "model/money.h"
#include "model/patients.h"
#include "model/visit_stats.h"
#include "rules/referrals.h"
#include "rules/table.h"

namespace kartoteka {

// The rewards of the regulation and the signature of the SMS.
struct RewardTerms {
  Kopecks topup = 10000, credit = 10000, welcome = 30000;
  std::string clinic, clinic_phone;  // empty = not given
};

// An `--sms-template` parsed once, so an unknown field is a usage error before any output.
class ReferralSms {
 public:
  // `{field}` with spaces inside the braces trimmed; fields of §8.28 only (UsageError else).
  // A `{` without a closing `}` is literal text.
  static ReferralSms parse(std::string_view text);
  // The regulation's text; the signature follows `Спасибо.` only for the options given (§8.28).
  static ReferralSms standard(const RewardTerms& terms);

  std::string render(const PatientTable& patients, const Referral& r,
                     const RewardTerms& terms) const;
  // The same text, into a reused string.
  void render_to(std::string& out, const PatientTable& patients, const Referral& r,
                 const RewardTerms& terms) const;

 private:
  enum class Field : uint8_t {
    topup,
    credit,
    welcome,
    clinic,
    clinic_phone,
    date,
    referrer_id,
    referrer_name,
    referrer_phone,
    new_id,
    new_name,
    literal
  };
  struct Piece {
    Field field;
    std::string text;  // for literal
  };
  std::vector<Piece> pieces_;
};

// Which rows pass: D within [since, until] (kNoDay = open end) and the --from/--contactable
// population, given as a per-patient flag (empty = everyone).
struct ReportFilter {
  Day since = kNoDay, until = kNoDay;
  std::vector<bool> population;
  bool in_range(Day d) const {
    return (since == kNoDay || d >= since) && (until == kNoDay || d <= until);
  }
  bool in_population(uint32_t p) const { return population.empty() || population[p]; }
};

// Default view: qualified referrals whose new patient is in the population, sorted by date,
// referrer_id, new_id; streamed to `out`.
void reward_list(const PatientTable& patients, const std::vector<Referral>& referrals,
                 const RewardTerms& terms, const ReferralSms& sms, const ReportFilter& filter,
                 RowSink& out);

// --summary: per referrer in the population; referred_revenue sums the qualified referees'
// whole `spent`; sorted by referrals desc, referred_revenue desc, referrer_id.
Table referral_summary(const PatientTable& patients, const std::vector<Referral>& referrals,
                       const VisitFold& visits, const RewardTerms& terms,
                       const ReportFilter& filter);

// --audit: one row per issue (§8.30), sorted by date (empty last), new_id, issue order.
Table referral_audit(const PatientTable& patients, const std::vector<Referral>& referrals,
                     const ReportFilter& filter);

}  // namespace kartoteka
