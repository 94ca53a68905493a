#include "model/special.h"

#include <cmath>

namespace kartoteka {

double digamma(double x) {
  double result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  // ψ(x) ~ ln x − 1/(2x) − Σ B_2k / (2k x^2k): B2 = 1/6, B4 = −1/30, B6 = 1/42, B8 = −1/30,
  // B10 = 5/66, B12 = −691/2730; the next term is below 1e-15 relative from x = 10 on.
  const double f = 1 / (x * x);
  const double tail =
      f *
      (1.0 / 12 -
       f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132 - f * (691.0 / 32760))))));
  return result + std::log(x) - 0.5 / x - tail;
}

double softplus(double x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

double sigmoid(double x) {
  if (x >= 0) return 1 / (1 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1 + e);
}

}  // namespace kartoteka
