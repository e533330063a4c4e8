// hiredis 0.14 (Debian libhiredis-dev): the async API and its libuv adapter,
// a header of static functions that Swift imports and calls directly.
#include <hiredis/hiredis.h>
#include <hiredis/async.h>
#include <hiredis/adapters/libuv.h>
