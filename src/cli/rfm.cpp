// rfm — recency, frequency, monetary scores and segments (SPEC §6.2, §8.25).
//
//   kartoteka rfm --patients p.csv --visits v.csv --as-of 2026-11-22
//   kartoteka rfm --patients p.csv --visits v.csv --since 2025-01-01 --summary
//   kartoteka rfm --patients p.csv --visits v.csv --r-edges 30,90,180,365 --f-edges 1,2,4,8
//   kartoteka rfm --patients p.csv --visits v.csv --predict 365 [--summary]
//   kartoteka rfm --patients p.csv --visits v.csv --model
#include "rules/rfm.h"

#include <functional>
#include <future>

#include "cli/command.h"
#include "cli/common.h"
#include "cli/manual.h"
#include "model/errors.h"
#include "rules/rfm_predict.h"

namespace kartoteka {
namespace {

struct RfmCliOptions {
  CommonOptions common;
  std::string since, r_edges, f_edges, m_edges, predict;
  bool summary = false, model = false;
};

void run(const RfmCliOptions& o) {
  // Option values are checked before any file is read: a usage error wins over an input error.
  RfmOptions rfm;
  if (!o.r_edges.empty()) rfm.r_edges = parse_rfm_edges("--r-edges", o.r_edges, 0);
  if (!o.f_edges.empty()) rfm.f_edges = parse_rfm_edges("--f-edges", o.f_edges, 0);
  if (!o.m_edges.empty()) rfm.m_edges = parse_rfm_edges("--m-edges", o.m_edges, 2);  // rubles
  StatsNeeds needs;
  if (!o.since.empty()) needs.since = parse_day_option("--since", o.since);
  if (o.model && (!o.predict.empty() || o.summary))
    throw UsageError("--model prints the fitted models only: it excludes --predict and --summary");
  const bool predict = !o.predict.empty() || o.model;
  const int64_t days = o.predict.empty() ? 0 : parse_predict_days(o.predict);
  needs.visit_values = predict;

  Session s(o.common, true, PatientNeeds::none().add(PText::name).add(PText::phone));
  VisitFold fold = s.fold_visits(needs);
  // The fits (over every patient with visits, whatever --from and --contactable keep, §6.2) run
  // on a thread of their own while the list is scored and sorted; their warnings come before
  // the first row.
  RfmModels models;
  std::future<RfmModels> fitting;
  if (predict) fitting = std::async(std::launch::async, [&fold] { return fit_rfm_models(fold); });
  const std::function<void()> fitted = [&] {
    models = fitting.get();
    for (const std::string& w : models.warnings) s.diag().warn(w);
  };
  // Ranks are within the population after --from and --contactable (§4).
  std::vector<RfmRow> rows = score_rfm(fold, s.population(), rfm);
  if (o.model) {
    fitted();
    s.write(rfm_model_table(models));
    return;
  }
  std::optional<RfmPredictor> predictor;
  if (predict) predictor.emplace(models, fold, days);
  if (o.summary) {
    Table t = rfm_summary(rows);
    if (predictor) fitted(), add_predict_summary(t, rows, *predictor);
    s.write(t);
    return;
  }
  Session::Output out = s.output();
  rfm_list(s.patients(), fold, std::move(rows), s.from(), out, predictor ? &*predictor : nullptr,
           predict ? fitted : std::function<void()>{});
  out.finish();
}

}  // namespace

void register_rfm(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out) {
  const auto [cmd, o] =
      add_command(app, out, "rfm", "Recency, frequency, monetary scores and segments", run);
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
  cmd->add_option("--predict", o->predict,
                  "add p_alive, expected_visits and expected_revenue over the next DAYS days "
                  "(BG/NBD and Gamma-Gamma models)")
      ->type_name("DAYS");
  cmd->add_flag("--model", o->model,
                "print the fitted BG/NBD and Gamma-Gamma parameters instead of the list");
  cmd->footer(
      "Scores are ranks within the population (1–5) unless edges are given.\n"
      "Examples:\n"
      "  kartoteka rfm --patients patients.csv --visits visits.csv --as-of 2026-11-22\n"
      "  kartoteka rfm --patients patients.csv --visits visits.csv --as-of 2026-11-22 \\\n"
      "      --r-edges 30,90,180,365 --f-edges 1,2,4,8 --m-edges 5000,15000,40000,100000 "
      "--summary\n"
      "  kartoteka rfm --patients patients.csv --visits visits.csv --as-of 2026-11-22 --predict "
      "365");
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
       "per segment in the order above, empty segments included.\n"
       "\n"
       "With --predict DAYS: the list (or --summary) gains p_alive, expected_visits and "
       "expected_revenue (p_alive_avg, expected_visits_sum, expected_revenue_sum) from the BG/NBD "
       "and Gamma-Gamma models. With --model: "
       "patients,repeat_patients,r,alpha,a,b,bgnbd_log_likelihood,p,q,gamma,gg_log_likelihood."});
}

}  // namespace kartoteka
