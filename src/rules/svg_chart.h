// The report's charts as inline SVG text (SPEC §6.7): horizontal bars, columns, a line and a
// 5 × 5 heat map, drawn from values the caller has already formatted for people. Every mark has
// a <title> naming its label and value (a browser shows it on hover). The SVG is well-formed
// XML, sized by its viewBox so it scales to the column it stands in (screen and A4).
#pragma once
#include <array>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kartoteka {

struct ChartItem {
  std::string label;       // beside the bar / under the column (shortened when long)
  std::string sublabel;    // columns and lines: a second line under the label (a year), or ""
  std::string title;       // the mark's <title>: "ноябрь 2026: 1 234 567,50 ₽"
  double value = 0;        // in the unit the ticks are formatted in
  std::string value_text;  // horizontal bars: printed after the bar
  std::string color;       // CSS colour; "" = the chart's colour
};
// Formats an axis tick value (same unit as ChartItem::value).
using TickFormat = std::function<std::string(double)>;

// Horizontal bars, one row per item, labels on the left and value_text after each bar.
std::string svg_hbars(const std::vector<ChartItem>& items, std::string_view description);
// Vertical columns with a value axis (months). `integer` = ticks are whole numbers.
std::string svg_columns(const std::vector<ChartItem>& items, std::string_view description,
                        const TickFormat& tick, bool integer, std::string_view color);
// A line through the items' values with a dot on each (months), on the same axes as columns.
std::string svg_line(const std::vector<ChartItem>& items, std::string_view description,
                     const TickFormat& tick, bool integer, std::string_view color);

struct HeatCell {
  double value = 0;
  std::string text;   // printed in the cell
  std::string title;  // the cell's <title>
};
// 5 × 5 heat map: rows[0] is the top row; `row_labels` / `col_labels` name rows and columns,
// `row_axis` / `col_axis` the axes. Darker = larger value.
std::string svg_heatmap(const std::array<std::array<HeatCell, 5>, 5>& rows,
                        const std::array<std::string, 5>& row_labels,
                        const std::array<std::string, 5>& col_labels, std::string_view row_axis,
                        std::string_view col_axis, std::string_view description);

}  // namespace kartoteka
