// The patients file's rows parsed into the patient table's values (SPEC §2.2, §2.3, §8.14,
// §8.45), for Inputs::read_patients in load.cpp: typed cells, the name and its parts, phones,
// categories, and sizing the table from the file. Internal to io/; inline because each runs
// once per patient row.
#pragma once
#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "io/diagnostics.h"
#include "io/load.h"
#include "io/typed_cells.h"
#include "model/person_name.h"
#include "model/phone.h"
#include "model/text.h"

namespace kartoteka::io_detail {

// Parses the typed patient cells (dates, booleans) of one record into `core`; the column whose
// value does not parse, or null.
inline const TypedColumn* parse_typed_cells(const Record& rec,
                                            const std::vector<TypedColumn>& typed,
                                            PatientCore& core) {
  for (const auto& tc : typed) {
    std::string_view v = rec.fields[tc.col];
    bool ok = true;
    switch (tc.field) {
      case Field::birth_date:
        ok = parse_date(v, core.birth_date);
        break;
      case Field::registered:
        ok = parse_date(v, core.registered);
        break;
      case Field::activity_date:
        ok = parse_date(v, core.activity_date);
        break;
      case Field::sms_consent:
        ok = parse_bool(v, core.sms_consent);
        break;
      case Field::purchased:
        ok = parse_bool(v, core.purchased);
        break;
      default:
        break;
    }
    if (!ok) return &tc;
  }
  return nullptr;
}

// Name and its parts default from each other (§2.2, §8.14): an empty name is the parts joined
// (in `buf`); an empty part is the name's word 1, 2, or (middle) the rest from word 3 on.
inline void complete_name(std::string_view& name, std::string_view& last, std::string_view& first,
                          std::string_view& middle, bool name_parts, std::string& buf) {
  if (name.empty()) {
    buf.clear();
    for (auto part : {last, first, middle})
      if (!part.empty()) {
        if (!buf.empty()) buf += ' ';
        buf += part;
      }
    name = buf;
  } else if (name_parts) {
    const NameParts parts = split_name(name);
    if (last.empty()) last = parts.last;
    if (first.empty()) first = parts.first;
    if (middle.empty()) middle = parts.middle;
  }
}

// The non-empty cells of `cols`, joined by `;` into `out`.
inline void join_cells(const Record& rec, const std::vector<int>& cols, std::string& out) {
  out.clear();
  for (int c : cols)
    if (!rec.fields[c].empty()) {
      if (!out.empty()) out += ';';
      out += rec.fields[c];
    }
}

// The typed cells of one record parsed into `core` and its id; on a bad value or an empty id the
// row is reported and the result is empty.
inline std::string_view checked_id(const Record& rec, const std::string& file,
                                   const std::vector<std::string>& header, const ColumnMap& m,
                                   const std::vector<TypedColumn>& typed, PatientCore& core,
                                   Diagnostics& diag) {
  if (const TypedColumn* tc = parse_typed_cells(rec, typed, core)) {
    diag.bad_row(bad_value_message(file, rec.line, header[tc->col], tc->field, rec.fields[tc->col],
                                   problem_of(tc->type)));
    return {};
  }
  std::string_view id = cell(rec, m, Field::id);
  if (id.empty()) {
    diag.bad_row(bad_value_message(file, rec.line, header[m[Field::id]], Field::id, id,
                                   "is empty: every patient needs a card number"));
  }
  return id;
}

// §8.45: every phone column, in §2.3 order, is one list of numbers (`;` separates cells) in
// `cells`; `phone` is the one kept; `phones` (when `all`) every usable number, which sms
// --exclude matches (§6.6). False when a cell held no usable number.
inline bool collect_phones(const Record& rec, const ColumnMap& m, bool all, std::string& cells,
                           std::string& phone, std::string& phones) {
  join_cells(rec, m.phones, cells);
  bool unusable = false;
  phone = pick_phone(cells, &unusable);
  phones.clear();
  if (all) append_phones(cells, phones);
  return !unusable;
}

// The categories cell normalised to a `;` list in `out` (empty when not `needed`).
inline void join_categories(std::string_view cell, bool needed, std::string& out) {
  out.clear();
  if (needed)
    for (auto c : split_categories(cell)) {
      if (!out.empty()) out += ';';
      out += c;
    }
}

// A patients row takes at least ~40 bytes of the file; the text kept is at most the file.
inline void reserve_for_file(PatientTable& table, uint64_t bytes) {
  if (bytes > 0) table.reserve(bytes / 40 + 16, bytes + bytes / 4);
}

// Once 2^16 rows are in: the file's size over the bytes the first rows took (an overestimate of
// those by at most the reader's lookahead) predicts the row count closely enough to size the id
// index once. True when it did.
inline bool expect_from_sample(PatientTable& table, uint64_t total, uint64_t read) {
  constexpr size_t kSample = 1 << 16;
  if (table.size() < kSample || total <= read) return false;
  table.expect(static_cast<size_t>(static_cast<double>(table.size()) * static_cast<double>(total) /
                                   static_cast<double>(read)));
  return true;
}

// The patient table's text columns of one record.
struct PatientText {
  std::string_view id, name, last, first, middle, phone, categories, phones;
};

inline void fill_text(const Record& rec, const ColumnMap& m, const PatientText& t,
                      std::vector<std::string_view>& text) {
  text[size_t(PText::id)] = t.id;
  text[size_t(PText::name)] = t.name;
  text[size_t(PText::last_name)] = t.last;
  text[size_t(PText::first_name)] = t.first;
  text[size_t(PText::middle_name)] = t.middle;
  text[size_t(PText::phone)] = t.phone;
  text[size_t(PText::email)] = cell(rec, m, Field::email);
  text[size_t(PText::district)] = cell(rec, m, Field::district);
  text[size_t(PText::city)] = cell(rec, m, Field::city);
  text[size_t(PText::source)] = cell(rec, m, Field::source);
  text[size_t(PText::profession)] = cell(rec, m, Field::profession);
  text[size_t(PText::branch)] = cell(rec, m, Field::branch);
  text[size_t(PText::categories)] = t.categories;
  text[size_t(PText::referrer_id)] = cell(rec, m, Field::referrer_id);
  text[size_t(PText::need)] = cell(rec, m, Field::need);
  text[size_t(PText::phones)] = t.phones;
}

// The table's text columns of one record and the buffers they may point into.
struct RowText {
  std::vector<std::string_view> text = std::vector<std::string_view>(kPTextCount);
  std::string name, categories, phone, phone_cells, phones;
};

// Fills row.text for a record with this id (pointing into rec and row). False when its phone
// cells held no usable number.
inline bool row_text(const Record& rec, const ColumnMap& m, const PatientNeeds& needs,
                     bool name_parts, std::string_view id, RowText& row) {
  std::string_view name = cell(rec, m, Field::name);
  std::string_view last = cell(rec, m, Field::last_name), first = cell(rec, m, Field::first_name),
                   middle = cell(rec, m, Field::middle_name);
  complete_name(name, last, first, middle, name_parts, row.name);
  bool usable =
      collect_phones(rec, m, needs.has(PText::phones), row.phone_cells, row.phone, row.phones);
  join_categories(cell(rec, m, Field::categories), needs.has(PText::categories), row.categories);
  fill_text(rec, m, {id, name, last, first, middle, row.phone, row.categories, row.phones},
            row.text);
  return usable;
}

}  // namespace kartoteka::io_detail
