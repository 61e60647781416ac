// Exact decimal numbers for figures: 301.7398万元 is 3017398 元 exactly, with
// no binary floating-point error. A value is mantissa × 10^exponent with a
// 64-bit mantissa (about 18 significant digits, far beyond any report).
#ifndef TAIZHANG_COMMON_DECIMAL_H_
#define TAIZHANG_COMMON_DECIMAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taizhang {

class Decimal {
 public:
  Decimal() = default;
  Decimal(int64_t mantissa, int32_t exponent) : mantissa_(mantissa), exponent_(exponent) {
    Normalize();
  }
  static Decimal FromInt(int64_t v) { return Decimal(v, 0); }

  // Parses "123", "-1.5", "0.25" (ASCII digits, optional sign and point).
  static std::optional<Decimal> Parse(std::string_view text);

  int64_t mantissa() const { return mantissa_; }
  int32_t exponent() const { return exponent_; }

  // Multiplies by 10^k exactly.
  Decimal Shifted(int32_t k) const { return Decimal(mantissa_, exponent_ + k); }
  // Exact product; nullopt on overflow.
  std::optional<Decimal> Times(const Decimal& other) const;
  // Exact sum; nullopt on overflow.
  std::optional<Decimal> Plus(const Decimal& other) const;
  // -1, 0, 1.
  int Compare(const Decimal& other) const;
  bool operator==(const Decimal& other) const { return Compare(other) == 0; }
  bool operator<(const Decimal& other) const { return Compare(other) < 0; }

  // Plain notation without exponent: "3017398", "0.05", "-12.5".
  std::string ToString() const;
  double ToDouble() const;

 private:
  void Normalize();  // strips trailing zeros of the mantissa into the exponent
  int64_t mantissa_ = 0;
  int32_t exponent_ = 0;
};

}  // namespace taizhang

#endif  // TAIZHANG_COMMON_DECIMAL_H_
