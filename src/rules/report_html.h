// The `report` page (SPEC §6.7, §8.60): the report's tables, each with the chart that draws it,
// as one self-contained HTML5 document — CSS in one <style>, charts as inline SVG, no script,
// nothing a browser would fetch. Pure: tables in, text out.
#pragma once
#include <string>

#include "model/date.h"
#include "rules/report_months.h"
#include "rules/table.h"

namespace kartoteka {

// The tables in the page's order (§6.7), each as csv would print it.
struct ReportTables {
  Table overview, activity, branches, months, rfm_grid, rfm, sleeping, referrals, referral_audit,
      ledger, tiers;
};

struct ReportHeading {
  std::string title = "Отчёт по пациентской базе";
  Day as_of = kNoDay;
  MonthWindow window;
  int64_t after = 180, lost_after = 1095;  // the sleeping list's options, for the explanation
  std::string version;                     // kartoteka's, in the footer
};

std::string report_html(const ReportHeading& heading, const ReportTables& tables);

}  // namespace kartoteka
