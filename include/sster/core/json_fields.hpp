#pragma once
// Whole numbers read from JSON that came from a file (model headers,
// checkpoints). nlohmann's get<int>() of 1e300 is undefined behaviour and
// get<unsigned>() of -1 wraps, so a damaged or crafted file could become any
// value; json_integer checks the type and the range first.
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "sster/core/error.hpp"

namespace sster {

// j[key] as I within [lo, hi]; an Error naming the key otherwise. A missing
// key throws nlohmann's out_of_range, which callers report with the file.
template <class I>
I json_integer(const nlohmann::json& j, const char* key, I lo = std::numeric_limits<I>::lowest(),
               I hi = std::numeric_limits<I>::max()) {
  const nlohmann::json& v = j.at(key);
  bool ok = false;
  I out{};
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    ok = std::cmp_greater_equal(u, lo) && std::cmp_less_equal(u, hi);
    out = static_cast<I>(u);
  } else if (v.is_number_integer()) {
    const auto s = v.get<std::int64_t>();
    ok = std::cmp_greater_equal(s, lo) && std::cmp_less_equal(s, hi);
    out = static_cast<I>(s);
  }
  if (!ok) {
    std::string found = v.dump();
    if (found.size() > 40) found = found.substr(0, 40) + "...";
    throw Error(std::string("'") + key + "' must be a whole number from " + std::to_string(lo) + " to " +
                std::to_string(hi) + ", found " + found);
  }
  return out;
}

}  // namespace sster
