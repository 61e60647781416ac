#include "common/decimal.h"

#include <cmath>
#include <limits>

namespace taizhang {

namespace {

// 10^k for 0 <= k <= 18.
std::optional<int64_t> Pow10(int32_t k) {
  if (k < 0 || k > 18) return std::nullopt;
  int64_t p = 1;
  for (int32_t i = 0; i < k; ++i) p *= 10;
  return p;
}

}  // namespace

void Decimal::Normalize() {
  if (mantissa_ == 0) {
    exponent_ = 0;
    return;
  }
  while (mantissa_ % 10 == 0) {
    mantissa_ /= 10;
    ++exponent_;
  }
}

std::optional<Decimal> Decimal::Parse(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  size_t i = 0;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    ++i;
  }
  int64_t mantissa = 0;
  int32_t exponent = 0;
  bool digits = false, point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') {
      if (point) return std::nullopt;
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    digits = true;
    if (mantissa > (std::numeric_limits<int64_t>::max() - 9) / 10) return std::nullopt;
    mantissa = mantissa * 10 + (c - '0');
    if (point) --exponent;
  }
  if (!digits) return std::nullopt;
  return Decimal(negative ? -mantissa : mantissa, exponent);
}

std::optional<Decimal> Decimal::Times(const Decimal& other) const {
  __int128 product = static_cast<__int128>(mantissa_) * other.mantissa_;
  if (product > std::numeric_limits<int64_t>::max() || product < std::numeric_limits<int64_t>::min()) {
    return std::nullopt;
  }
  return Decimal(static_cast<int64_t>(product), exponent_ + other.exponent_);
}

std::optional<Decimal> Decimal::Plus(const Decimal& other) const {
  const Decimal& low = exponent_ <= other.exponent_ ? *this : other;
  const Decimal& high = exponent_ <= other.exponent_ ? other : *this;
  auto scale = Pow10(high.exponent_ - low.exponent_);
  if (!scale) return std::nullopt;
  __int128 sum = static_cast<__int128>(high.mantissa_) * *scale + low.mantissa_;
  if (sum > std::numeric_limits<int64_t>::max() || sum < std::numeric_limits<int64_t>::min()) {
    return std::nullopt;
  }
  return Decimal(static_cast<int64_t>(sum), low.exponent_);
}

int Decimal::Compare(const Decimal& other) const {
  Decimal negated(-other.mantissa_, other.exponent_);
  auto diff = Plus(negated);
  if (!diff) {
    double a = ToDouble(), b = other.ToDouble();
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return diff->mantissa_ < 0 ? -1 : diff->mantissa_ > 0 ? 1 : 0;
}

std::string Decimal::ToString() const {
  bool negative = mantissa_ < 0;
  std::string digits = std::to_string(mantissa_);
  if (negative) digits.erase(0, 1);
  std::string out;
  if (exponent_ >= 0) {
    out = digits + std::string(static_cast<size_t>(exponent_), '0');
  } else {
    size_t frac = static_cast<size_t>(-exponent_);
    if (digits.size() <= frac) digits.insert(0, frac - digits.size() + 1, '0');
    out = digits.substr(0, digits.size() - frac) + "." + digits.substr(digits.size() - frac);
  }
  return negative ? "-" + out : out;
}

double Decimal::ToDouble() const { return static_cast<double>(mantissa_) * std::pow(10.0, exponent_); }

}  // namespace taizhang
