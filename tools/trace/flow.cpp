#include "flow.hpp"

namespace troupe_trace {

std::string mermaid_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      // '#' starts an entity code or a comment, ';' ends a statement, ':'
      // starts a message's text, '%' starts a comment ("%%"), '{' '}' a
      // directive; '<' '>' '&' '"' are HTML in a rendered label.
      case '#':
        out += "#35;";
        break;
      case ';':
        out += "#59;";
        break;
      case ':':
        out += "#58;";
        break;
      case '%':
        out += "#37;";
        break;
      case '{':
        out += "#123;";
        break;
      case '}':
        out += "#125;";
        break;
      case '<':
        out += "#60;";
        break;
      case '>':
        out += "#62;";
        break;
      case '&':
        out += "#38;";
        break;
      case '"':
        out += "#34;";
        break;
      case '\n':
        out += "<br/>";
        break;
      case '\r':
        break;
      default:
        out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c;
    }
  }
  // An empty label would leave "as" or ":" with nothing after it.
  if (out.find_first_not_of(' ') == std::string::npos) out = "#160;";
  return out;
}

command_result write_flow(const source& src, const flow_filter& filter, std::ostream& out) {
  sequence seq;
  const command_result result = select_sequence(src, filter, seq);
  if (!result.matched) return result;
  out << "sequenceDiagram\n";
  for (std::size_t i = 0; i < seq.participants.size(); ++i)
    out << "  participant P" << i + 1 << " as " << mermaid_escape(seq.participants[i]) << '\n';
  for (const sequence_row& row : seq.rows) {
    const std::string label = mermaid_escape(row.text);
    switch (row.kind) {
      case row_kind::note:
        out << "  Note over P" << row.from + 1 << ": " << label << '\n';
        continue;
      case row_kind::ask:
        out << "  P" << row.from + 1 << "->>";
        break;
      case row_kind::tell:
        out << "  P" << row.from + 1 << "-)";
        break;
      case row_kind::reply:
        out << "  P" << row.from + 1 << "-->>";
        break;
      case row_kind::cancel:
        out << "  P" << row.from + 1 << "-x";
        break;
    }
    out << 'P' << row.to + 1 << ": " << label << '\n';
  }
  return result;
}

}  // namespace troupe_trace
