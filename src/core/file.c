/*
 * file.c - bounded whole-file input through mmap or read.
 */
#include "core/file.h"

#include "core/alloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int nv_file_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void nv_file_remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4400];

    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* Read everything from fd into the heap, at most limit bytes. */
static enum nv_rc read_all(int fd, const char *path, size_t limit,
                           struct nv_file *f, struct nv_err *err)
{
    size_t cap = 65536, len = 0;
    char *data = nv_malloc(cap), *grown;

    while (data) {
        ssize_t n = read(fd, data + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            nv_free(data);
            return nv_err_at(err, NV_EIO, path, 0, 0, "cannot read: %s",
                             strerror(errno));
        }
        if (n == 0) {
            f->data = data;
            f->len = len;
            f->mapped = 0;
            return NV_OK;
        }
        len += (size_t)n;
        if (len > limit)
            break;
        if (len == cap) {
            grown = nv_reallocarray(data, cap, 2);
            if (!grown)
                nv_free(data);
            data = grown;
            cap *= 2;
        }
    }
    if (!data)
        return nv_err_at(err, NV_ENOMEM, path, 0, 0, "out of memory");
    nv_free(data);
    return nv_err_at(err, NV_ELIMIT, path, 0, 0,
                     "file is larger than the limit of %zu bytes", limit);
}

static enum nv_rc map_regular(int fd, const char *path, size_t size, void *hint,
                              struct nv_file *f, struct nv_err *err)
{
    void *p;

    if (size == 0) {
        f->data = NULL;
        f->len = 0;
        f->mapped = 0;
        return NV_OK;
    }
    /* Every caller reads the whole file: map it all at once rather than
     * a page fault at a time (a tenth off loading a binary snapshot).
     * Read-only while it is populated: a writable private mapping would
     * be populated by copying every page. */
    p = mmap(hint, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p == MAP_FAILED)
        return nv_err_at(err, NV_EIO, path, 0, 0, "cannot map: %s",
                         strerror(errno));
    if (hint && mprotect(p, size, PROT_READ | PROT_WRITE) != 0) {
        munmap(p, size);
        return nv_err_at(err, NV_EIO, path, 0, 0, "cannot map: %s",
                         strerror(errno));
    }
    f->data = p;
    f->len = size;
    f->mapped = 1;
    return NV_OK;
}

/* nv_file_read, a regular file mapped at hint when not NULL. */
static enum nv_rc read_file(struct nv_file *f, const char *path, void *hint,
                            size_t limit, struct nv_err *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    enum nv_rc rc;

    if (fd < 0)
        return nv_err_at(err, NV_EIO, path, 0, 0, "cannot open: %s",
                         strerror(errno));
    if (fstat(fd, &st) != 0)
        rc = nv_err_at(err, NV_EIO, path, 0, 0, "cannot stat: %s",
                       strerror(errno));
    else if (S_ISDIR(st.st_mode))
        rc = nv_err_at(err, NV_EINVAL, path, 0, 0, "is a directory");
    else if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > limit)
        rc = nv_err_at(err, NV_ELIMIT, path, 0, 0,
                       "file is larger than the limit of %zu bytes", limit);
    else if (S_ISREG(st.st_mode))
        rc = map_regular(fd, path, (size_t)st.st_size, hint, f, err);
    else
        rc = read_all(fd, path, limit, f, err);
    if (!is_stdin)
        close(fd);
    return rc;
}

enum nv_rc nv_file_read(struct nv_file *f, const char *path, size_t limit,
                        struct nv_err *err)
{
    return read_file(f, path, NULL, limit, err);
}

enum nv_rc nv_file_map_private(struct nv_file *f, const char *path, void *hint,
                               size_t limit, struct nv_err *err)
{
    return read_file(f, path, hint, limit, err);
}

void nv_file_release(struct nv_file *f)
{
    if (f->mapped)
        munmap((void *)f->data, f->len);
    else
        nv_free((void *)f->data);
    f->data = NULL;
    f->len = 0;
    f->mapped = 0;
}
