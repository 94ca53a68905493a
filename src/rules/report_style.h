// The report page's stylesheet (SPEC §6.7): system fonts only and no url() or @import, so the
// page needs nothing from outside; a print layout for A4 that keeps tables and charts whole.
#pragma once
#include <string_view>

namespace kartoteka {

inline constexpr std::string_view kReportCss =
    R"css(:root { --ink: #1f2937; --muted: #5f6b7a; --line: #e3e7ec; --bg: #f3f5f8; --head: #1d3557; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
header.page { background: var(--head); color: #fff; }
header.page .inner, main, footer { max-width: 1240px; margin: 0 auto; padding-left: 28px; padding-right: 28px; }
header.page .inner { padding-top: 26px; padding-bottom: 14px; }
h1 { margin: 0 0 4px; font-size: 28px; font-weight: 650; letter-spacing: -0.01em; }
.sub { margin: 0 0 14px; color: #d5deea; }
nav.toc { display: flex; flex-wrap: wrap; gap: 6px; }
nav.toc a { color: #fff; text-decoration: none; font-size: 13px; padding: 3px 10px; border-radius: 999px; background: rgba(255,255,255,0.12); }
nav.toc a:hover { background: rgba(255,255,255,0.25); }
main { padding-top: 18px; padding-bottom: 24px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px 20px; margin: 0 0 18px; break-inside: avoid; }
h2 { font-size: 20px; margin: 0 0 2px; font-weight: 650; }
.lead { color: var(--muted); margin: 0 0 14px; max-width: 90ch; font-size: 14px; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 28px; align-items: start; }
.pair.wide { grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); }
.tablebox { overflow-x: auto; }
figure { margin: 0 0 16px; break-inside: avoid; }
figcaption { font-size: 13px; font-weight: 600; color: var(--muted); margin: 0 0 4px; }
svg.chart { display: block; width: 100%; height: auto; font-family: inherit; }
svg.chart rect:hover, svg.chart circle:hover { opacity: 0.8; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; font-variant-numeric: tabular-nums; break-inside: avoid; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: #f8f9fb; vertical-align: bottom; }
th, td { text-align: right; }
td { white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
td:first-child { white-space: normal; min-width: 8.5em; overflow-wrap: anywhere; }
tbody tr:nth-child(even) { background: #fafbfc; }
.dense td { padding-top: 2px; padding-bottom: 2px; font-size: 12.5px; }
.cards { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)) minmax(0, 1.6fr); gap: 12px; margin: 0 0 16px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; background: #f8fafd; }
.card .v { font-size: 24px; font-weight: 650; white-space: nowrap; }
.card .k { font-size: 13px; color: var(--muted); }
.notice { background: #fff6e5; border: 1px solid #f0d9a8; padding: 12px 16px; border-radius: 8px; margin: 14px 0 0; }
.nochart { color: var(--muted); border: 1px dashed #cfd6de; padding: 28px 16px; text-align: center; border-radius: 8px; margin: 0; }
footer { color: var(--muted); font-size: 12.5px; padding-bottom: 28px; }
@media (max-width: 900px) { .pair, .pair.wide { grid-template-columns: minmax(0, 1fr); } .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
@media print {
  @page { size: A4; margin: 12mm; }
  body { background: #fff; font-size: 9.5pt; }
  header.page { background: #fff; color: #000; border-bottom: 2px solid var(--head); }
  header.page .inner, main, footer { max-width: none; padding-left: 0; padding-right: 0; }
  header.page .inner { padding-top: 0; padding-bottom: 2mm; }
  h1 { font-size: 18pt; }
  .sub { color: #333; margin: 0; }
  nav.toc { display: none; }
  main { padding-top: 4mm; }
  section { border: none; border-radius: 0; padding: 0; margin: 0 0 6mm; }
  h2 { font-size: 13pt; }
  .lead { font-size: 9pt; margin-bottom: 3mm; }
  .pair, .pair.wide { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 6mm; }
  .pair.wide { grid-template-columns: minmax(0, 1fr); }  /* a wide table goes under its chart */
  .pair.wide .charts { max-width: 60%; }
  .tablebox { overflow: visible; }
  figure { margin-bottom: 3mm; }
  table { font-size: 8pt; }
  th, td { padding: 1.5px 4px; }
  tr { break-inside: avoid; }
  .card .v { font-size: 14pt; }
}
)css";

}  // namespace kartoteka
