#pragma once
// The message of the sster::Error a piece of test code throws.
#include <functional>
#include <string>

#include "sster/core/error.hpp"

namespace sster::test {

// The message of the sster::Error that fn throws, or "" when it throws none.
inline std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace sster::test
