// rfm — recency, frequency, monetary scores and segments (SPEC §6.2, §8.25).
//
//   kartoteka rfm --patients p.csv --visits v.csv --as-of 2026-11-22
//   kartoteka rfm --patients p.csv --visits v.csv --since 2025-01-01 --summary
//   kartoteka rfm --patients p.csv --visits v.csv --r-edges 30,90,180,365 --f-edges 1,2,4,8
#include "rules/rfm.h"

#include "cli/common.h"
#include "cli/manual.h"

namespace kartoteka {
namespace {

struct RfmCliOptions {
  CommonOptions common;
  std::string since, r_edges, f_edges, m_edges;
  bool summary = false;
};

void run(const RfmCliOptions& o) {
  // Option values are checked before any file is read: a usage error wins over an input error.
  RfmOptions rfm;
  if (!o.r_edges.empty()) rfm.r_edges = parse_rfm_edges("--r-edges", o.r_edges, 0);
  if (!o.f_edges.empty()) rfm.f_edges = parse_rfm_edges("--f-edges", o.f_edges, 0);
  if (!o.m_edges.empty()) rfm.m_edges = parse_rfm_edges("--m-edges", o.m_edges, 2);  // rubles
  StatsNeeds needs;
  if (!o.since.empty()) needs.since = parse_day_option("--since", o.since);

  Session s(o.common, true, PatientNeeds::none().add(PText::name).add(PText::phone));
  VisitFold fold = s.fold_visits(needs);
  // Ranks are within the population after --from and --contactable (§4).
  std::vector<RfmRow> rows = score_rfm(fold, s.population(), rfm);
  if (o.summary) {
    s.write(rfm_summary(rows));
    return;
  }
  Session::Output out = s.output();
  rfm_list(s.patients(), fold, std::move(rows), s.from(), out);
  out.finish();
}

}  // namespace

void register_rfm(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out) {
  auto o = std::make_shared<RfmCliOptions>();
  CLI::App* cmd = app.add_subcommand("rfm", "Recency, frequency, monetary scores and segments");
  add_common_options(*cmd, o->common);
  cmd->add_option("--since", o->since, "count only visits dated on or after DATE")
      ->type_name("DATE");
  cmd->add_option("--r-edges", o->r_edges,
                  "fixed recency edges in days D1,D2,D3,D4 (r = 5 if ≤ D1 …)")
      ->type_name("DAYS,...");
  cmd->add_option("--f-edges", o->f_edges,
                  "fixed frequency edges in visits N1,N2,N3,N4 (f = 1 if ≤ N1 …)")
      ->type_name("N,...");
  cmd->add_option("--m-edges", o->m_edges,
                  "fixed monetary edges in rubles M1,M2,M3,M4 (m = 1 if ≤ M1 …)")
      ->type_name("RUB,...");
  cmd->add_flag("--summary", o->summary, "one row per segment instead of the patient list");
  cmd->footer(
      "Scores are ranks within the population (1–5) unless edges are given.\n"
      "Examples:\n"
      "  kartoteka rfm --patients patients.csv --visits visits.csv --as-of 2026-11-22\n"
      "  kartoteka rfm --patients patients.csv --visits visits.csv --as-of 2026-11-22 \\\n"
      "      --r-edges 30,90,180,365 --f-edges 1,2,4,8 --m-edges 5000,15000,40000,100000 "
      "--summary");
  set_manual(
      *cmd,
      {"Scores every patient with at least one visit (counted visits dated on or after --since "
       "when given) for recency (days since the last visit), frequency (visits) and monetary value "
       "(money spent) from 1 to 5, by default as ranks within the population (ties scored alike), "
       "or by fixed edges; r and f give the segment: champions, loyal, potential_loyalist, new, "
       "promising, need_attention, about_to_sleep, at_risk, cant_lose, hibernating.",
       "id,name,phone,last_visit,recency_days,frequency,monetary,r,f,m,rfm,segment (rfm = the "
       "three digits), sorted by rfm descending, then monetary descending.\n"
       "\n"
       "With --summary: "
       "segment,patients,share,recency_days_avg,frequency_avg,monetary_sum,monetary_avg, one row "
       "per segment in the order above, empty segments included."});
  out.emplace_back(cmd, [o] { run(*o); });
}

}  // namespace kartoteka
