#pragma once
// sster::Error: the one exception type sster throws for bad input or bad use.
// Messages name the file, the record/line and what was expected, so the user
// can fix the input without reading code.
#include <stdexcept>
#include <string>

namespace sster {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws Error(message) unless `ok`: input checks stay on in release builds.
inline void require(bool ok, const std::string& message) {
  if (!ok) throw Error(message);
}

}  // namespace sster
