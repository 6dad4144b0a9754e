// examples/common/check.hpp — the asserted outcome of an example: each
// check prints one line, and the program exits non-zero if any failed.
#pragma once

#include <cstdio>
#include <string>

namespace example {

class checks {
 public:
  /// Prints "  ok    what" or "  FAIL  what" and remembers a failure.
  bool expect(bool ok, const std::string& what) {
    std::printf("  %s  %s\n", ok ? "ok  " : "FAIL", what.c_str());
    failed_ = failed_ || !ok;
    return ok;
  }
  /// 0 when every check passed, 1 otherwise (after saying so).
  int exit_code() const {
    if (failed_) std::printf("some checks FAILED\n");
    return failed_ ? 1 : 0;
  }

 private:
  bool failed_ = false;
};

}  // namespace example
