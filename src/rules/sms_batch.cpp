#include "rules/sms_batch.h"

#include "model/fields.h"

namespace kartoteka {

SmsBatch send_sms_batch(const SmsJob& job, SmsDispatcher& dispatch, RowSink& out) {
  const PatientTable& pt = job.ctx.patients;
  const bool need_phones = dispatch.filters().exclude != nullptr;
  // Messages are written as they are rendered; only what the log and the warning need is kept.
  // The text greets the patient by name: --mask finds the name through the `id` column.
  const std::vector<Column> columns = {field_column(Field::phone), col::text("text"),
                                       col::count("segments"), field_column(Field::id)};
  out.columns(columns);
  std::vector<std::string> cells(columns.size());
  std::vector<std::string> values(job.refs.size());
  // The getter keeps its text buffers from patient to patient; it prints what print_field does.
  PatientFieldGetter getter(job.ctx, job.refs);
  SmsBatch batch;
  for (uint32_t p : job.population) {
    SmsCandidate c;
    c.id = pt.id(p);
    c.phone = pt.text(p, PText::phone);
    if (need_phones) c.phones = pt.text(p, PText::phones);
    c.consent = pt.core(p).sms_consent == Tri::True;
    auto o = dispatch.offer(c, [&] {
      getter.set_patient(p);
      for (size_t i = 0; i < job.refs.size(); ++i) {
        const FieldValue v = getter.get(static_cast<int>(i));
        set_cell(values[i], v.missing ? std::string_view() : v.text);
      }
      return job.tpl.render(values);
    });
    if (o.skip == SmsSkip::TooManySegments) batch.dropped.emplace_back(c.id);
    if (o.skip != SmsSkip::None) continue;
    set_cell(cells[0], c.phone);
    cells[1] = std::move(o.text);
    set_number(cells[2], o.size.segments);
    set_cell(cells[3], c.id);
    out.row(cells);
    batch.sent.push_back({p, o.size.segments});
  }
  return batch;
}

}  // namespace kartoteka
