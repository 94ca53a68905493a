// A report table as HTML (SPEC §6.7): `<table data-table="NAME">`, header cells with
// `data-key="COLUMN"`, data cells with `data-value` = the value exactly as csv prints it (raw,
// HTML-escaped) and, as their text, the same value for a Russian reader (`1 234,50 ₽`,
// `42,9 %`, `ноябрь 2026`, segment names in Russian).
#pragma once
#include <string>
#include <string_view>

#include "rules/table.h"

namespace kartoteka {

// The column's title for people ("Пациентов", "Выручка"); the key itself when unknown.
std::string column_title_ru(std::string_view key);
// A cell of column `key` for people; "—" for an empty value.
std::string cell_ru(std::string_view key, std::string_view value);
// A label of the clinic's vocabulary for people: activity values, RFM segments, audit issues,
// sleeping buckets, discount tiers; an empty branch is "не указан". Anything else unchanged.
std::string label_ru(std::string_view key, std::string_view value);

// The table: data-table, data-key and data-value attributes, Russian titles and cells.
std::string table_html(std::string_view name, const Table& table);

}  // namespace kartoteka
