// The patients of a patients export, parsed once, stored compactly: one text arena with
// per-cell offsets (a patient costs a few bytes of offsets plus its text), typed values beside.
#pragma once
#include <cassert>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/prefetch.h"
#include "model/date.h"
#include "model/values.h"

namespace kartoteka {

// Text fields of a patient, already normalised: phone is E.164 (or empty), name composed from
// its parts when absent, name parts defaulted from name (§8.14), categories cleaned and
// `;`-joined without repeats (§8.18).
// clang-format off
enum class PText : uint8_t {
  id, name, last_name, first_name, middle_name, phone, email, district, city, source,
  profession, branch, categories, referrer_id, need,
  phones,  // every usable number of the phone cell(s), E.164, `;`-joined (sms --exclude, §6.6)
  kCount
};
// clang-format on
inline constexpr size_t kPTextCount = static_cast<size_t>(PText::kCount);

// Which text fields a command reads. The others are validated but not kept: a million patients'
// e-mails, districts and extra columns cost memory that rfm never reads. Reading a field that
// was not kept is a programming error (asserted; release builds see it empty).
struct PatientNeeds {
  // bit f: PText f is kept; by default all but `phones`, which only sms --exclude reads
  uint32_t text = ((1u << kPTextCount) - 1) & ~(1u << static_cast<unsigned>(PText::phones));
  bool extras = true;  // the other columns of the file

  static PatientNeeds all() { return {}; }
  // The id alone.
  static PatientNeeds none() { return {1u << static_cast<unsigned>(PText::id), false}; }
  PatientNeeds& add(PText f) {
    text |= 1u << static_cast<unsigned>(f);
    return *this;
  }
  bool has(PText f) const { return text >> static_cast<unsigned>(f) & 1; }
};

struct PatientCore {
  Day birth_date = kNoDay;
  Day registered = kNoDay;
  Day activity_date = kNoDay;
  char gender = 0;  // 'M', 'F' or 0
  Tri sms_consent = Tri::Unknown;
  Tri purchased = Tri::Unknown;
};

class PatientTable {
 public:
  static constexpr uint32_t kNotFound = UINT32_MAX;

  // Titles of the patients file's other columns (not bound to a logical field), file order.
  // Only the fields `needs` names are stored (id always is).
  explicit PatientTable(std::vector<std::string> extra_titles = {},
                        PatientNeeds needs = PatientNeeds::all());

  const std::vector<std::string>& extra_titles() const { return extra_titles_; }
  const PatientNeeds& needs() const { return needs_; }
  size_t size() const { return core_.size(); }

  // Appends a patient; `text` has kPTextCount cells, `extras` one per extra title. Returns false
  // (and stores nothing) when the id is already present.
  bool add(const std::vector<std::string_view>& text, const std::vector<std::string_view>& extras,
           const PatientCore& core);

  std::string_view text(uint32_t i, PText f) const {
    assert(needs_.has(f) && "PatientTable: a field the command did not ask for");
    if (column_[static_cast<size_t>(f)] < 0) return {};
    size_t c =
        static_cast<size_t>(i) * stride_ + static_cast<size_t>(column_[static_cast<size_t>(f)]);
    std::string_view v(arena_.data() + offs_[c], offs_[c + 1] - offs_[c]);
    // Name parts equal to their default from `name` (§8.14) are not stored a second time.
    if (v.empty() && f >= PText::last_name && f <= PText::middle_name &&
        (name_parts_[i] >> (static_cast<int>(f) - static_cast<int>(PText::last_name)) & 1))
      return default_name_part(text(i, PText::name), f);
    return v;
  }
  // The default of a name part taken from a full name (§8.14): its part by split_name.
  static std::string_view default_name_part(std::string_view name, PText part);
  std::string_view id(uint32_t i) const { return text(i, PText::id); }
  std::string_view extra(uint32_t i, size_t k) const {
    assert(needs_.extras && "PatientTable: extra columns the command did not ask for");
    if (!needs_.extras) return {};
    size_t c = static_cast<size_t>(i) * stride_ + kept_text_ + k;
    return std::string_view(arena_.data() + offs_[c], offs_[c + 1] - offs_[c]);
  }
  const PatientCore& core(uint32_t i) const { return core_[i]; }

  // Hints for a caller that reads the texts of many patients in an order of its own (a sorted
  // list): prefetch_row(i) asks for patient i's offsets, and prefetch_text(i), once they have
  // arrived (a few patients later), for the start of its text. Neither changes anything.
  void prefetch_row(uint32_t i) const { prefetch_read(&offs_[static_cast<size_t>(i) * stride_]); }
  void prefetch_text(uint32_t i) const {
    prefetch_read(arena_.data() + offs_[static_cast<size_t>(i) * stride_]);
  }

  // Optional capacity hint before the first add(): about `patients` rows and `text_bytes` of
  // text (e.g. the file size). Only a hint: add() grows past it.
  void reserve(size_t patients, size_t text_bytes);

  // Sizes the id index for about `patients` rows at once, instead of doubling its way there
  // (each doubling re-places every id: a random write per patient).
  void expect(size_t patients);

  // Exact match after trimming (§8.13); kNotFound when absent.
  uint32_t find(std::string_view id) const;

  // The same lookup split in two for callers that look up many ids in a row (the visits fold):
  // hash_of() the id and prefetch() its slot early, find(id, hash) a few rows later, so the
  // cache misses of several lookups overlap instead of following one another.
  // find(id, hash_of(id)) == find(id). Both trim `id` (§8.13).
  static uint64_t hash_of(std::string_view id);
  // A hint only: touches nothing, never faults, any hash is fine.
  void prefetch(uint64_t hash) const {
    prefetch_read(&slots_[static_cast<size_t>(hash) & (slots_.size() - 1)]);
  }
  uint32_t find(std::string_view id, uint64_t hash) const;

 private:
  // Open addressing slot: the id's hash, length and first 8 bytes sit in the slot itself, so a
  // probe (and for ids of up to 8 bytes the whole match) touches one cache line, never the arena.
  struct Slot {
    uint64_t head = 0;   // first min(len, 8) bytes of the id, zero padded
    uint32_t meta = 0;   // high 24 bits of the hash | min(len, 255)
    uint32_t index = 0;  // patient index + 1, 0 = empty
  };
  void rehash(size_t buckets);
  void place(uint32_t i);

  std::vector<std::string> extra_titles_;
  PatientNeeds needs_;
  int8_t column_[kPTextCount];  // PText → cell within a patient's stride, -1 = not kept
  size_t kept_text_ = 0;        // kept PText cells; extras follow them
  size_t stride_;
  std::string arena_;
  std::vector<uint32_t> offs_;  // size()*stride_ + 1 offsets into arena_
  std::vector<PatientCore> core_;
  std::vector<uint8_t> name_parts_;  // per patient: bit k = name part k is name's default
  std::vector<Slot> slots_;          // open addressing, power of two, load ≤ 3/5
};

// The first 8 bytes of an id, zero padded, as a number that orders as those bytes do (unsigned,
// like std::string_view). Ids hold no NUL byte, so an id shorter than 8 bytes still orders before
// its extensions: ids whose heads differ compare as their heads; equal heads need the whole ids.
// For sorting lists by id without a cache miss in the table per comparison.
inline uint64_t id_order_head(std::string_view id) {
  unsigned char bytes[8] = {};
  std::memcpy(bytes, id.data(), id.size() < 8 ? id.size() : 8);
  uint64_t head = 0;
  for (unsigned char b : bytes) head = head << 8 | b;
  return head;
}

// Patient a's id before patient b's in byte order, given their id_order_heads: the heads decide
// unless equal, and only then are the ids read from the table.
inline bool id_before(const PatientTable& pt, uint32_t a, uint64_t a_head, uint32_t b,
                      uint64_t b_head) {
  return a_head != b_head ? a_head < b_head : pt.id(a) < pt.id(b);
}

// Sorts patient indices (of `pt`) by id in byte order; ids are unique, so the order is total.
// A list already in that order (a patients file sorted by card number) is only checked. Otherwise
// the ids' heads are read once, in the list's order, into a table by patient (8 bytes per patient
// of `pt`): comparisons then rarely touch the patients table, whose ids are a cache miss each.
void sort_by_id(const PatientTable& pt, std::vector<uint32_t>& patients);

// Splits a categories cell on `;` `,` `|`, trims, drops empties and repeats, keeps cell order.
std::vector<std::string_view> split_categories(std::string_view cell);
// Splits a stored `;`-joined multi-value (empty → no elements).
std::vector<std::string_view> split_joined(std::string_view joined);

}  // namespace kartoteka
