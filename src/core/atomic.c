/*
 * atomic.c - durable writes (see atomic.h).
 *
 * The temporary file is created with O_EXCL under a random name beside
 * the target, so two writers of the same path never share one, the
 * rename never crosses a file system, and the umask applies to the mode
 * as it does to any file the user creates.
 */
#include "core/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef NV_TESTING
static long crash_countdown = -1;

void nv_atomic_crash_after(long n)
{
    crash_countdown = n;
}

void nv_atomic_crash_point(int fd, const void *data, size_t n, off_t at)
{
    if (crash_countdown < 0 || crash_countdown-- > 0)
        return;
    if (data && n > 1)
        (void)!pwrite(fd, data, n / 2, at);
    _exit(NV_ATOMIC_CRASH_EXIT);
}
#endif

static enum nv_rc io_fail(const char *path, const char *what,
                          struct nv_err *err)
{
    int e = errno;

    nv_err_set(err, NV_EIO, "cannot %s: %s", what, strerror(e));
    nv_err_file(err, path);
    return NV_EIO;
}

enum nv_rc nv_atomic_pwrite(int fd, const void *data, size_t n, off_t at,
                            const char *path, struct nv_err *err)
{
    const char *p = data;

    nv_atomic_crash_point(fd, data, n, at);
    while (n) {
        ssize_t w = pwrite(fd, p, n, at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return io_fail(path, "write", err);
        p += w;
        n -= (size_t)w;
        at += w;
    }
    return NV_OK;
}

enum nv_rc nv_atomic_sync(int fd, const char *path, struct nv_err *err)
{
    nv_atomic_crash_point(fd, NULL, 0, 0);
    return fsync(fd) == 0 ? NV_OK : io_fail(path, "sync", err);
}

enum nv_rc nv_atomic_sync_dir(const char *dir, struct nv_err *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    enum nv_rc rc;

    if (fd < 0)
        return io_fail(dir, "open", err);
    rc = nv_atomic_sync(fd, dir, err);
    close(fd);
    return rc;
}

/* The directory part of path ("." when it has none) into out. */
static void dir_of(const char *path, char out[NV_ATOMIC_PATH_SIZE])
{
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 0;

    if (!slash)
        memcpy(out, ".", 2);
    else if (len == 0)
        memcpy(out, "/", 2);
    else {
        memcpy(out, path, len);
        out[len] = '\0';
    }
}

/* A fresh "dir/.name.XXXXXXXX" beside the target, created exclusively. */
static int create_tmp(struct nv_atomic *a, mode_t mode)
{
    const char *slash = strrchr(a->target, '/');
    int dir = slash ? (int)(slash - a->target + 1) : 0;

    for (int tries = 0; tries < 64; tries++) {
        uint32_t r = 0;
        if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
            r = (uint32_t)getpid() * 2654435761u + (uint32_t)tries;
        int len = snprintf(a->tmp, sizeof a->tmp, "%.*s.%s.%08x", dir, a->path,
                           a->path + dir, (unsigned)r);
        if (len < 0 || len >= (int)sizeof a->tmp) {
            errno = ENAMETOOLONG;
            return -1;
        }
        int fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

/* What to replace: path itself, or the file a symbolic link names. */
static int settle_target(struct nv_atomic *a)
{
    struct stat st;
    size_t len = strlen(a->path);

    if (lstat(a->path, &st) == 0 && S_ISLNK(st.st_mode) &&
        realpath(a->path, a->target))
        return 0;
    if (len >= sizeof a->target) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(a->target, a->path, len + 1);
    return 0;
}

enum nv_rc nv_atomic_open(struct nv_atomic *a, const char *path, mode_t mode,
                          struct nv_err *err)
{
    struct stat st;

    memset(a, 0, sizeof *a);
    a->path = path;
    nv_atomic_crash_point(-1, NULL, 0, 0);
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        a->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    else if (settle_target(a) == 0)
        a->fd = create_tmp(a, mode);
    else
        a->fd = -1;
    if (a->fd < 0) {
        a->tmp[0] = '\0';
        return io_fail(path, "create", err);
    }
    return NV_OK;
}

enum nv_rc nv_atomic_write(struct nv_atomic *a, const void *data, size_t n,
                           struct nv_err *err)
{
    off_t at = lseek(a->fd, 0, SEEK_CUR);

    if (at < 0)
        return io_fail(a->path, "write", err);
    enum nv_rc rc = nv_atomic_pwrite(a->fd, data, n, at, a->path, err);
    if (!rc && lseek(a->fd, at + (off_t)n, SEEK_SET) < 0)
        return io_fail(a->path, "write", err);
    return rc;
}

FILE *nv_atomic_stream(struct nv_atomic *a)
{
    if (!a->f)
        a->f = fdopen(a->fd, "w");
    return a->f;
}

/* Close the temporary file (stream and descriptor); 0 or errno. */
static int close_tmp(struct nv_atomic *a)
{
    int e = 0;

    if (a->f) {
        if (fclose(a->f) != 0)
            e = errno;
        a->f = NULL;
    } else if (a->fd >= 0 && close(a->fd) != 0)
        e = errno;
    a->fd = -1;
    return e;
}

enum nv_rc nv_atomic_commit(struct nv_atomic *a, struct nv_err *err)
{
    char dir[NV_ATOMIC_PATH_SIZE];
    enum nv_rc rc = NV_OK;

    if (a->f && fflush(a->f) != 0)
        rc = io_fail(a->path, "write", err);
    if (!rc && a->tmp[0])
        rc = nv_atomic_sync(a->fd, a->path, err);
    int e = close_tmp(a);
    if (!rc && e) {
        errno = e;
        rc = io_fail(a->path, "write", err);
    }
    if (rc || !a->tmp[0]) {
        nv_atomic_abort(a);
        return rc;
    }
    nv_atomic_crash_point(-1, NULL, 0, 0);
    if (rename(a->tmp, a->target) != 0) {
        rc = io_fail(a->path, "replace", err);
        nv_atomic_abort(a);
        return rc;
    }
    a->tmp[0] = '\0';
    dir_of(a->target, dir);
    return nv_atomic_sync_dir(dir, err);
}

void nv_atomic_abort(struct nv_atomic *a)
{
    close_tmp(a);
    if (a->tmp[0])
        unlink(a->tmp);
    a->tmp[0] = '\0';
}

enum nv_rc nv_atomic_replace(const char *path, const void *data, size_t n,
                             mode_t mode, struct nv_err *err)
{
    struct nv_atomic a;
    enum nv_rc rc = nv_atomic_open(&a, path, mode, err);

    if (rc)
        return rc;
    rc = nv_atomic_write(&a, data, n, err);
    if (rc) {
        nv_atomic_abort(&a);
        return rc;
    }
    return nv_atomic_commit(&a, err);
}
