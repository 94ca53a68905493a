#include "rules/sleeping.h"

#include <fmt/format.h>

#include <algorithm>

#include "model/errors.h"
#include "model/money.h"
#include "model/text.h"
#include "model/whole_number.h"

namespace kartoteka {

std::optional<int64_t> median_gap_x2(const std::vector<Day>& dates) {
  if (dates.size() < 3) return std::nullopt;
  std::vector<int64_t> gaps;
  gaps.reserve(dates.size() - 1);
  for (size_t i = 1; i < dates.size(); ++i) gaps.push_back(int64_t{dates[i]} - dates[i - 1]);
  size_t n = gaps.size(), mid = n / 2;
  std::nth_element(gaps.begin(), gaps.begin() + mid, gaps.end());
  int64_t upper = gaps[mid];
  if (n % 2 == 1) return 2 * upper;
  int64_t lower = *std::max_element(gaps.begin(), gaps.begin() + mid);
  return lower + upper;
}

std::string format_half(int64_t x2) {
  std::string sign = x2 < 0 ? "-" : "";
  uint64_t mag = x2 < 0 ? 0 - static_cast<uint64_t>(x2) : static_cast<uint64_t>(x2);
  return mag % 2 ? fmt::format("{}{}.5", sign, mag / 2) : fmt::format("{}{}", sign, mag / 2);
}

bool exceeds_rhythm(int64_t days_since, const Decimal& k, int64_t median_x2) {
  // days_since > (mantissa / 10^d) × (median_x2 / 2)  ⇔  2 · days_since · 10^d > mantissa ·
  // median_x2, in 128 bits: parse_adaptive_k bounds the digits so neither side can overflow.
  __int128 mantissa = 0, scale = 1;
  for (char c : k.int_digits) mantissa = mantissa * 10 + (c - '0');
  for (char c : k.frac_digits) {
    mantissa = mantissa * 10 + (c - '0');
    scale *= 10;
  }
  if (k.negative) mantissa = -mantissa;
  return __int128{2} * days_since * scale > mantissa * median_x2;
}

Decimal parse_adaptive_k(std::string_view text) {
  std::string dotted(text);
  std::replace(dotted.begin(), dotted.end(), ',', '.');
  auto k = Decimal::parse(dotted);
  if (!k || k->negative)
    throw UsageError(fmt::format("--adaptive {}: K must be a number ≥ 0 (e.g. 2 or 1.5)", text));
  if (k->int_digits.size() > 12 || k->frac_digits.size() > 18)
    throw UsageError(fmt::format("--adaptive {}: too many digits", text));
  return *k;
}

namespace {

// id,name,phone: the first three cells of every patient list.
void set_patient_head(const FieldContext& ctx, uint32_t p, std::vector<std::string>& cells) {
  const PatientTable& pt = ctx.patients;
  set_cell(cells[0], pt.id(p));
  set_cell(cells[1], pt.text(p, PText::name));
  set_cell(cells[2], pt.text(p, PText::phone));
}

}  // namespace

void sleeping_list(const FieldContext& ctx, const std::vector<uint32_t>& population,
                   const SleepingOptions& options, RowSink& out) {
  struct Hit {
    uint32_t patient;
    int32_t days_since;  // below lost_after: a day count
    // The sort keys, copied (no cache miss per comparison): spent, then the id's head.
    Kopecks spent;
    uint64_t id_head;
    std::optional<int64_t> gap_x2;  // set when judged by --adaptive
  };
  std::vector<Hit> hits;
  hits.reserve(population.size());  // as score_rfm: untouched pages cost nothing, doubling does
  for (uint32_t p : population) {
    const VisitStats& s = ctx.visits.stats(p);
    if (s.visits == 0 || (s.upcoming && !options.include_booked)) continue;
    int64_t days_since = int64_t{ctx.as_of} - s.last_visit;
    if (days_since >= options.lost_after) continue;
    std::optional<int64_t> gap_x2;
    if (options.adaptive) gap_x2 = median_gap_x2(ctx.visits.visit_dates(p));
    bool asleep = gap_x2 ? exceeds_rhythm(days_since, *options.adaptive, *gap_x2)
                         : days_since >= options.after;
    if (asleep)
      hits.push_back({p, static_cast<int32_t>(days_since), s.spent,
                      id_order_head(ctx.patients.id(p)), gap_x2});
  }
  const PatientTable& pt = ctx.patients;
  std::sort(hits.begin(), hits.end(), [&](const Hit& a, const Hit& b) {
    if (a.spent != b.spent) return a.spent > b.spent;
    return id_before(pt, a.patient, a.id_head, b.patient, b.id_head);
  });

  std::vector<Column> columns = patient_list_head();
  columns.insert(columns.end(), {field_column(Derived::last_visit), col::count("days_since"),
                                 field_column(Derived::visits), field_column(Derived::spent),
                                 field_column(Derived::home_branch), col::text("reason")});
  if (options.adaptive) columns.push_back(col::decimal("typical_gap"));
  const FromColumns from_columns(ctx.from, columns);
  out.columns(columns);
  out.rows(hits.size(), columns.size(), [&] {
    return [&](size_t i, std::vector<std::string>& cells) {
      prefetch_listed(pt, &ctx.visits, i, hits.size(), [&](size_t j) { return hits[j].patient; });
      const Hit& h = hits[i];
      const VisitStats& s = ctx.visits.stats(h.patient);
      set_patient_head(ctx, h.patient, cells);
      set_date(cells[3], s.last_visit);
      set_number(cells[4], h.days_since);
      set_number(cells[5], s.visits);
      set_money(cells[6], s.spent);
      set_cell(cells[7], home_branch_of(ctx, h.patient));
      set_cell(cells[8], h.gap_x2 ? "adaptive" : "inactive");
      if (options.adaptive) {
        if (h.gap_x2)
          cells[9] = format_half(*h.gap_x2);
        else
          cells[9].clear();
      }
      from_columns.fill(cells, h.patient);
    };
  });
}

RecallPattern parse_recall(std::string_view text) {
  size_t eq = text.rfind('=');
  auto bad = [&](std::string_view why) {
    return UsageError(
        fmt::format("--recall {}: {} (expected PATTERN=DAYS, e.g. гигиена=180)", text, why));
  };
  if (eq == std::string_view::npos) throw bad("no '='");
  RecallPattern r;
  r.pattern = std::string(text.substr(0, eq));
  r.folded = fold(r.pattern);
  if (r.pattern.empty()) throw bad("empty pattern");
  std::string_view days = text.substr(eq + 1);
  const std::optional<int64_t> n = parse_whole_number(days, 9);
  if (!n) throw bad("DAYS must be a whole number of days");
  r.days = *n;
  return r;
}

RecallCollector::RecallCollector(std::vector<RecallPattern> patterns, size_t patients, Day as_of)
    : patterns_(std::move(patterns)),
      patients_(patients),
      as_of_(as_of),
      last_(patterns_.size() * patients, kNoDay) {}

const std::vector<char>& RecallCollector::matches(std::string_view text, int slot) {
  if (auto it = cache_.find(text); it != cache_.end()) return it->second;
  std::string folded = fold(text);
  std::vector<char> m(patterns_.size());
  for (size_t k = 0; k < patterns_.size(); ++k)
    m[k] = folded.find(patterns_[k].folded) != std::string::npos;
  // Bounded, so hostile files of unique service names cannot grow memory with the rows.
  if (cache_.size() < 100000) return cache_.emplace(std::string(text), std::move(m)).first->second;
  scratch_[slot] = std::move(m);
  return scratch_[slot];
}

void RecallCollector::add(const VisitRow& r) {
  // Refunds are money only, never a service (§2.6).
  if (!is_counted(r, as_of_) || r.amount < 0) return;
  const std::vector<char>& hit = matches(r.service, 0);
  const std::vector<char>& by_category = matches(r.service_category, 1);
  for (size_t k = 0; k < patterns_.size(); ++k) {
    if (!hit[k] && !by_category[k]) continue;
    Day& last = last_[k * patients_ + r.patient];
    if (last == kNoDay || r.date > last) last = r.date;
  }
}

size_t recall_list(const FieldContext& ctx, const std::vector<uint32_t>& population,
                   const RecallCollector& recall, const SleepingOptions& options, RowSink& out) {
  struct Hit {
    uint32_t patient;
    size_t pattern;
    Day last;
    int64_t overdue;
  };
  std::vector<Hit> hits;
  size_t lost = 0;
  for (uint32_t p : population) {
    if (ctx.visits.stats(p).upcoming && !options.include_booked) continue;
    bool lost_here = false;
    for (size_t k = 0; k < recall.patterns().size(); ++k) {
      Day last = recall.last(k, p);
      if (last == kNoDay) continue;
      int64_t since = int64_t{ctx.as_of} - last;
      int64_t overdue = since - recall.patterns()[k].days;
      if (overdue < 0) continue;
      if (since < options.lost_after)
        hits.push_back({p, k, last, overdue});
      else
        lost_here = true;
    }
    lost += lost_here;
  }
  const PatientTable& pt = ctx.patients;
  std::sort(hits.begin(), hits.end(), [&](const Hit& a, const Hit& b) {
    if (a.overdue != b.overdue) return a.overdue > b.overdue;
    if (a.patient != b.patient) return pt.id(a.patient) < pt.id(b.patient);
    return a.pattern < b.pattern;
  });
  std::vector<Column> columns = patient_list_head();
  columns.insert(columns.end(),
                 {col::text("service"), col::date("last_service_date"), col::date("due_date"),
                  col::count("days_overdue"), field_column(Derived::home_branch)});
  const FromColumns from_columns(ctx.from, columns);
  out.columns(columns);
  out.rows(hits.size(), columns.size(), [&] {
    return [&](size_t i, std::vector<std::string>& cells) {
      const Hit& h = hits[i];
      const RecallPattern& pat = recall.patterns()[h.pattern];
      set_patient_head(ctx, h.patient, cells);
      set_cell(cells[3], pat.pattern);
      set_date(cells[4], h.last);
      set_date(cells[5], static_cast<Day>(h.last + pat.days));
      set_number(cells[6], h.overdue);
      set_cell(cells[7], home_branch_of(ctx, h.patient));
      from_columns.fill(cells, h.patient);
    };
  });
  return lost;
}

}  // namespace kartoteka
