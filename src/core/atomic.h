/*
 * atomic.h - durable writes: a file replaced whole or not at all, and the
 * primitives the evidence log appends with.
 *
 * A replacement is written to a temporary file in the same directory,
 * synced, renamed over the path and the directory synced, so that a crash
 * at any point leaves either the old file or the new one, never a mix, and
 * a reader never sees a half-written file.  Every output of netvet that is
 * a file (CLI outputs, the log's checkpoint, the update state) goes
 * through here.
 *
 * An existing path that is not a regular file (a terminal, a pipe,
 * /dev/null, /dev/full) is written in place, since it cannot be replaced;
 * a symbolic link has its target replaced, not the link.
 *
 * Test builds can stop the process at the Nth file operation from now
 * (nv_atomic_crash_after), tearing a write half way, to prove that every
 * caller survives a crash at every step.
 */
#ifndef NV_ATOMIC_H
#define NV_ATOMIC_H

#include "core/err.h"

#include <stdio.h>
#include <sys/types.h>

#define NV_ATOMIC_PATH_SIZE 4096

struct nv_atomic {
    const char *path;                 /* borrowed: as the caller named it */
    char target[NV_ATOMIC_PATH_SIZE]; /* the file replaced on commit */
    char tmp[NV_ATOMIC_PATH_SIZE];    /* "" when writing in place */
    int fd;                           /* the file written, -1 once closed */
    FILE *f;                          /* a stream over fd, once asked for */
};

/*
 * Start replacing path: create a fresh temporary file beside it with the
 * permissions mode less the umask.  path is borrowed until commit or
 * abort.  On failure nothing is left on disk and err names the file.
 */
enum nv_rc nv_atomic_open(struct nv_atomic *a, const char *path, mode_t mode,
                          struct nv_err *err) NV_WUR;

/* Append n bytes to the new content. */
enum nv_rc nv_atomic_write(struct nv_atomic *a, const void *data, size_t n,
                           struct nv_err *err) NV_WUR;

/* A stdio stream over the new content, for callers that print into it;
 * NULL when out of memory.  Owned by a: do not fclose it. */
FILE *nv_atomic_stream(struct nv_atomic *a);

/* Flush, sync, rename over the path and sync the directory.  On failure
 * the temporary file is removed, the old file is untouched, and err says
 * why. */
enum nv_rc nv_atomic_commit(struct nv_atomic *a, struct nv_err *err) NV_WUR;

/* Give up: close and remove the temporary file.  Safe after a failed
 * commit. */
void nv_atomic_abort(struct nv_atomic *a);

/* Replace path by the n bytes of data in one call. */
enum nv_rc nv_atomic_replace(const char *path, const void *data, size_t n,
                             mode_t mode, struct nv_err *err) NV_WUR;

/* Write n bytes at offset at of fd, all of them; path names fd in err. */
enum nv_rc nv_atomic_pwrite(int fd, const void *data, size_t n, off_t at,
                            const char *path, struct nv_err *err) NV_WUR;

/* fsync fd; path names it in err. */
enum nv_rc nv_atomic_sync(int fd, const char *path, struct nv_err *err) NV_WUR;

/* Make a directory's entries (a rename, a new file) durable. */
enum nv_rc nv_atomic_sync_dir(const char *dir, struct nv_err *err) NV_WUR;

/* The exit status of a process stopped by nv_atomic_crash_after. */
#define NV_ATOMIC_CRASH_EXIT 86

#ifdef NV_TESTING
/*
 * Let n more file operations of the functions above (and of callers'
 * nv_atomic_crash_point) happen, then _exit(NV_ATOMIC_CRASH_EXIT) instead
 * of the next one; a write stopped this way is torn half way.  -1 turns
 * it off.  Meant for a forked child.
 */
void nv_atomic_crash_after(long n);

/* A crash point before a file operation; a write (fd, data, n at at) is
 * torn half way when the crash happens here. */
void nv_atomic_crash_point(int fd, const void *data, size_t n, off_t at);
#else
#define nv_atomic_crash_point(fd, data, n, at) ((void)0)
#endif

#endif
