// The bonus-ledger options that `bonus-ledger` and `report` take alike (SPEC §6.5, §6.7): one
// home for their registration and their checks, so the two commands cannot drift apart. The
// options whose help texts differ between the commands (--expire-days, --cashback,
// --adjustments) stay in each command.
#pragma once
#include <CLI/CLI.hpp>
#include <string>

#include "rules/ledger_report.h"

namespace kartoteka {

// --credit RUB and --no-referrals, which exclude each other.
void add_credit_options(CLI::App& cmd, std::string& credit, bool& no_referrals);

// --tiers RUB:PCT,...: the discount scale by money spent.
void add_tiers_option(CLI::App& cmd, std::string& tiers);

// --cashback, then --credit (default 100 rubles; 0 under --no-referrals) into `rules`, checked
// in that order: the first bad one is reported.
void parse_cashback_credit(const std::string& cashback, const std::string& credit,
                           bool no_referrals, LedgerRules& rules);

}  // namespace kartoteka
