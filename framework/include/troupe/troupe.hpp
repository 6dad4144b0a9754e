// troupe/troupe.hpp — the whole public API.
#pragma once

#include <troupe/actor.hpp>
#include <troupe/actor_ref.hpp>
#include <troupe/as_completed.hpp>
#include <troupe/create_task.hpp>
#include <troupe/errors.hpp>
#include <troupe/event.hpp>
#include <troupe/future.hpp>
#include <troupe/gather.hpp>
#include <troupe/introspection.hpp>
#include <troupe/lock.hpp>
#include <troupe/log.hpp>
#include <troupe/options.hpp>
#include <troupe/outcome.hpp>
#include <troupe/queue.hpp>
#include <troupe/reactor.hpp>
#include <troupe/runtime.hpp>
#include <troupe/semaphore.hpp>
#include <troupe/shield.hpp>
#include <troupe/sleep.hpp>
#include <troupe/spawn.hpp>
#include <troupe/task.hpp>
#include <troupe/task_group.hpp>
#include <troupe/version.hpp>
#include <troupe/wait.hpp>
#include <troupe/wait_for.hpp>
