#include "rules/referral_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "model/date.h"
#include "model/errors.h"
#include "model/fields.h"
#include "model/text.h"
#include "rules/template.h"

namespace kartoteka {
namespace {

constexpr std::string_view kStandardText =
    "К нам пришел клиент по вашей рекомендации. Вам зачислены {topup} р. на телефон и {credit} р. "
    "на внутр. счет. Спасибо.";

std::string_view referrer_text(const PatientTable& pt, const Referral& r, PText f) {
  return r.referrer == PatientTable::kNotFound ? std::string_view{} : pt.text(r.referrer, f);
}

}  // namespace

ReferralSms ReferralSms::parse(std::string_view text) {
  static constexpr std::pair<std::string_view, Field> kFields[] = {
      {"topup", Field::topup},
      {"credit", Field::credit},
      {"welcome", Field::welcome},
      {"clinic", Field::clinic},
      {"clinic_phone", Field::clinic_phone},
      {"date", Field::date},
      {"referrer_id", Field::referrer_id},
      {"referrer_name", Field::referrer_name},
      {"referrer_phone", Field::referrer_phone},
      {"new_id", Field::new_id},
      {"new_name", Field::new_name}};
  ReferralSms t;
  for (const TemplatePart& part : split_template(text)) {
    if (part.kind != TemplatePart::Kind::placeholder) {  // an unclosed `{` is literal text here
      if (!t.pieces_.empty() && t.pieces_.back().field == Field::literal)
        t.pieces_.back().text += part.text;
      else
        t.pieces_.push_back({Field::literal, std::string(part.text)});
      continue;
    }
    auto it = std::find_if(std::begin(kFields), std::end(kFields),
                           [&](const auto& f) { return f.first == part.text; });
    if (it == std::end(kFields))
      throw UsageError(fmt::format(
          "--sms-template: unknown field {{{}}} (known: topup credit welcome clinic clinic_phone "
          "date referrer_id referrer_name referrer_phone new_id new_name)",
          part.text));
    t.pieces_.push_back({it->second, {}});
  }
  return t;
}

ReferralSms ReferralSms::standard(const RewardTerms& terms) {
  ReferralSms t = parse(kStandardText);
  // The signature is inserted verbatim (never re-parsed as a template): a clinic name may hold `{`.
  bool clinic = !terms.clinic.empty(), phone = !terms.clinic_phone.empty();
  if (clinic || phone) t.pieces_.push_back({Field::literal, " "});
  if (clinic) t.pieces_.push_back({Field::clinic, {}});
  if (clinic && phone) t.pieces_.push_back({Field::literal, ", "});
  if (phone) t.pieces_.push_back({Field::clinic_phone, {}});
  return t;
}

std::string ReferralSms::render(const PatientTable& pt, const Referral& r,
                                const RewardTerms& terms) const {
  std::string out;
  render_to(out, pt, r, terms);
  return out;
}

void ReferralSms::render_to(std::string& out, const PatientTable& pt, const Referral& r,
                            const RewardTerms& terms) const {
  out.clear();
  for (const Piece& piece : pieces_) {
    switch (piece.field) {
      case Field::literal:
        out += piece.text;
        break;
      case Field::topup:
        out += format_money_short(terms.topup);
        break;
      case Field::credit:
        out += format_money_short(terms.credit);
        break;
      case Field::welcome:
        out += format_money_short(terms.welcome);
        break;
      case Field::clinic:
        out += terms.clinic;
        break;
      case Field::clinic_phone:
        out += terms.clinic_phone;
        break;
      case Field::date:
        append_date(out, r.date);
        break;
      case Field::referrer_id:
        out += r.referrer_id;
        break;
      case Field::referrer_name:
        out += referrer_text(pt, r, PText::name);
        break;
      case Field::referrer_phone:
        out += referrer_text(pt, r, PText::phone);
        break;
      case Field::new_id:
        out += pt.id(r.patient);
        break;
      case Field::new_name:
        out += pt.text(r.patient, PText::name);
        break;
    }
  }
}

void reward_list(const PatientTable& pt, const std::vector<Referral>& referrals,
                 const RewardTerms& terms, const ReferralSms& sms, const ReportFilter& filter,
                 RowSink& out) {
  std::vector<const Referral*> rows;
  for (const Referral& r : referrals)
    if (r.qualifies() && filter.in_range(r.date) && filter.in_population(r.patient))
      rows.push_back(&r);
  std::sort(rows.begin(), rows.end(), [&](const Referral* a, const Referral* b) {
    if (a->date != b->date) return a->date < b->date;
    if (a->referrer_id != b->referrer_id) return a->referrer_id < b->referrer_id;
    return pt.id(a->patient) < pt.id(b->patient);
  });
  // The referrer's and the new patient's names and the referrer's phone are personal (§8.62).
  const std::vector<Column> columns = {col::date("date"),          col::id("referrer_id"),
                                       col::name("referrer_name"), col::phone("referrer_phone"),
                                       col::id("new_id"),          col::name("new_name"),
                                       col::money("topup"),        col::money("credit"),
                                       col::money("welcome"),      col::text("sms_text")};
  out.columns(columns);
  std::vector<std::string> cells(columns.size());
  // The rewards are the same on every row.
  set_money(cells[6], terms.topup);
  set_money(cells[7], terms.credit);
  set_money(cells[8], terms.welcome);
  for (const Referral* r : rows) {
    set_date(cells[0], r->date);
    set_cell(cells[1], r->referrer_id);
    set_cell(cells[2], pt.text(r->referrer, PText::name));
    set_cell(cells[3], pt.text(r->referrer, PText::phone));
    set_cell(cells[4], pt.id(r->patient));
    set_cell(cells[5], pt.text(r->patient, PText::name));
    sms.render_to(cells[9], pt, *r, terms);
    out.row(cells);
  }
}

Table referral_summary(const PatientTable& pt, const std::vector<Referral>& referrals,
                       const VisitFold& visits, const RewardTerms& terms,
                       const ReportFilter& filter) {
  struct Sum {
    int64_t referrals = 0;
    Kopecks revenue = 0;
  };
  std::map<uint32_t, Sum> by_referrer;
  for (const Referral& r : referrals) {
    if (!r.qualifies() || !filter.in_range(r.date) || !filter.in_population(r.referrer)) continue;
    Sum& s = by_referrer[r.referrer];
    ++s.referrals;
    s.revenue += visits.stats(r.patient).spent;
  }
  std::vector<std::pair<uint32_t, Sum>> rows(by_referrer.begin(), by_referrer.end());
  std::sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
    if (a.second.referrals != b.second.referrals) return a.second.referrals > b.second.referrals;
    if (a.second.revenue != b.second.revenue) return a.second.revenue > b.second.revenue;
    return pt.id(a.first) < pt.id(b.first);
  });
  // The referrer's own fields, then the counts and sums.
  Table t;
  t.columns = {field_column(Field::referrer_id), field_column(Field::name),
               field_column(Field::phone),       col::count("referrals"),
               col::money("topup_total"),        col::money("credit_total"),
               col::money("referred_revenue")};
  for (const auto& [p, s] : rows)
    t.rows.push_back({std::string(pt.id(p)), std::string(pt.text(p, PText::name)),
                      std::string(pt.text(p, PText::phone)), fmt::format("{}", s.referrals),
                      format_money(terms.topup * s.referrals),
                      format_money(terms.credit * s.referrals), format_money(s.revenue)});
  return t;
}

Table referral_audit(const PatientTable& pt, const std::vector<Referral>& referrals,
                     const ReportFilter& filter) {
  struct Row {
    Day date;
    const Referral* r;
    std::string_view issue;
  };
  std::vector<Row> rows;
  for (const Referral& r : referrals) {
    if (!filter.in_population(r.patient)) continue;
    // Dated rows follow --since/--until; an undated row (P has not paid) is always listed.
    if (r.date != kNoDay && !filter.in_range(r.date)) continue;
    auto add = [&](bool has, std::string_view issue) {
      if (has) rows.push_back({r.date, &r, issue});
    };
    add(r.self, "self_referral");
    add(r.unknown, "unknown_referrer");
    add(r.not_yet_patient, "referrer_not_yet_patient");
    add(r.mutual, "mutual_referral");
    add(r.pending(), "pending");
  }
  // Stable: the issues of one referral keep the order they were added in (§8.30).
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    if (a.date != b.date) {
      if (a.date == kNoDay || b.date == kNoDay) return b.date == kNoDay;
      return a.date < b.date;
    }
    return pt.id(a.r->patient) < pt.id(b.r->patient);
  });
  Table t;
  t.columns = {col::date("date"), col::id("new_id"), col::id("referrer_id"), col::text("issue")};
  for (const Row& row : rows)
    t.rows.push_back({format_date(row.date), std::string(pt.id(row.r->patient)), row.r->referrer_id,
                      std::string(row.issue)});
  return t;
}

}  // namespace kartoteka
