// troupe_trace_synth LINES [SEED]: writes a synthetic trace of about LINES
// lines to standard output, for measuring troupe-trace on big traces:
//
//   troupe_trace_synth 1000000 > big.jsonl
//   time troupe-trace summary big.jsonl

#include <cstdlib>
#include <iostream>
#include <string>

#include "synthetic.hpp"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3 || std::string(argv[1]) == "--help") {
    std::cerr << "usage: troupe_trace_synth LINES [SEED] > trace.jsonl\n";
    return argc == 2 ? 0 : 1;
  }
  std::ios::sync_with_stdio(false);
  trace_test::synthetic_options o;
  o.lines = std::strtoull(argv[1], nullptr, 10);
  if (argc == 3) o.seed = std::strtoull(argv[2], nullptr, 10);
  const auto counts = trace_test::write_synthetic(std::cout, o);
  std::cerr << "troupe_trace_synth: " << counts.lines << " lines, " << counts.asks << " asks, "
            << counts.tells << " tells\n";
  return 0;
}
