// hiredis 0.14 (Debian libhiredis-dev): the async API and its libuv adapter,
// a header of static functions that Swift imports and calls directly.
#include <hiredis/hiredis.h>
#include <hiredis/async.h>
#include <hiredis/adapters/libuv.h>

// 0.14's adapter loses socket errors: libuv reports POLLERR as status
// UV_EBADF with no events and stops the poll, and redisLibuvPoll returns on
// any status. A refused connect then went unnoticed until the connect
// timeout, and a reset connection forever. These hooks are upstream's fix
// (hiredis 9ce15c4, "Fix errors not propagating properly with libuv.h"):
// on an error, run the handlers hiredis asked for; they read the socket
// error themselves and free the context.
static void huddle_redisLibuvPoll(uv_poll_t *handle, int status, int events) {
    redisLibuvEvents *p = (redisLibuvEvents *)handle->data;
    int ready = status ? p->events : events;
    if (p->context != NULL && (ready & UV_READABLE)) redisAsyncHandleRead(p->context);
    if (p->context != NULL && (ready & UV_WRITABLE)) redisAsyncHandleWrite(p->context);
}

static void huddle_redisLibuvSetEvents(void *privdata, int events) {
    redisLibuvEvents *p = (redisLibuvEvents *)privdata;
    p->events = events;
    if (events) {
        uv_poll_start(&p->handle, events, huddle_redisLibuvPoll);
    } else {
        uv_poll_stop(&p->handle);
    }
}

static void huddle_redisLibuvAddRead(void *privdata) {
    huddle_redisLibuvSetEvents(privdata, ((redisLibuvEvents *)privdata)->events | UV_READABLE);
}

static void huddle_redisLibuvDelRead(void *privdata) {
    huddle_redisLibuvSetEvents(privdata, ((redisLibuvEvents *)privdata)->events & ~UV_READABLE);
}

static void huddle_redisLibuvAddWrite(void *privdata) {
    huddle_redisLibuvSetEvents(privdata, ((redisLibuvEvents *)privdata)->events | UV_WRITABLE);
}

static void huddle_redisLibuvDelWrite(void *privdata) {
    huddle_redisLibuvSetEvents(privdata, ((redisLibuvEvents *)privdata)->events & ~UV_WRITABLE);
}

// redisLibuvAttach with the hooks above. On failure no hook is left behind:
// 0.14 installs them before uv_poll_init can fail, and redisAsyncFree would
// then run the cleanup hook on a NULL privdata.
static int huddle_redisLibuvAttach(redisAsyncContext *ac, uv_loop_t *loop) {
    if (redisLibuvAttach(ac, loop) != REDIS_OK) {
        memset(&ac->ev, 0, sizeof(ac->ev));
        return REDIS_ERR;
    }
    ac->ev.addRead = huddle_redisLibuvAddRead;
    ac->ev.delRead = huddle_redisLibuvDelRead;
    ac->ev.addWrite = huddle_redisLibuvAddWrite;
    ac->ev.delWrite = huddle_redisLibuvDelWrite;
    return REDIS_OK;
}
