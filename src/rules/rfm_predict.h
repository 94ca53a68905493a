// `rfm --predict DAYS` and `rfm --model` (SPEC §6.2 "Who is still a patient, and what they will
// bring", §8.58): the BG/NBD and Gamma-Gamma fits over the fold's patients, and each listed
// patient's p_alive, expected_visits and expected_revenue.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/bgnbd.h"
#include "model/gamma_gamma.h"
#include "model/money.h"
#include "model/visit_stats.h"
#include "rules/rfm.h"
#include "rules/table.h"

namespace kartoteka {

// A patient's data for the models (§6.2), from a fold with visit_values.
struct PatientHistory {
  uint32_t x = 0;            // visit days − 1
  int32_t t_x_days = 0;      // last − first visit day
  int32_t T_days = 0;        // as-of − first visit day
  Kopecks repeat_value = 0;  // value of the visit days after the first
  bool has_visits = false;
};
PatientHistory patient_history(const VisitFold& visits, uint32_t p);

// Both fits. A model that cannot be used (too few patients, no convergence, q ≤ 1) is nullopt,
// and `warnings` says why (one message each, without the `kartoteka: warning: ` prefix).
struct RfmModels {
  uint64_t patients = 0;         // with visits: the BG/NBD fit set
  uint64_t repeat_patients = 0;  // x > 0 and repeat value > 0: the Gamma-Gamma fit set
  std::optional<BgnbdFit> bgnbd;
  std::optional<GammaGammaFit> gamma_gamma;
  std::vector<std::string> warnings;
};
// Fits over every patient of the fold with visits (§6.2: whatever --from and --contactable keep).
RfmModels fit_rfm_models(const VisitFold& visits);

// --model's one row (§6.2, §8.58); an unusable model's cells are empty.
Table rfm_model_table(const RfmModels& models);

// One patient's predictions over the next `days` days; nullopt where a model is unusable.
struct RfmPrediction {
  std::optional<double> p_alive, expected_visits;
  std::optional<Kopecks> expected_revenue;  // unrounded visits × check, to the kopeck (§8.58)
};

// The three list columns: p_alive and expected_visits decimal, expected_revenue money (§8.51).
void add_predict_columns(std::vector<Column>& columns);

// The three list columns, filled per row (on any thread: it only reads).
class RfmPredictor {
 public:
  RfmPredictor(const RfmModels& models, const VisitFold& visits, int64_t days);
  RfmPrediction predict(uint32_t patient) const;
  // Sets p_alive (4 decimals), expected_visits (2), expected_revenue (money) from cells[at] on.
  void fill(uint32_t patient, std::vector<std::string>& cells, size_t at) const;
  bool visits_usable() const { return models_.bgnbd.has_value(); }
  bool revenue_usable() const { return models_.bgnbd && models_.gamma_gamma; }

 private:
  const RfmModels& models_;
  const VisitFold& visits_;
  double weeks_;
};

// Adds p_alive_avg, expected_visits_sum, expected_revenue_sum to rfm_summary's table (§8.58).
void add_predict_summary(Table& summary, const std::vector<RfmRow>& rows,
                         const RfmPredictor& predictor);

// DAYS of --predict: a whole number of days, 0 to 36500; UsageError otherwise.
int64_t parse_predict_days(const std::string& text);

}  // namespace kartoteka
