// A test shim that makes this machine's disk look slower, for S4's tail:
// every fsync/fdatasync costs SLOWDISK_SYNC_US (default 500) plus the bytes
// pwritten to that descriptor since its last sync at SLOWDISK_MBPS (default
// 100) megabytes per second, as a disk that must write them out would.
//
//   gcc -shared -fPIC -O2 -o /tmp/slowdisk.so benchmarks/slowdisk.c -ldl
//   LD_PRELOAD=/tmp/slowdisk.so benchmarks/run.sh s4
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_FD 65536
static _Atomic long unsynced[MAX_FD];
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static int (*real_fdatasync)(int);
static int (*real_fsync)(int);

static long setting(const char *name, long fallback) {
    const char *value = getenv(name);
    return value ? atol(value) : fallback;
}

static void wait_for_disk(int fd) {
    long bytes = (fd >= 0 && fd < MAX_FD) ? atomic_exchange(&unsynced[fd], 0) : 0;
    usleep(setting("SLOWDISK_SYNC_US", 500) + bytes / setting("SLOWDISK_MBPS", 100));
}

ssize_t pwrite64(int fd, const void *buffer, size_t count, off_t offset) {
    if (!real_pwrite64) real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
    ssize_t written = real_pwrite64(fd, buffer, count, offset);
    if (fd >= 0 && fd < MAX_FD && written > 0) unsynced[fd] += written;
    return written;
}

ssize_t pwrite(int fd, const void *buffer, size_t count, off_t offset) {
    return pwrite64(fd, buffer, count, offset);
}

int fdatasync(int fd) {
    if (!real_fdatasync) real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    int result = real_fdatasync(fd);
    wait_for_disk(fd);
    return result;
}

int fsync(int fd) {
    if (!real_fsync) real_fsync = dlsym(RTLD_NEXT, "fsync");
    int result = real_fsync(fd);
    wait_for_disk(fd);
    return result;
}
