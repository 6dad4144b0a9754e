// examples/common/cli.hpp — the examples' command line: `--name value`,
// `--name=value`, flags, and a `--help` that lists every option with its
// default. Small on purpose; each example declares its options in main().
#pragma once

#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

namespace example {

class cli {
 public:
  cli(std::string program, std::string summary)
      : program_(std::move(program)), summary_(std::move(summary)) {}

  /// An option taking a value; `target` holds the default and receives the value.
  cli& option(std::string name, int& target, std::string help) { return add(name, &target, help); }
  cli& option(std::string name, double& target, std::string help) {
    return add(name, &target, help);
  }
  cli& option(std::string name, std::string& target, std::string help) {
    return add(name, &target, help);
  }
  /// An option without a value: present means true.
  cli& flag(std::string name, bool& target, std::string help) { return add(name, &target, help); }

  /// Parses argv. Returns an exit code when the program should stop here
  /// (0 after --help, 2 after a mistake, reported on stderr), else nothing.
  /// Also makes stdout line-buffered, so that the example's output and
  /// troupe's log lines (on stderr) appear in the order they happened, even
  /// through a pipe.
  std::optional<int> parse(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, BUFSIZ);
    for (int i = 1; i < argc; ++i) {
      std::string_view arg = argv[i];
      if (arg == "--help" || arg == "-h") {
        print_help();
        return 0;
      }
      std::optional<std::string_view> inline_value;
      if (const auto eq = arg.find('='); eq != std::string_view::npos) {
        inline_value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
      }
      entry* e = find(arg);
      if (e == nullptr) return fail("unknown option '" + std::string(arg) + "'");
      if (auto* b = std::get_if<bool*>(&e->target)) {
        if (inline_value) return fail(std::string(arg) + " takes no value");
        **b = true;
        continue;
      }
      std::string_view value;
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return fail(std::string(arg) + " needs a value");
      }
      if (!assign(*e, value))
        return fail("bad value '" + std::string(value) + "' for " + std::string(arg));
    }
    return std::nullopt;
  }

 private:
  using target_t = std::variant<int*, double*, std::string*, bool*>;
  struct entry {
    std::string name;
    target_t target;
    std::string help;
    std::string default_text;
  };

  template <class T>
  cli& add(const std::string& name, T* target, const std::string& help) {
    entries_.push_back({"--" + name, target, help, show(*target)});
    return *this;
  }

  static std::string show(int v) { return std::to_string(v); }
  static std::string show(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
  }
  static std::string show(const std::string& v) { return v.empty() ? "" : "\"" + v + "\""; }
  static std::string show(bool) { return ""; }

  entry* find(std::string_view name) {
    for (auto& e : entries_)
      if (e.name == name) return &e;
    return nullptr;
  }

  static bool assign(entry& e, std::string_view value) {
    const char* first = value.data();
    const char* last = value.data() + value.size();
    if (auto* i = std::get_if<int*>(&e.target)) {
      auto [end, ec] = std::from_chars(first, last, **i);
      return ec == std::errc{} && end == last;
    }
    if (auto* d = std::get_if<double*>(&e.target)) {
      auto [end, ec] = std::from_chars(first, last, **d);
      return ec == std::errc{} && end == last;
    }
    *std::get<std::string*>(e.target) = std::string(value);
    return true;
  }

  void print_help() const {
    std::printf("usage: %s [options]\n%s\n\noptions:\n", program_.c_str(), summary_.c_str());
    for (const auto& e : entries_) {
      std::string left = e.name;
      if (!std::holds_alternative<bool*>(e.target)) left += " <value>";
      std::printf("  %-24s %s", left.c_str(), e.help.c_str());
      if (!e.default_text.empty()) std::printf(" (default %s)", e.default_text.c_str());
      std::printf("\n");
    }
    std::printf("  %-24s %s\n", "--help", "show this and exit");
  }

  std::optional<int> fail(const std::string& why) const {
    std::fprintf(stderr, "%s: %s (try --help)\n", program_.c_str(), why.c_str());
    return 2;
  }

  std::string program_;
  std::string summary_;
  std::vector<entry> entries_;
};

}  // namespace example
