#include "rules/rfm.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <utility>

#include "model/errors.h"
#include "rules/patient_fields.h"
#include "rules/rfm_predict.h"

namespace kartoteka {

std::optional<Decimal> Decimal::parse(std::string_view text) {
  Decimal d;
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) d.negative = text[i++] == '-';
  size_t int_start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == int_start) return std::nullopt;
  std::string_view int_part = text.substr(int_start, i - int_start), frac_part;
  if (i < text.size() && text[i] == '.') {
    size_t frac_start = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == frac_start) return std::nullopt;
    frac_part = text.substr(frac_start, i - frac_start);
  }
  if (i != text.size()) return std::nullopt;
  size_t lead = int_part.find_first_not_of('0');
  d.int_digits = lead == std::string_view::npos ? "" : std::string(int_part.substr(lead));
  size_t trail = frac_part.find_last_not_of('0');
  d.frac_digits =
      trail == std::string_view::npos ? "" : std::string(frac_part.substr(0, trail + 1));
  if (d.is_zero()) d.negative = false;  // -0 is 0
  return d;
}

int compare(const Decimal& a, const Decimal& b) {
  if (a.negative != b.negative) return a.negative ? -1 : 1;
  int mag;  // compares magnitudes: integer digits by length then text, fractions by text
  if (a.int_digits.size() != b.int_digits.size())
    mag = a.int_digits.size() < b.int_digits.size() ? -1 : 1;
  else if (int c = a.int_digits.compare(b.int_digits); c != 0)
    mag = c < 0 ? -1 : 1;
  else if (int c2 = a.frac_digits.compare(b.frac_digits); c2 != 0)
    mag = c2 < 0 ? -1 : 1;
  else
    mag = 0;
  return a.negative ? -mag : mag;
}

int64_t Decimal::floor_scaled(int scale) const {
  std::string whole = int_digits, rest = frac_digits;
  for (int k = 0; k < scale; ++k) {
    whole += rest.empty() ? '0' : rest[0];
    if (!rest.empty()) rest.erase(0, 1);
  }
  size_t lead = whole.find_first_not_of('0');
  whole = lead == std::string::npos ? "" : whole.substr(lead);
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (whole.size() > 18) return negative ? -kMax : kMax;  // beyond any day count or amount
  int64_t v = whole.empty() ? 0 : std::stoll(whole);
  bool fraction_left = rest.find_first_not_of('0') != std::string::npos;
  return negative ? -v - (fraction_left ? 1 : 0) : v;
}

RfmEdges parse_rfm_edges(std::string_view option, std::string_view text, int scale) {
  auto bad = [&](std::string_view why) {
    return UsageError(fmt::format(
        "{} {}: {} (expected 4 strictly increasing numbers, e.g. 1,2,4,8)", option, text, why));
  };
  std::vector<Decimal> edges;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string_view item =
        text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    auto d = Decimal::parse(item);
    if (!d) throw bad(fmt::format("\"{}\" is not a number", item));
    edges.push_back(*d);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (edges.size() != 4) throw bad(fmt::format("{} numbers given", edges.size()));
  for (size_t k = 1; k < 4; ++k)
    if (compare(edges[k - 1], edges[k]) >= 0) throw bad("the numbers must strictly increase");
  RfmEdges out;
  for (size_t k = 0; k < 4; ++k) out.at_most[k] = edges[k].floor_scaled(scale);
  return out;
}

RankCuts rank_cuts(std::vector<int64_t> values) {
  const uint64_t n = values.size();
  RankCuts out{};
  auto from = values.begin();
  for (uint64_t k = 1; k <= 4; ++k) {
    // The t-th smallest (t ≥ 1: n > 0). Each selection leaves everything after it no smaller,
    // so the next one looks only there.
    const uint64_t t = (k * n + 4) / 5;
    const auto at = values.begin() + static_cast<std::ptrdiff_t>(t - 1);
    std::nth_element(from, at, values.end());
    out.cut[k - 1] = *at;
    from = at;
  }
  return out;
}

std::vector<uint8_t> rank_scores(const std::vector<int64_t>& values) {
  std::vector<uint8_t> out(values.size());
  if (values.empty()) return out;
  const RankCuts cuts = rank_cuts(values);
  for (size_t i = 0; i < values.size(); ++i) out[i] = cuts.score(values[i]);
  return out;
}

uint8_t edge_score(int64_t v, const RfmEdges& e) {
  for (size_t k = 0; k < 4; ++k)
    if (v <= e.at_most[k]) return static_cast<uint8_t>(k + 1);
  return 5;
}

size_t rfm_segment(uint8_t r, uint8_t f) {
  // Rows r = 1…5, columns f = 1…5; values index kRfmSegments.
  static constexpr uint8_t grid[5][5] = {
      {9, 9, 7, 7, 8},  // r 1: hibernating ×2, at_risk ×2, cant_lose
      {9, 9, 7, 7, 8},  // r 2
      {6, 6, 5, 1, 1},  // r 3: about_to_sleep ×2, need_attention, loyal ×2
      {4, 2, 2, 1, 1},  // r 4: promising, potential_loyalist ×2, loyal ×2
      {3, 2, 2, 0, 0},  // r 5: new, potential_loyalist ×2, champions ×2
  };
  return grid[r - 1][f - 1];
}

std::vector<RfmRow> score_rfm(const VisitFold& visits, const std::vector<uint32_t>& population,
                              const RfmOptions& options) {
  std::vector<RfmRow> rows;
  // At most one row per patient: reserved pages never touched cost nothing, while growing by
  // doubling would fault in and copy about twice the final size.
  rows.reserve(population.size());
  for (uint32_t p : population) {
    const VisitStats& s = visits.stats(p);
    if (s.visits == 0) continue;
    RfmRow& row = rows.emplace_back();
    row.patient = p;
    row.recency = visits.as_of() - s.last_visit;
    row.frequency = s.visits;
    row.monetary = s.spent;
  }
  // Each dimension's values are copied out for its cuts (a million rows: 8 MB, and no sort).
  auto ranked = [&](const std::optional<RfmEdges>& edges, auto value, auto fixed,
                    uint8_t RfmRow::*field) {
    if (edges) {
      for (auto& row : rows) row.*field = fixed(row, *edges);
      return;
    }
    if (rows.empty()) return;
    std::vector<int64_t> values(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) values[i] = value(rows[i]);
    const RankCuts cuts = rank_cuts(std::move(values));
    for (auto& row : rows) row.*field = cuts.score(value(row));
  };
  ranked(
      options.r_edges, [](const RfmRow& row) { return -int64_t{row.recency}; },
      [](const RfmRow& row, const RfmEdges& e) { return uint8_t(6 - edge_score(row.recency, e)); },
      &RfmRow::r);
  ranked(
      options.f_edges, [](const RfmRow& row) { return int64_t{row.frequency}; },
      [](const RfmRow& row, const RfmEdges& e) { return edge_score(row.frequency, e); },
      &RfmRow::f);
  ranked(
      options.m_edges, [](const RfmRow& row) { return row.monetary; },
      [](const RfmRow& row, const RfmEdges& e) { return edge_score(row.monetary, e); }, &RfmRow::m);
  return rows;
}

void rfm_list(const PatientTable& patients, const VisitFold& visits, std::vector<RfmRow> rows,
              const FromList* from, RowSink& out, const RfmPredictor* predict,
              const std::function<void()>& ready) {
  // Most comparisons end before the id, and those that reach it rarely need more than its head,
  // copied into the row: the patients table (a cache miss per id) is read for the heads in
  // table order, then only for ties that go past 8 bytes.
  for (RfmRow& row : rows) row.id_head = id_order_head(patients.id(row.patient));
  std::sort(rows.begin(), rows.end(), [&](const RfmRow& a, const RfmRow& b) {
    if (a.r != b.r) return a.r > b.r;
    if (a.f != b.f) return a.f > b.f;
    if (a.m != b.m) return a.m > b.m;
    if (a.monetary != b.monetary) return a.monetary > b.monetary;
    return id_before(patients, a.patient, a.id_head, b.patient, b.id_head);
  });
  std::vector<Column> columns = patient_list_head();
  columns.insert(columns.end(), {field_column(Derived::last_visit), col::count("recency_days"),
                                 col::count("frequency"), col::money("monetary"), col::count("r"),
                                 col::count("f"), col::count("m"),
                                 col::text("rfm"),  // `545` is a code (§8.39)
                                 col::text("segment")});
  if (predict) add_predict_columns(columns);
  const FromColumns from_columns(from, columns);
  if (ready) ready();
  out.columns(columns);
  out.rows(rows.size(), columns.size(), [&] {
    return [&](size_t i, std::vector<std::string>& cells) {
      // Nothing of the fold is read (last_visit is as_of − recency) unless for predictions.
      prefetch_listed(patients, predict ? &visits : nullptr, i, rows.size(),
                      [&](size_t j) { return rows[j].patient; });
      const RfmRow& row = rows[i];
      const uint32_t p = row.patient;
      set_cell(cells[0], patients.id(p));
      set_cell(cells[1], patients.text(p, PText::name));
      set_cell(cells[2], patients.text(p, PText::phone));
      set_date(cells[3], visits.as_of() - row.recency);
      set_number(cells[4], row.recency);
      set_number(cells[5], row.frequency);
      set_money(cells[6], row.monetary);
      set_number(cells[7], row.r);
      set_number(cells[8], row.f);
      set_number(cells[9], row.m);
      // Scores are 1–5: the three digits.
      const char rfm[3] = {static_cast<char>('0' + row.r), static_cast<char>('0' + row.f),
                           static_cast<char>('0' + row.m)};
      set_cell(cells[10], std::string_view(rfm, 3));
      set_cell(cells[11], kRfmSegments[rfm_segment(row.r, row.f)]);
      if (predict) predict->fill(p, cells, 12);
      from_columns.fill(cells, p);
    };
  });
}

std::string format_average(int64_t sum, int64_t n, int decimals) {
  if (n == 0) return "";
  int64_t scale = 1;
  for (int k = 0; k < decimals; ++k) scale *= 10;
  int64_t v = div_round_half_away(sum * scale, n);
  uint64_t mag = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  std::string out = v < 0 ? "-" : "";
  out += std::to_string(mag / scale);
  if (decimals > 0) out += fmt::format(".{:0{}}", mag % scale, decimals);
  return out;
}

Table rfm_summary(const std::vector<RfmRow>& rows) {
  struct Acc {
    int64_t patients = 0, recency = 0, frequency = 0;
    Kopecks monetary = 0;
  };
  std::array<Acc, kRfmSegments.size()> acc{};
  for (const RfmRow& row : rows) {
    Acc& a = acc[rfm_segment(row.r, row.f)];
    ++a.patients;
    a.recency += row.recency;
    a.frequency += row.frequency;
    a.monetary += row.monetary;
  }
  Table t;
  t.columns = {col::text("segment"),          col::count("patients"),
               col::decimal("share"),         col::decimal("recency_days_avg"),
               col::decimal("frequency_avg"), col::money("monetary_sum"),
               col::money("monetary_avg")};
  for (size_t k = 0; k < kRfmSegments.size(); ++k) {
    const Acc& a = acc[k];
    t.rows.push_back({std::string(kRfmSegments[k]), std::to_string(a.patients),
                      format_share(a.patients, rows.size()),
                      format_average(a.recency, a.patients, 1),
                      format_average(a.frequency, a.patients, 2), format_money(a.monetary),
                      a.patients ? format_money(div_round_half_away(a.monetary, a.patients)) : ""});
  }
  return t;
}

}  // namespace kartoteka
