// gen-exports — deterministic generator of realistic clinic exports (patients + visits) for
// benchmarks and manual testing (issue 6).
//
//   gen-exports --patients 1000000 --visits 10000000 --seed 1 --out /tmp/k7 --style both
//
// Writes OUT/canonical/{patients,visits}.csv (UTF-8, `,`, LF, ISO dates, `1234.50`) and/or
// OUT/1c/{patients,visits}.csv (Windows-1251, `;`, CRLF, Russian headers, `dd.mm.yyyy hh:mm:ss`,
// `1 234,50` with NBSP). Both renderings carry the same data: kartoteka gives the same output on
// either. Same arguments → same bytes.
//
// The mix: visit documents in date order (2016-01-01 … as-of) with 1–4 service lines each, a
// skewed patient choice (regular patients come back for years, many come once), ~5 % cancelled,
// ~4 % no-show, planned appointments around as-of, ~1 % refunds booked weeks or months later
// (negative amount, own document number), bonus payments, free consultations, a small share of
// rows for unknown cards, referrers (a few self/unknown/numeric-variant ones), phones in every
// format (several per cell, unusable ones, empty), and quoted fields with `;`, `"` and line breaks.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

namespace {

// ---- deterministic PRNG (splitmix64 seeded xoshiro256**) ----
struct Rng {
  uint64_t s[4];
  explicit Rng(uint64_t seed) {
    for (auto& x : s) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      x = z ^ (z >> 31);
    }
  }
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t next() {
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
  }
  uint64_t below(uint64_t n) { return n ? (uint64_t)(((__uint128_t)next() * n) >> 64) : 0; }
  double unit() { return (next() >> 11) * (1.0 / 9007199254740992.0); }
  bool chance(double p) { return unit() < p; }
  template <class T, size_t N>
  const T& pick(const T (&a)[N]) {
    return a[below(N)];
  }
};

// ---- days ↔ civil dates ----
int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}
void civil_from_days(int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = (int)(yoe + era * 400);
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

// ---- vocabularies (UTF-8) ----
const char* kSurM[] = {
    "Иванов",      "Смирнов",   "Кузнецов",   "Попов",    "Васильев", "Петров",   "Соколов",
    "Михайлов",    "Новиков",   "Фёдоров",    "Морозов",  "Волков",   "Алексеев", "Лебедев",
    "Семёнов",     "Егоров",    "Павлов",     "Козлов",   "Степанов", "Николаев", "Орлов",
    "Андреев",     "Макаров",   "Никитин",    "Захаров",  "Зайцев",   "Соловьёв", "Борисов",
    "Яковлев",     "Григорьев", "Романов",    "Воробьёв", "Сергеев",  "Кузьмин",  "Фролов",
    "Александров", "Дмитриев",  "Королёв",    "Гусев",    "Киселёв",  "Ильин",    "Максимов",
    "Поляков",     "Сорокин",   "Виноградов", "Ковалёв",  "Белов",    "Медведев", "Антонов",
    "Тарасов",     "Жуков",     "Баранов",    "Филиппов", "Комаров",  "Давыдов",  "Беляев",
    "Герасимов",   "Богданов",  "Осипов",     "Сидоров",  "Матвеев",  "Титов",    "Марков"};
const char* kNameM[] = {"Александр", "Дмитрий", "Максим",     "Сергей", "Андрей",   "Алексей",
                        "Артём",     "Илья",    "Кирилл",     "Михаил", "Никита",   "Матвей",
                        "Роман",     "Егор",    "Арсений",    "Иван",   "Денис",    "Евгений",
                        "Даниил",    "Тимофей", "Владислав",  "Игорь",  "Владимир", "Павел",
                        "Руслан",    "Марк",    "Константин", "Глеб",   "Юрий",     "Олег"};
const char* kNameF[] = {"Анастасия",  "Мария",   "Анна",    "Виктория", "Екатерина", "Наталья",
                        "Марина",     "Полина",  "София",   "Дарья",    "Алиса",     "Ксения",
                        "Александра", "Елена",   "Ольга",   "Татьяна",  "Ирина",     "Светлана",
                        "Юлия",       "Людмила", "Галина",  "Вера",     "Надежда",   "Любовь",
                        "Зоя",        "Таисия",  "Евгения", "Алёна",    "Яна"};
const char* kPatrM[] = {"Александрович", "Дмитриевич", "Сергеевич",    "Андреевич",   "Алексеевич",
                        "Иванович",      "Михайлович", "Владимирович", "Николаевич",  "Петрович",
                        "Викторович",    "Юрьевич",    "Олегович",     "Григорьевич", "Георгиевич"};
const char* kPatrF[] = {"Александровна", "Дмитриевна", "Сергеевна",    "Андреевна",   "Алексеевна",
                        "Ивановна",      "Михайловна", "Владимировна", "Николаевна",  "Петровна",
                        "Викторовна",    "Юрьевна",    "Олеговна",     "Григорьевна", "Георгиевна"};
const char* kTranslit[] = {"ivanov", "smirnova", "kuznetsov", "popova", "petrov",  "sokolova",
                           "volkov", "orlova",   "titov",     "belova", "zaytsev", "morozova"};
const char* kMail[] = {"mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "list.ru"};
const char* kDistrict[] = {
    "Хамовники",   "Басманный",       "Марьино",      "Тверской",  "Арбат",
    "Пресненский", "Северное Бутово", "Южное Бутово", "Митино",    "Строгино",
    "Люблино",     "Сокольники",      "Таганский",    "Чертаново", ""};
const char* kSource[] = {
    "сайт",          "соцсети", "рекомендация", "2гис", "яндекс карты", "наружная реклама",
    "проходил мимо", "ДМС",     "рассылка",     ""};
const char* kProfession[] = {"",
                             "",
                             "",
                             "бухгалтер",
                             "менеджер",
                             "инженер",
                             "врач",
                             "учитель",
                             "программист",
                             "пенсионер",
                             "студент",
                             "водитель",
                             "юрист",
                             "ООО \"Ромашка\"; бухгалтер",
                             "АО \"Вектор\", инженер"};
const char* kCategories[] = {"",
                             "",
                             "",
                             "",
                             "VIP",
                             "ДМС",
                             "льгота",
                             "сотрудник",
                             "ортодонтия",
                             "сотрудник;льгота",
                             "ортодонтия;ДМС",
                             "VIP;ДМС",
                             "VIP, сотрудник"};
const char* kBranch[] = {"Центральный", "Северный", "Южный", "Западный"};
const char* kDoctor[] = {"Герасимова А.Р.", "Федоров Д.В.",  "Борисов И.М.", "Пономарёва А.В.",
                         "Ковалёв С.Н.",    "Лебедева О.Ю.", "Ахмедов Р.Т.", "Смирнова Е.А.",
                         "Ким В.Л.",        "Орлова Н.П.",   "Зайцев М.Г.",  "Белова Т.С."};
struct Service {
  const char* name;
  const char* category;
  int price;
};  // price in rubles
const Service kService[] = {
    {"Консультация", "терапия", 0},
    {"Консультация; осмотр", "терапия", 1500},
    {"Профессиональная чистка", "гигиена", 5500},
    {"Гигиена полости рта (Air Flow)", "гигиена", 4200},
    {"Лечение кариеса", "терапия", 6800},
    {"Лечение пульпита", "терапия", 14500},
    {"Пломба светоотверждаемая", "терапия", 5200},
    {"Рентген (прицельный снимок)", "диагностика", 650},
    {"КТ челюсти", "диагностика", 3900},
    {"Удаление зуба", "хирургия", 4700},
    {"Удаление зуба мудрости", "хирургия", 11200},
    {"Имплантат Straumann", "имплантация", 62000},
    {"Коронка \"E.max\"", "ортопедия", 42000},
    {"Коронка металлокерамическая", "ортопедия", 21500},
    {"Виниры", "ортопедия", 38500},
    {"Установка брекет-системы", "ортодонтия", 95000},
    {"Коррекция брекет-системы", "ортодонтия", 4500},
    {"Отбеливание ZOOM", "эстетика", 27000},
    {"Фторирование", "гигиена", 1850},
    {"Детский приём", "детская стоматология", 2300},
};
constexpr size_t kServices = sizeof(kService) / sizeof(kService[0]);
// A few lines carry a line break inside a quoted field (1C comments do).
const char* kServiceMultiline = "Лечение кариеса\n(2 зуба, 36 и 37)";

// ---- UTF-8 → Windows-1251 (only the characters the generator uses) ----
void append_cp1251(std::string& out, std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      out.push_back((char)c);
      ++i;
      continue;
    }
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
      i += 2;
    } else {
      cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
      i += 3;
    }
    unsigned char b;
    if (cp >= 0x410 && cp <= 0x44F)
      b = (unsigned char)(0xC0 + (cp - 0x410));
    else if (cp == 0x401)
      b = 0xA8;
    else if (cp == 0x451)
      b = 0xB8;
    else if (cp == 0xA0)
      b = 0xA0;
    else if (cp == 0x2116)
      b = 0xB9;
    else {
      fprintf(stderr, "gen-exports: no cp1251 for U+%04X\n", cp);
      exit(3);
    }
    out.push_back((char)b);
  }
}

// ---- output ----
class Out {
 public:
  Out(const std::string& path, bool cp1251, char delim, const char* eol)
      : cp1251_(cp1251), delim_(delim), eol_(eol) {
    f_ = fopen(path.c_str(), "wb");
    if (!f_) {
      fprintf(stderr, "gen-exports: cannot write %s: %s\n", path.c_str(), strerror(errno));
      exit(1);
    }
    buf_.reserve(1 << 22);
  }
  ~Out() {
    flush();
    fclose(f_);
  }
  void field(std::string_view v, bool first = false) {
    if (!first) buf_.push_back(delim_);
    bool quote =
        v.find_first_of(delim_ == ';' ? std::string_view(";\"\r\n")
                                      : std::string_view(",\"\r\n")) != std::string_view::npos;
    if (!quote) {
      put(v);
      return;
    }
    buf_.push_back('"');
    for (size_t i = 0; i < v.size();) {
      size_t q = v.find('"', i);
      if (q == std::string_view::npos) {
        put(v.substr(i));
        break;
      }
      put(v.substr(i, q - i + 1));
      buf_.push_back('"');
      i = q + 1;
    }
    buf_.push_back('"');
  }
  void end() {
    buf_ += eol_;
    if (buf_.size() > (1 << 22) - 4096) flush();
  }
  void flush() {
    if (!buf_.empty() && fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) {
      perror("gen-exports");
      exit(1);
    }
    buf_.clear();
  }

 private:
  void put(std::string_view v) {
    if (cp1251_)
      append_cp1251(buf_, v);
    else
      buf_.append(v);
  }
  FILE* f_;
  bool cp1251_;
  char delim_;
  const char* eol_;
  std::string buf_;
};

std::string iso(int64_t day) {
  int y;
  unsigned m, d;
  civil_from_days(day, y, m, d);
  char b[48];
  snprintf(b, sizeof b, "%04d-%02u-%02u", y, m, d);
  return b;
}
std::string ru(int64_t day) {
  int y;
  unsigned m, d;
  civil_from_days(day, y, m, d);
  char b[48];
  snprintf(b, sizeof b, "%02u.%02u.%04d", d, m, y);
  return b;
}
std::string money_canon(int64_t k) {
  char b[32];
  snprintf(b, sizeof b, "%s%lld.%02lld", k < 0 ? "-" : "", (long long)(llabs(k) / 100),
           (long long)(llabs(k) % 100));
  return b;
}
std::string money_1c(int64_t k) {  // `-1 234,50` with NBSP (U+00A0, UTF-8 here) between groups
  std::string digits = std::to_string(llabs(k) / 100), r = k < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) r += "\u00A0";
    r.push_back(digits[i]);
  }
  char b[32];
  snprintf(b, sizeof b, ",%02lld", (long long)(llabs(k) % 100));
  return r + b;
}

struct Patient {
  char gender;
  std::string id;
};

struct Line {  // one visits row, rendering-neutral
  int64_t doc;
  uint32_t patient;  // index; >= N → unknown card
  int64_t day;
  int minute;  // minutes after midnight
  int64_t amount, bonus;
  uint16_t service;                // index into kService, 0xFFFF = multi-line text
  uint8_t doctor, branch, status;  // status: 0 completed, 1 cancelled, 2 no-show, 3 planned
};

const char* kStatusCanon[] = {"completed", "cancelled", "no-show", "planned"};
const char* kStatusRu[] = {"Выполнен", "Отменен", "Неявка", "Запланирован"};

void usage() {
  fprintf(stderr,
          "usage: gen-exports --patients N --visits V [--seed S] [--out DIR] [--style "
          "canonical|1c|both]\n"
          "                   [--as-of YYYY-MM-DD]\n"
          "writes DIR/canonical/{patients,visits}.csv and/or DIR/1c/{patients,visits}.csv\n");
  exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t n_patients = 100000, n_visits = 1000000, seed = 1;
  std::string out_dir = ".", style = "both", as_of_s = "2026-11-22";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    if (a == "--patients")
      n_patients = strtoull(val().c_str(), nullptr, 10);
    else if (a == "--visits")
      n_visits = strtoull(val().c_str(), nullptr, 10);
    else if (a == "--seed")
      seed = strtoull(val().c_str(), nullptr, 10);
    else if (a == "--out")
      out_dir = val();
    else if (a == "--style")
      style = val();
    else if (a == "--as-of")
      as_of_s = val();
    else if (a == "-h" || a == "--help")
      usage();
    else
      usage();
  }
  if (n_patients == 0 || (style != "canonical" && style != "1c" && style != "both")) usage();
  int ay;
  unsigned am, ad;
  if (sscanf(as_of_s.c_str(), "%d-%u-%u", &ay, &am, &ad) != 3) usage();
  const int64_t as_of = days_from_civil(ay, am, ad);
  const bool canon = style != "1c", onec = style != "canonical";
  // --out may name a folder whose parents do not exist yet (a fresh machine's /tmp/...).
  std::error_code made;
  if (canon) std::filesystem::create_directories(out_dir + "/canonical", made);
  if (onec) std::filesystem::create_directories(out_dir + "/1c", made);

  Rng rng(seed);
  const int width = std::max<int>(6, (int)std::to_string(n_patients).size());
  auto card = [&](uint64_t i) {
    std::string s = std::to_string(i + 1);
    return s.size() < (size_t)width ? std::string(width - s.size(), '0') + s : s;
  };

  // ---------------- patients ----------------
  const int64_t reg_start = days_from_civil(2013, 1, 1);
  std::vector<Patient> pats(n_patients);
  {
    std::unique_ptr<Out> pc, p1;
    if (canon) {
      pc = std::make_unique<Out>(out_dir + "/canonical/patients.csv", false, ',', "\n");
      const char* h[] = {"id",         "name",        "gender",      "birth_date", "phone",
                         "email",      "sms_consent", "registered",  "district",   "source",
                         "profession", "categories",  "referrer_id", "branch"};
      for (size_t k = 0; k < 14; ++k) pc->field(h[k], k == 0);
      pc->end();
    }
    if (onec) {
      p1 = std::make_unique<Out>(out_dir + "/1c/patients.csv", true, ';', "\r\n");
      const char* h[] = {"Номер карты",
                         "ФИО",
                         "Пол",
                         "Дата рождения",
                         "Телефон",
                         "Email",
                         "Согласие на SMS",
                         "Дата регистрации",
                         "Район",
                         "Источник",
                         "Профессия",
                         "Категории",
                         "Кто рекомендовал",
                         "Филиал"};
      for (size_t k = 0; k < 14; ++k) p1->field(h[k], k == 0);
      p1->end();
    }
    for (uint64_t i = 0; i < n_patients; ++i) {
      Patient& p = pats[i];
      p.id = card(i);
      bool female = rng.chance(0.58);
      p.gender = female ? 'F' : 'M';
      std::string sur = rng.pick(kSurM);
      if (female) sur += "а";
      std::string name = sur + " " + (female ? rng.pick(kNameF) : rng.pick(kNameM));
      if (rng.chance(0.8))
        name += std::string(" ") + (female ? rng.pick(kPatrF) : rng.pick(kPatrM));
      if (rng.chance(0.002)) name = "  " + name + " ";  // stray spaces, trimmed by the reader
      std::string gender_c = rng.chance(0.03) ? "" : std::string(1, p.gender);
      std::string gender_r = gender_c.empty() ? "" : (female ? "Ж" : "М");
      int64_t birth = days_from_civil(1940, 1, 1) + (int64_t)rng.below(70 * 365);
      bool no_birth = rng.chance(0.05);
      bool onec_empty_date = rng.chance(0.5);  // 1C writes a missing date as 01.01.0001 or empty
      // phone, every format a front desk types
      auto mobile = [&]() {
        char b[16];
        snprintf(b, sizeof b, "9%02llu%07llu", (unsigned long long)rng.below(100),
                 (unsigned long long)rng.below(10000000));
        return std::string(b);
      };
      std::string m = mobile(), phone;
      switch (rng.below(12)) {
        case 0:
          phone = "+7 " + m.substr(0, 3) + " " + m.substr(3, 3) + " " + m.substr(6, 2) + " " +
                  m.substr(8);
          break;
        case 1:
          phone = "8 (" + m.substr(0, 3) + ") " + m.substr(3, 3) + "-" + m.substr(6, 2) + "-" +
                  m.substr(8);
          break;
        case 2:
          phone = "8" + m;
          break;
        case 3:
          phone = "7(" + m.substr(0, 3) + ")" + m.substr(3);
          break;
        case 4:
          phone = "+7" + m;
          break;
        case 5:
          phone = m;
          break;
        case 6:
          phone = "+7 (" + m.substr(0, 3) + ") " + m.substr(3, 3) + "-" + m.substr(6);
          break;
        case 7:
          phone = "8 (495) " + std::to_string(100 + rng.below(900)) + "-" +
                  std::to_string(10 + rng.below(90)) + "-" + std::to_string(10 + rng.below(90)) +
                  ", +7" + m;
          break;
        case 8:
          phone = "+7" + m + "; 8" + mobile();
          break;
        case 9:
          phone = rng.chance(0.5) ? "" : std::to_string(100000 + rng.below(900000));
          break;  // none or unusable
        case 10:
          phone = "+375 29 " + std::to_string(1000000 + rng.below(9000000));
          break;
        default:
          phone = "8-" + m.substr(0, 3) + "-" + m.substr(3, 3) + "-" + m.substr(6);
          break;
      }
      std::string email;
      if (rng.chance(0.4))
        email = std::string(rng.pick(kTranslit)) + std::to_string(rng.below(1000)) + "@" +
                rng.pick(kMail);
      int consent = (int)rng.below(10);  // 0–6 yes, 7–8 no, 9 unknown
      const char* cons_c = consent < 7 ? "да" : consent < 9 ? "нет" : "";
      const char* cons_r = consent < 7 ? "Да" : consent < 9 ? "Нет" : "";
      int64_t reg = reg_start + (int64_t)((as_of - reg_start) * (double)i / (double)n_patients) +
                    (int64_t)rng.below(20);
      if (reg > as_of) reg = as_of;
      std::string district = rng.pick(kDistrict), source = rng.pick(kSource);
      std::string profession = rng.pick(kProfession);
      if (rng.chance(0.001))
        profession = "место работы:\nООО \"Дента-Плюс\"; администратор";  // a quoted line break
      std::string categories = rng.pick(kCategories);
      std::string referrer;
      if (i > 10 && rng.chance(0.08)) {
        double u = rng.unit();
        if (u < 0.006)
          referrer = p.id;  // self referral
        else if (u < 0.012)
          referrer = std::to_string(n_patients + 1 + rng.below(1000));  // unknown card
        else {
          uint64_t r = rng.below(i);
          referrer = u < 0.03 ? std::to_string(r + 1) : card(r);  // `123` for `000123` sometimes
        }
      }
      std::string branch = rng.pick(kBranch);
      if (canon) {
        pc->field(p.id, true);
        pc->field(name);
        pc->field(gender_c);
        pc->field(no_birth ? "" : iso(birth));
        pc->field(phone);
        pc->field(email);
        pc->field(cons_c);
        pc->field(iso(reg));
        pc->field(district);
        pc->field(source);
        pc->field(profession);
        pc->field(categories);
        pc->field(referrer);
        pc->field(branch);
        pc->end();
      }
      if (onec) {
        p1->field(p.id, true);
        p1->field(name);
        p1->field(gender_r);
        p1->field(no_birth ? (onec_empty_date ? "01.01.0001" : "") : ru(birth));
        p1->field(phone);
        p1->field(email);
        p1->field(cons_r);
        p1->field(ru(reg));
        p1->field(district);
        p1->field(source);
        p1->field(profession);
        p1->field(categories);
        p1->field(referrer);
        p1->field(branch);
        p1->end();
      }
    }
  }

  // ---------------- visits ----------------
  std::unique_ptr<Out> vc, v1;
  if (canon) {
    vc = std::make_unique<Out>(out_dir + "/canonical/visits.csv", false, ',', "\n");
    const char* h[] = {"visit_id", "patient_id",       "date",   "amount", "bonus_paid",
                       "service",  "service_category", "doctor", "branch", "status"};
    for (size_t k = 0; k < 10; ++k) vc->field(h[k], k == 0);
    vc->end();
  }
  if (onec) {
    v1 = std::make_unique<Out>(out_dir + "/1c/visits.csv", true, ';', "\r\n");
    const char* h[] = {"Номер документа", "Номер карты",      "Дата", "Сумма",  "Оплачено бонусами",
                       "Услуга",          "Категория услуги", "Врач", "Филиал", "Статус"};
    for (size_t k = 0; k < 10; ++k) v1->field(h[k], k == 0);
    v1->end();
  }
  auto emit = [&](const Line& l) {
    std::string pid =
        l.patient < n_patients ? pats[l.patient].id : std::to_string(n_patients * 10 + l.patient);
    std::string doc = std::to_string(l.doc);
    const char* svc = l.service == 0xFFFF ? kServiceMultiline : kService[l.service].name;
    const char* cat = l.service == 0xFFFF ? "терапия" : kService[l.service].category;
    if (canon) {
      vc->field(doc, true);
      vc->field(pid);
      vc->field(iso(l.day));
      vc->field(money_canon(l.amount));
      vc->field(money_canon(l.bonus));
      vc->field(svc);
      vc->field(cat);
      vc->field(kDoctor[l.doctor]);
      vc->field(kBranch[l.branch]);
      vc->field(kStatusCanon[l.status]);
      vc->end();
    }
    if (onec) {
      char t[40];
      snprintf(t, sizeof t, " %02d:%02d:00", l.minute / 60, l.minute % 60);
      v1->field(doc, true);
      v1->field(pid);
      v1->field(ru(l.day) + t);
      v1->field(money_1c(l.amount));
      v1->field(money_1c(l.bonus));
      v1->field(svc);
      v1->field(cat);
      v1->field(kDoctor[l.doctor]);
      v1->field(kBranch[l.branch]);
      v1->field(kStatusRu[l.status]);
      v1->end();
    }
  };

  // Regular patients: a scattered subset chosen with a skewed law, so some come back for years.
  const uint64_t mult = 0x9E3779B97F4A7C15ULL | 1;
  auto scatter = [&](uint64_t k) {
    return (uint32_t)((k * (mult % n_patients + (n_patients == 1)) + 12345) % n_patients);
  };
  const int64_t first_day = days_from_civil(2016, 1, 1), last_day = as_of - 1;
  const uint64_t n_planned = n_visits / 200;  // appointments around as-of, written last
  const uint64_t n_main = n_visits > n_planned ? n_visits - n_planned : 0;
  struct Pending {
    int64_t day;
    Line line;
    bool operator>(const Pending& o) const {
      return day > o.day || (day == o.day && line.doc > o.line.doc);
    }
  };
  std::priority_queue<Pending, std::vector<Pending>, std::greater<Pending>> refunds;
  int64_t doc_no = 1000001;
  uint64_t written = 0;
  auto service_line = [&](Line& l) {
    if (rng.chance(0.0005)) {
      l.service = 0xFFFF;
      l.amount = 680000;
      return;
    }
    l.service = (uint16_t)rng.below(kServices);
    int64_t price = kService[l.service].price * 100LL;
    if (price && rng.chance(0.15))
      price = price * (85 + (int64_t)rng.below(16)) / 100 / 50 * 50;  // discounts
    if (price && rng.chance(0.05)) price += 50;                       // kopecks
    l.amount = price;
  };
  while (written < n_main) {
    // the file's dates advance with the row count: documents in date order
    int64_t day = first_day + (int64_t)((last_day - first_day) * (double)written / (double)n_main);
    while (!refunds.empty() && refunds.top().day <= day && written < n_main) {
      Line r = refunds.top().line;
      refunds.pop();
      r.doc = doc_no++;
      emit(r);
      ++written;
    }
    if (written >= n_main) break;
    Line l{};
    l.doc = doc_no++;
    double u = rng.unit();
    if (u < 0.003)
      l.patient = (uint32_t)(n_patients + rng.below(1000));  // unknown card
    else if (u < 0.65) {
      double v = rng.unit();
      l.patient = scatter((uint64_t)(v * v * v * n_patients));
    } else
      l.patient = (uint32_t)rng.below(n_patients);
    l.day = day;
    l.minute = 9 * 60 + 15 * (int)rng.below(44);
    l.doctor = (uint8_t)rng.below(sizeof kDoctor / sizeof kDoctor[0]);
    l.branch = (uint8_t)(l.patient % 4 == 0 ? rng.below(4) : l.patient % 4);
    double s = rng.unit();
    l.status = s < 0.89   ? 0
               : s < 0.94 ? 1
               : s < 0.98 ? 2
                          : 3;  // a stale 'planned' row now and then
    uint64_t lines = 1 + (rng.chance(0.35) ? 1 + rng.below(3) : 0);
    for (uint64_t k = 0; k < lines && written < n_main; ++k) {
      service_line(l);
      l.bonus = 0;
      if (l.status == 0 && l.amount > 0 && rng.chance(0.06))
        l.bonus = std::min<int64_t>(l.amount, (int64_t)(1 + rng.below(30)) * 10000);
      if (l.status != 0 && rng.chance(0.5)) l.amount = 0;
      emit(l);
      ++written;
      if (l.status == 0 && l.amount > 0 &&
          rng.chance(0.01)) {  // refund booked 1 week … 6 months later
        Line r = l;
        r.amount = -(rng.chance(0.7) ? l.amount : l.amount / 2);
        r.bonus = 0;
        int64_t d = l.day + 7 + (int64_t)rng.below(180);
        if (d <= last_day) refunds.push({d, r});
      }
    }
  }
  for (uint64_t k = 0; k < n_planned; ++k) {
    Line l{};
    l.doc = doc_no++;
    l.patient = rng.chance(0.6) ? scatter((uint64_t)(std::pow(rng.unit(), 3) * n_patients))
                                : (uint32_t)rng.below(n_patients);
    l.day = as_of - 14 + (int64_t)rng.below(75);
    l.minute = 9 * 60 + 15 * (int)rng.below(44);
    l.doctor = (uint8_t)rng.below(sizeof kDoctor / sizeof kDoctor[0]);
    l.branch = (uint8_t)(l.patient % 4);
    l.status = 3;
    service_line(l);
    l.bonus = 0;
    emit(l);
  }
  return 0;
}
