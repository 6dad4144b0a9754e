// Suite for the troupe-trace executable: --help, exit statuses, messages on
// standard error, and output equal to the library's.
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "json_value.hpp"
#include "summary.hpp"
#include "trace_test.hpp"

namespace fs = std::filesystem;

namespace {

struct run_result {
  int status = -1;
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A scratch directory for one test case, removed after it.
struct scratch {
  fs::path dir;
  scratch() {
    dir = fs::temp_directory_path() /
          ("troupe-trace-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::create_directories(dir);
  }
  ~scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return dir / name;
  }

  // Runs troupe-trace with `args` (already quoted as the shell needs).
  run_result run(const std::string& args) const {
    const fs::path out = dir / "stdout", err = dir / "stderr";
    const std::string command = std::string("'") + TROUPE_TRACE_EXE + "' " + args + " >'" +
                                out.string() + "' 2>'" + err.string() + "'";
    const int raw = std::system(command.c_str());
    run_result r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }
};

std::string shell_quoted(const fs::path& p) { return "'" + p.string() + "'"; }

const std::string dashboard = shell_quoted(trace_test::fixture("dashboard.jsonl"));

}  // namespace

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(help_lists_the_commands_and_exit_statuses) {
  scratch s;
  const run_result r = s.run("--help");
  BOOST_TEST(r.status == 0);
  for (const char* needle : {"summary FILE", "flow FILE [--request ID] [--actor NAME]",
                             "svg FILE [--request ID] [--actor NAME] [-o OUT.svg]", "chrome FILE",
                             "follow ID FILE", "--lenient", "exit status:", "1  usage error",
                             "2  the file cannot be read", "3  nothing matched"})
    BOOST_TEST(r.out.find(needle) != std::string::npos, "--help mentions " << needle);
  BOOST_TEST(r.err.empty());
}

BOOST_AUTO_TEST_CASE(every_command_has_its_own_help) {
  scratch s;
  for (const char* command : {"summary", "flow", "svg", "chrome", "follow"}) {
    const run_result r = s.run(std::string(command) + " --help");
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.rfind(std::string("usage: troupe-trace ") + command, 0) == 0u);
    BOOST_TEST(r.out.find("exit status:") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_with_status_1_and_say_what_was_wrong) {
  scratch s;
  const run_result none = s.run("");
  BOOST_TEST(none.status == 1);
  BOOST_TEST(none.err.find("usage: troupe-trace") != std::string::npos);
  BOOST_TEST(none.out.empty());

  const run_result bogus = s.run("bogus " + dashboard);
  BOOST_TEST(bogus.status == 1);
  BOOST_TEST(bogus.err == "troupe-trace: unknown command 'bogus'\nTry 'troupe-trace --help'.\n");

  BOOST_TEST(s.run("summary").status == 1);
  BOOST_TEST(s.run("summary " + dashboard + " " + dashboard).status == 1);
  BOOST_TEST(s.run("summary --frobnicate " + dashboard).err ==
             "troupe-trace: unknown option --frobnicate\nTry 'troupe-trace --help'.\n");
  BOOST_TEST(s.run("summary --request 3 " + dashboard).err ==
             "troupe-trace: --request is an option of `flow` and `svg` only\n"
             "Try 'troupe-trace --help'.\n");
  BOOST_TEST(s.run("flow -o x.svg " + dashboard).err ==
             "troupe-trace: -o is an option of `svg` only\nTry 'troupe-trace --help'.\n");
  BOOST_TEST(s.run("svg " + dashboard + " -o").status == 1);
  BOOST_TEST(s.run("svg " + dashboard + " --request").status == 1);
  BOOST_TEST(s.run("flow " + dashboard + " --request x").status == 1);
  BOOST_TEST(s.run("flow " + dashboard + " --actor").status == 1);
  BOOST_TEST(s.run("follow abc " + dashboard).err ==
             "troupe-trace: follow needs a request or task id, not 'abc'\n"
             "Try 'troupe-trace --help'.\n");
  BOOST_TEST(s.run("follow " + dashboard).status == 1);
}

BOOST_AUTO_TEST_CASE(an_unreadable_file_exits_with_status_2) {
  scratch s;
  const fs::path missing = s.dir / "missing.jsonl";
  const run_result r = s.run("summary " + shell_quoted(missing));
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err ==
             "troupe-trace: " + missing.string() + ": cannot open: No such file or directory\n");
  const run_result dir = s.run("chrome " + shell_quoted(s.dir));
  BOOST_TEST(dir.status == 2);
  BOOST_TEST(dir.err == "troupe-trace: " + s.dir.string() + ": is a directory\n");
}

BOOST_AUTO_TEST_CASE(a_malformed_line_exits_with_status_2_naming_file_and_line) {
  scratch s;
  const std::string good = R"({"t":1,"ev":"stop","r":0,"actor":3,"type":"a"})";
  const fs::path bad = s.write("bad.jsonl", good + "\n" + good + "\n{\"t\":1,\"ev\":\"stop\",\n" +
                                                good + "\n{\"ev\":\"stop\",\"actor\":3}\n");
  for (const char* command : {"summary ", "flow ", "svg ", "chrome ", "follow 1 "}) {
    const run_result r = s.run(command + shell_quoted(bad));
    BOOST_TEST(r.status == 2, command);
    BOOST_TEST(r.err == "troupe-trace: " + bad.string() +
                            ":3: bad JSON: expected a string key at column 20, found end of line\n",
               command);
  }
}

BOOST_AUTO_TEST_CASE(lenient_runs_skip_malformed_lines_and_report_the_count_on_stderr) {
  scratch s;
  const std::string good = R"({"t":1,"ev":"stop","r":0,"actor":3,"type":"a"})";
  const fs::path bad =
      s.write("bad.jsonl", good + "\nnope\n" + good + "\n{\"t\":true,\"ev\":\"x\"}\n");
  const run_result r = s.run("--lenient summary " + shell_quoted(bad));
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.err == "troupe-trace: " + bad.string() + ": skipped 2 malformed lines\n");
  BOOST_TEST(r.out.find("actors: 0 spawned, 2 stopped") != std::string::npos);
  const run_result one =
      s.run("chrome --lenient " + shell_quoted(s.write("one.jsonl", "x\n" + good)));
  BOOST_TEST(one.status == 0);
  BOOST_TEST(one.err.find(": skipped 1 malformed line\n") != std::string::npos);
  BOOST_TEST((trace_test::parse_json(one.out).k == trace_test::json_value::kind::object));
}

BOOST_AUTO_TEST_CASE(nothing_matched_exits_with_status_3) {
  scratch s;
  const run_result follow = s.run("follow 4242 " + dashboard);
  BOOST_TEST(follow.status == 3);
  BOOST_TEST(follow.err.find("troupe-trace: no request or task 4242 in ") == 0u);
  BOOST_TEST(follow.out.empty());
  const run_result flow = s.run("flow " + dashboard + " --actor nobody");
  BOOST_TEST(flow.status == 3);
  BOOST_TEST(flow.err.find("troupe-trace: no actor nobody in ") == 0u);
}

BOOST_AUTO_TEST_CASE(the_commands_print_what_the_library_writes) {
  scratch s;
  const run_result summary = s.run("summary " + dashboard);
  BOOST_TEST(summary.status == 0);
  BOOST_TEST(summary.err.empty());
  trace_test::file_trace trace("dashboard.jsonl");
  std::ostringstream expected;
  troupe_trace::print_summary(troupe_trace::summarize(trace.source()), expected);
  BOOST_TEST(summary.out == expected.str());

  const run_result flow = s.run("flow --request 23 " + dashboard);
  BOOST_TEST(flow.status == 0);
  BOOST_TEST(flow.out.rfind("sequenceDiagram\n  participant P1 as dashboard#35;10\n", 0) == 0u);

  const run_result chrome = s.run("chrome " + dashboard);
  BOOST_TEST(chrome.status == 0);
  BOOST_TEST(trace_test::parse_json(chrome.out).at("displayTimeUnit").text == "ns");

  const run_result follow = s.run("follow 20 " + dashboard);
  BOOST_TEST(follow.status == 0);
  BOOST_TEST(follow.out.rfind("+0.000 ms  ask 20  amain → dashboard#10", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(svg_writes_stdout_or_the_output_file_and_no_file_when_it_fails) {
  scratch s;
  const run_result out = s.run("svg " + dashboard + " --request 20");
  BOOST_TEST(out.status == 0);
  BOOST_TEST(out.err.empty());
  BOOST_TEST(out.out.rfind("<?xml version=\"1.0\"", 0) == 0u);
  BOOST_TEST(out.out.find("</svg>\n") == out.out.size() - 7);

  const fs::path image = s.dir / "flow.svg";
  const run_result to_file = s.run("svg --request 20 -o " + shell_quoted(image) + " " + dashboard);
  BOOST_TEST(to_file.status == 0);
  BOOST_TEST(to_file.out.empty());
  BOOST_TEST(slurp(image) == out.out);

  const fs::path unmatched = s.dir / "none.svg";
  const run_result none =
      s.run("svg " + dashboard + " --actor nobody -o " + shell_quoted(unmatched));
  BOOST_TEST(none.status == 3);
  BOOST_TEST(!fs::exists(unmatched));

  const fs::path bad = s.write("bad.jsonl", "{\"t\":1,\"ev\":\"stop\",\n");
  const run_result malformed =
      s.run("svg " + shell_quoted(bad) + " --output " + shell_quoted(unmatched));
  BOOST_TEST(malformed.status == 2);
  BOOST_TEST(!fs::exists(unmatched));

  const fs::path nowhere = s.dir / "no" / "such" / "dir.svg";
  const run_result unwritable = s.run("svg " + dashboard + " -o " + shell_quoted(nowhere));
  BOOST_TEST(unwritable.status == 2);
  BOOST_TEST(unwritable.err ==
             "troupe-trace: " + nowhere.string() + ": cannot write: No such file or directory\n");
}

BOOST_AUTO_TEST_SUITE_END()
