#include "rules/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "rules/html_text.h"

namespace kartoteka {
namespace {

constexpr std::string_view kInk = "#2b3440", kMuted = "#6b7684", kGrid = "#e3e7ec";
constexpr std::string_view kBar = "#2f6db5";

std::string open_svg(double width, double height, std::string_view description) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {:g} {:g}\" role=\"img\" "
      "aria-label=\"{}\" class=\"chart\" font-size=\"13\">\n<title>{}</title>\n",
      width, height, html_escape(description), html_escape(description));
}

std::string text(double x, double y, std::string_view anchor, std::string_view body,
                 std::string_view fill = kMuted, std::string_view extra = "") {
  return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\" fill=\"{}\"{}>{}</text>\n",
                     x, y, anchor, fill, extra, html_escape(body));
}

// A value axis: `ticks` evenly spaced values from lo to hi.
struct Axis {
  double lo = 0, hi = 1, step = 1;
  double at(double v, double top, double bottom) const {
    return bottom - (v - lo) / (hi - lo) * (bottom - top);
  }
};

// A 1-2-2.5-5 step for about four intervals over [min(0, lo), max(0, hi)].
Axis make_axis(const std::vector<ChartItem>& items, bool integer) {
  double lo = 0, hi = 0;
  for (const auto& i : items) lo = std::min(lo, i.value), hi = std::max(hi, i.value);
  const double range = hi - lo > 0 ? hi - lo : 1;
  const double raw = range / 4, p = std::pow(10.0, std::floor(std::log10(raw))), f = raw / p;
  double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
  if (integer) step = std::max(1.0, std::ceil(step));
  Axis a;
  a.step = step;
  a.lo = std::floor(lo / step) * step;
  a.hi = std::max(step, std::ceil(hi / step) * step);
  if (a.hi <= a.lo) a.hi = a.lo + step;
  return a;
}

// Geometry shared by columns and lines, so the two line up on a page.
struct Frame {
  double width = 560, height = 280, left = 74, right = 10, top = 14, bottom = 44;
  double x0() const { return left; }
  double x1() const { return width - right; }
  double y0() const { return top; }
  double y1() const { return height - bottom; }
};

// Grid lines, tick labels, and the month labels under each band (every k-th when crowded).
std::string axes(const Frame& fr, const Axis& a, const std::vector<ChartItem>& items,
                 const TickFormat& tick) {
  std::string out = "<g class=\"axis\">\n";
  for (double v = a.lo; v <= a.hi + a.step / 2; v += a.step) {
    const double y = a.at(v, fr.y0(), fr.y1());
    out += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\"/>\n", fr.x0(),
        y, fr.x1(), y, std::abs(v) < a.step / 2 ? "#aab3be" : kGrid);
    out += text(fr.x0() - 6, y + 4, "end", tick(std::abs(v) < a.step / 2 ? 0 : v));
  }
  const double band = (fr.x1() - fr.x0()) / static_cast<double>(std::max<size_t>(1, items.size()));
  for (size_t i = 0; i < items.size(); ++i) {
    const double x = fr.x0() + band * (static_cast<double>(i) + 0.5);
    if (!items[i].label.empty())
      out += text(x, fr.y1() + 16, "middle", items[i].label, kMuted, " font-size=\"12\"");
    if (!items[i].sublabel.empty())
      out += text(x, fr.y1() + 31, "middle", items[i].sublabel, kInk, " font-size=\"12\"");
  }
  return out + "</g>\n";
}

// What a chart over a value axis starts from: the frame, the axis, the svg opened with the axes
// drawn, and the width of one item's band along the x axis.
struct Plot {
  Plot(const std::vector<ChartItem>& items, std::string_view description, const TickFormat& tick,
       bool integer)
      : a(make_axis(items, integer)),
        out(open_svg(fr.width, fr.height, description) + axes(fr, a, items, tick)),
        band((fr.x1() - fr.x0()) / static_cast<double>(std::max<size_t>(1, items.size()))) {}
  const Frame fr;
  const Axis a;
  std::string out;
  const double band;
};

}  // namespace

std::string svg_hbars(const std::vector<ChartItem>& items, std::string_view description) {
  const double width = 600, row = 30, top = 8, label_w = 200, value_w = 150;
  const double height = top * 2 + row * static_cast<double>(items.size());
  double hi = 0;
  for (const auto& i : items) hi = std::max(hi, i.value);
  if (hi <= 0) hi = 1;
  const double x0 = label_w, span = width - label_w - value_w;
  std::string out = open_svg(width, height, description);
  for (size_t k = 0; k < items.size(); ++k) {
    const ChartItem& i = items[k];
    const double y = top + row * static_cast<double>(k);
    const double w = std::max(0.0, i.value) / hi * span;
    out += text(x0 - 8, y + row / 2 + 4, "end", shorten(i.label, 24), kInk);
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" rx=\"3\" "
        "fill=\"{}\"><title>{}</title></rect>\n",
        x0, y + 5, std::max(w, i.value > 0 ? 2.0 : 0.0), row - 10,
        i.color.empty() ? kBar : std::string_view(i.color), html_escape(i.title));
    out += text(x0 + w + 6, y + row / 2 + 4, "start", i.value_text, kInk);
  }
  return out + "</svg>\n";
}

std::string svg_columns(const std::vector<ChartItem>& items, std::string_view description,
                        const TickFormat& tick, bool integer, std::string_view color) {
  Plot p(items, description, tick, integer);
  const double zero = p.a.at(0, p.fr.y0(), p.fr.y1());
  for (size_t i = 0; i < items.size(); ++i) {
    const double y = p.a.at(items[i].value, p.fr.y0(), p.fr.y1());
    p.out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\">"
        "<title>{}</title></rect>\n",
        p.fr.x0() + p.band * (static_cast<double>(i) + 0.15), std::min(y, zero), p.band * 0.7,
        std::abs(zero - y), items[i].color.empty() ? color : std::string_view(items[i].color),
        html_escape(items[i].title));
  }
  return p.out + "</svg>\n";
}

std::string svg_line(const std::vector<ChartItem>& items, std::string_view description,
                     const TickFormat& tick, bool integer, std::string_view color) {
  Plot p(items, description, tick, integer);
  std::string path, dots;
  for (size_t i = 0; i < items.size(); ++i) {
    const double x = p.fr.x0() + p.band * (static_cast<double>(i) + 0.5);
    const double y = p.a.at(items[i].value, p.fr.y0(), p.fr.y1());
    path += fmt::format("{}{:.1f},{:.1f}", i == 0 ? "M" : " L", x, y);
    dots += fmt::format(
        "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"#fff\" stroke=\"{}\" "
        "stroke-width=\"2\"><title>{}</title></circle>\n",
        x, y, items.size() > 36 ? 2.5 : 3.5, color, html_escape(items[i].title));
  }
  if (!items.empty())
    p.out += fmt::format(
        "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" "
        "stroke-linejoin=\"round\"><title>{}</title></path>\n",
        path, color, html_escape(description));
  return p.out + dots + "</svg>\n";
}

std::string svg_heatmap(const std::array<std::array<HeatCell, 5>, 5>& rows,
                        const std::array<std::string, 5>& row_labels,
                        const std::array<std::string, 5>& col_labels, std::string_view row_axis,
                        std::string_view col_axis, std::string_view description) {
  const double cw = 96, ch = 50, left = 96, top = 10, width = left + 5 * cw + 12;
  const double height = top + 5 * ch + 48;
  double hi = 0;
  for (const auto& r : rows)
    for (const auto& c : r) hi = std::max(hi, c.value);
  std::string out = open_svg(width, height, description);
  for (size_t r = 0; r < 5; ++r) {
    const double y = top + ch * static_cast<double>(r);
    out += text(left - 10, y + ch / 2 + 4, "end", row_labels[r], kInk);
    for (size_t f = 0; f < 5; ++f) {
      const HeatCell& c = rows[r][f];
      const double t = hi > 0 ? c.value / hi : 0;
      // From a pale blue (238,243,250) to a deep one (29,79,145).
      auto mix = [t](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * t)); };
      const double x = left + cw * static_cast<double>(f);
      out += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
          "fill=\"#{:02x}{:02x}{:02x}\" stroke=\"#fff\" "
          "stroke-width=\"2\"><title>{}</title></rect>\n",
          x, y, cw, ch, mix(238, 29), mix(243, 79), mix(250, 145), html_escape(c.title));
      out += text(x + cw / 2, y + ch / 2 + 5, "middle", c.text, t > 0.55 ? "#ffffff" : kInk,
                  " font-size=\"14\" pointer-events=\"none\"");
    }
  }
  for (size_t f = 0; f < 5; ++f)
    out += text(left + cw * (static_cast<double>(f) + 0.5), top + 5 * ch + 18, "middle",
                col_labels[f], kInk);
  out += text(left + 2.5 * cw, top + 5 * ch + 40, "middle", col_axis, kMuted);
  out += fmt::format(
      "<text x=\"14\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"{}\" "
      "transform=\"rotate(-90 14 {:.1f})\">{}</text>\n",
      top + 2.5 * ch, kMuted, top + 2.5 * ch, html_escape(row_axis));
  return out + "</svg>\n";
}

}  // namespace kartoteka
