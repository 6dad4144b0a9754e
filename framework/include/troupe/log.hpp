// troupe/log.hpp — where troupe logs: a named spdlog logger, never the
// default logger.
#pragma once

#include <memory>

namespace spdlog {
class logger;
}

namespace troupe {

/// The logger troupe writes to: the spdlog logger registered as "troupe"
/// (created on first use, writing to stderr, if the application has not
/// registered one). Any thread.
std::shared_ptr<spdlog::logger> logger();

/// Replaces troupe's logger; it is registered under the name "troupe"
/// (a logger with another name is cloned under that name). Any thread.
void set_logger(std::shared_ptr<spdlog::logger> replacement);

}  // namespace troupe
