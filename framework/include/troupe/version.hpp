// troupe/version.hpp — the library's version.
#pragma once

#define TROUPE_VERSION_MAJOR 0
#define TROUPE_VERSION_MINOR 1
#define TROUPE_VERSION_PATCH 0
#define TROUPE_VERSION_STRING "0.1.0"
