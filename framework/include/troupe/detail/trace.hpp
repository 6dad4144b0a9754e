// troupe/detail/trace.hpp — the message-flow recorder's hooks. With tracing
// off each hook costs one predictable branch on a global pointer; compile
// with TROUPE_TRACE_HOOKS=0 to remove them altogether (that build is the
// baseline of the tracing-off benchmark).
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <source_location>
#include <string>

#include <troupe/detail/context.hpp>

#ifndef TROUPE_TRACE_HOOKS
#define TROUPE_TRACE_HOOKS 1
#endif

namespace troupe::detail {

class trace_recorder;
class actor_cell;
struct message;
class reactor_core;

/// The runtime's recorder while troupe::run traces (set before its threads
/// start, cleared after they are joined).
inline trace_recorder* active_trace = nullptr;

inline bool tracing() noexcept {
#if TROUPE_TRACE_HOOKS
  return active_trace != nullptr;
#else
  return false;
#endif
}

/// Opens `path` (truncating it) and starts recording; std::runtime_error
/// naming the file if it cannot be opened. `clock` is the runtime's.
trace_recorder* start_trace(const std::string& path, const reactor_core& clock);
/// Writes what is queued, closes the file.
void stop_trace(trace_recorder* t) noexcept;
/// Hands the calling thread's batch of events to the logger (a reactor
/// before it waits, and before its thread ends).
void trace_flush() noexcept;

// One function per event (docs/tracing.md has the format).
void trace_spawn(const actor_cell& c) noexcept;
void trace_task(const context& t) noexcept;
void trace_task_end(const context& t, const char* outcome) noexcept;
void trace_send(const message& m, bool ask) noexcept;
void trace_start(const message& m, std::size_t depth) noexcept;
void trace_end(const message& m, const char* outcome) noexcept;
void trace_reply(const context& m, const char* outcome, const std::exception_ptr& e) noexcept;
void trace_cancel(const context& target, cancel_cause cause) noexcept;
void trace_timeout(const context* target, const std::source_location& where) noexcept;
void trace_failure(const message& m, const std::exception_ptr& e) noexcept;
void trace_dead_letter(const message& m, const char* reason) noexcept;
void trace_stop(const actor_cell& c) noexcept;

}  // namespace troupe::detail
