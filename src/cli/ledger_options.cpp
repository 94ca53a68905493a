#include "cli/ledger_options.h"

#include <fmt/format.h>

#include "cli/common.h"
#include "model/errors.h"
#include "model/percent.h"

namespace kartoteka {

void add_credit_options(CLI::App& cmd, std::string& credit, bool& no_referrals) {
  auto* credit_opt = cmd.add_option("--credit", credit, "referral credit in rubles")
                         ->type_name("RUB")
                         ->default_str("100");
  auto* no_ref = cmd.add_flag("--no-referrals", no_referrals, "no referral credits");
  credit_opt->excludes(no_ref);
  no_ref->excludes(credit_opt);
}

void add_tiers_option(CLI::App& cmd, std::string& tiers) {
  cmd.add_option("--tiers", tiers, "discount scale RUB:PCT,... by spent")
      ->type_name("RUB:PCT,...")
      ->default_str("30000:5,45000:10");
}

void parse_cashback_credit(const std::string& cashback, const std::string& credit,
                           bool no_referrals, LedgerRules& rules) {
  auto pct = parse_percent(cashback, 2);
  if (!pct)
    throw UsageError(fmt::format(
        "--cashback {}: expected a percentage ≥ 0 with at most two decimals (e.g. 5 or 2.5)",
        cashback));
  rules.cashback = *pct;
  rules.credit = credit.empty() ? 10000 : parse_money_option("--credit", credit);
  if (no_referrals) rules.credit = 0;
}

}  // namespace kartoteka
