// One `sms` batch (SPEC §6.6, §8.36, §8.43): the listed patients in list order, each offered to
// the SmsDispatcher, rendered when it may still be sent, and written to a RowSink as
// `phone,text,segments,id`. Pure: the command (cli/sms.cpp) reads the files and writes the log.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "rules/patient_fields.h"
#include "rules/sms.h"
#include "rules/table.h"

namespace kartoteka {

struct SmsJob {
  const FieldContext& ctx;
  const SmsTemplate& tpl;
  const std::vector<FieldRef>& refs;  // refs[i] resolves tpl.fields()[i]
  const std::vector<uint32_t>& population;
};

struct SmsSent {
  uint32_t patient;
  uint32_t segments;
};

struct SmsBatch {
  std::vector<SmsSent> sent;         // every message written, in output order (for the log)
  std::vector<std::string> dropped;  // ids of messages over --max-segments, for the warning
};

// Writes the titles and every message to `out`. The patients table must hold `phone` (and
// `phones` when the dispatcher excludes by a stop list).
SmsBatch send_sms_batch(const SmsJob& job, SmsDispatcher& dispatch, RowSink& out);

}  // namespace kartoteka
