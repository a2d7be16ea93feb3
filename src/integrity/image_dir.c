/*
 * image_dir.c - a directory tree as an image.
 *
 * The tree is walked first, without following symlinks; then the regular
 * files are hashed on every core, the largest first, each read once (its
 * capabilities from the open file too).  Files are opened relative to the
 * root without following a final symlink, so a file swapped for a link
 * meanwhile is refused, not read.
 */
#include "integrity/image_int.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/progress.h"
#include "core/threads.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#define MAX_DEPTH 256

/* A regular file to hash: its entry in m->f and its size when walked. */
struct regular {
    size_t entry;
    off_t size;
};

struct walk {
    struct nv_manifest *m;
    struct image_budget budget;
    struct nv_buf path; /* relative to the root, while walking */
    struct regular *files;
    size_t nfiles, cap;
};

static enum nv_rc io_error(const char *root, const char *rel,
                           struct nv_err *err)
{
    nv_err_file(err, root);
    return nv_err_set(err, NV_EIO, "%s: %s", rel[0] ? rel : ".",
                      strerror(errno));
}

static enum nv_ftype type_of(mode_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFDIR:
        return NV_FT_DIR;
    case S_IFLNK:
        return NV_FT_SYMLINK;
    case S_IFCHR:
        return NV_FT_CHAR;
    case S_IFBLK:
        return NV_FT_BLOCK;
    case S_IFIFO:
        return NV_FT_FIFO;
    case S_IFSOCK:
        return NV_FT_SOCKET;
    default:
        return NV_FT_FILE;
    }
}

static enum nv_rc walk_dir(struct walk *w, int dfd, int depth,
                           struct nv_err *err);

/* Record the member name of directory dfd (whose path is in w->path). */
static enum nv_rc add_member(struct walk *w, int dfd, const char *name,
                             int depth, struct nv_err *err)
{
    struct stat st;
    char target[4096];
    struct nv_mfile f = {0};
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return io_error(w->budget.path, w->path.data, err);
    f.path = w->path.data;
    f.path_len = w->path.len;
    f.type = type_of(st.st_mode);
    f.mode = st.st_mode & 07777;
    f.uid = st.st_uid;
    f.gid = st.st_gid;
    if (f.type == NV_FT_SYMLINK) {
        ssize_t n = readlinkat(dfd, name, target, sizeof target);
        if (n < 0 || (size_t)n == sizeof target)
            return io_error(w->budget.path, w->path.data, err);
        f.link = target;
        f.link_len = (size_t)n;
    }
    if (image_charge_entry(&w->budget, err) || nv_manifest_add(w->m, &f, err))
        return err->rc;
    if (f.type == NV_FT_FILE) {
        if (nv_array_reserve(&w->files, &w->cap, w->nfiles + 1,
                             sizeof *w->files))
            return nv_err_set(err, NV_ENOMEM, "out of memory");
        w->files[w->nfiles++] = (struct regular){w->m->n - 1, st.st_size};
    }
    if (f.type != NV_FT_DIR)
        return NV_OK;
    int sub =
        openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0)
        return io_error(w->budget.path, w->path.data, err);
    return walk_dir(w, sub, depth + 1, err);
}

/* Walk directory dfd (closed here), whose path is in w->path. */
static enum nv_rc walk_dir(struct walk *w, int dfd, int depth,
                           struct nv_err *err)
{
    DIR *d = depth <= MAX_DEPTH ? fdopendir(dfd) : NULL;
    enum nv_rc rc = NV_OK;
    if (!d) {
        close(dfd);
        if (depth > MAX_DEPTH)
            return nv_err_set(err, NV_ELIMIT, "%s: more than %d levels deep",
                              w->path.data, MAX_DEPTH);
        return io_error(w->budget.path, w->path.data, err);
    }
    size_t base = w->path.len;
    struct dirent *e;
    while (!rc && (errno = 0, e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        rc = image_path_push(&w->path, e->d_name, err);
        if (!rc)
            rc = add_member(w, dirfd(d), e->d_name, depth, err);
        if (w->path.cap) { /* back to this directory's path */
            w->path.len = base;
            w->path.data[base] = '\0';
        }
    }
    if (!rc && errno)
        rc = io_error(w->budget.path, w->path.data, err);
    closedir(d);
    return rc;
}

/* What each hashing thread owns. */
struct worker {
    struct nv_arena arena; /* section digests, adopted by the manifest */
    unsigned char *buf;    /* cap bytes: the file being read */
    size_t cap;
};

struct hashing {
    struct nv_manifest *m;
    const struct walk *w;
    int root;
    atomic_size_t next;
    atomic_int failed;
    struct nv_err err; /* the first failure */
    atomic_flag err_taken;
    struct worker workers[NV_MAX_THREADS];
    atomic_int worker_next;
};

/* Read up to n bytes of fd into buf; the count read. */
static ssize_t read_full(int fd, unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r < 0 ? -1 : (ssize_t)got;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* Digest a file over the limits' read_max through a mapping of it, its
 * pages mapped in one call rather than one fault at a time. */
static enum nv_rc hash_mapped(struct worker *wk, int fd, size_t n,
                              struct nv_mfile *f, struct nv_err *err)
{
    void *map = mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (map == MAP_FAILED)
        return nv_err_set(err, NV_EIO, "%s: %s", f->path, strerror(errno));
    enum nv_rc rc = nv_content_digest(map, n, &wk->arena, &f->content, err);
    munmap(map, n);
    return rc;
}

/* Digest a file read into the thread's buffer, grown to hold n bytes. */
static enum nv_rc hash_read(struct hashing *h, struct worker *wk, int fd,
                            size_t n, struct nv_mfile *f, struct nv_err *err)
{
    if (!wk->buf || n > wk->cap) {
        size_t cap = n > ((size_t)1 << 16) ? n : (size_t)1 << 16;
        nv_free(wk->buf);
        wk->cap = 0;
        if (!(wk->buf = nv_malloc(cap)))
            return nv_err_set(err, NV_ENOMEM, "out of memory");
        wk->cap = cap;
    }
    ssize_t got = read_full(fd, wk->buf, n);
    if (got < 0)
        return io_error(h->w->budget.path, f->path, err);
    return nv_content_digest(wk->buf, (size_t)got, &wk->arena, &f->content,
                             err);
}

/* The file capabilities of the open file f, if any. */
static enum nv_rc read_caps(struct hashing *h, struct worker *wk, int fd,
                            struct nv_mfile *f, struct nv_err *err)
{
    char caps[NV_CAPS_MAX];
    ssize_t n = fgetxattr(fd, "security.capability", caps, sizeof caps);
    if (n < 0 && (errno == ENODATA || errno == ENOTSUP))
        return NV_OK;
    if (n <= 0)
        return io_error(h->w->budget.path, f->path, err);
    f->caps =
        (const unsigned char *)nv_arena_strndup(&wk->arena, caps, (size_t)n);
    if (!f->caps)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    f->caps_len = (size_t)n;
    return NV_OK;
}

/*
 * Digest one regular file of the tree.  Files are read into the thread's
 * buffer, not mapped: its pages stay mapped from one file to the next,
 * where a mapping's pages are new to the TLB each time and SHA-256 over
 * them ran at about half speed (0.9 against 1.6 GB/s on one core of a
 * virtual machine).  The buffer grows to the largest file
 * read (the first: the largest are hashed first); only files over the
 * limits' read_max are mapped, so memory stays bounded.
 */
static enum nv_rc hash_file(struct hashing *h, struct worker *wk,
                            struct nv_mfile *f, struct nv_err *err)
{
    int fd = openat(h->root, f->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    enum nv_rc rc = NV_OK;
    if (fd < 0 || fstat(fd, &st) != 0)
        rc = io_error(h->w->budget.path, f->path, err);
    else if (read_caps(h, wk, fd, f, err))
        rc = err->rc;
    else if ((uint64_t)st.st_size > h->w->budget.l->read_max)
        rc = hash_mapped(wk, fd, (size_t)st.st_size, f, err);
    else
        rc = hash_read(h, wk, fd, (size_t)st.st_size, f, err);
    if (fd >= 0)
        close(fd);
    return rc;
}

/* Stop every worker; the first failure is the one reported. */
static void *stop(struct hashing *h, const struct nv_err *err)
{
    atomic_store(&h->failed, 1);
    if (!atomic_flag_test_and_set(&h->err_taken))
        h->err = *err;
    return NULL;
}

static void *hash_worker(void *arg)
{
    struct hashing *h = arg;
    struct worker *wk = &h->workers[atomic_fetch_add(&h->worker_next, 1)];
    struct nv_err err = {0};
    nv_err_clear(&err);
    for (;;) {
        size_t i = atomic_fetch_add(&h->next, 1);
        if (i >= h->w->nfiles || atomic_load(&h->failed))
            return NULL;
        nv_progress_set(h->w->budget.l->progress, i);
        if (hash_file(h, wk, &h->m->f[h->w->files[i].entry], &err))
            return stop(h, &err);
    }
}

static int larger_first(const void *a, const void *b)
{
    const struct regular *x = a, *y = b;
    return (x->size < y->size) - (x->size > y->size);
}

/* Hash the regular files of w, the largest first: the threads then end
 * together on small ones. */
static enum nv_rc hash_files(struct nv_manifest *m, struct walk *w, int root,
                             int threads, struct nv_err *err)
{
    if (w->nfiles)
        qsort(w->files, w->nfiles, sizeof *w->files, larger_first);
    struct hashing *h = nv_calloc(1, sizeof *h);
    if (!h)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    h->m = m;
    h->w = w;
    h->root = root;
    atomic_flag_clear(&h->err_taken);
    for (int i = 0; i < NV_MAX_THREADS; i++)
        nv_arena_init(&h->workers[i].arena);
    nv_progress_begin(w->budget.l->progress, "hashing", w->budget.path,
                      w->nfiles);
    nv_threads_run(nv_threads_count(threads), hash_worker, h);
    for (int i = 0; i < NV_MAX_THREADS; i++) {
        struct worker *wk = &h->workers[i];
        nv_arena_adopt(&m->a, &wk->arena);
        nv_free(wk->buf);
    }
    enum nv_rc rc = atomic_load(&h->failed) ? h->err.rc : NV_OK;
    if (rc && err)
        *err = h->err;
    nv_free(h);
    return rc;
}

/* An ELF file whose section table is bad is an issue, as it is in an
 * archive; a directory's files are only read once walked, so their
 * entries are looked at again once hashed, in the order walked. */
static enum nv_rc note_malformed(struct nv_manifest *m, struct nv_err *err)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->f[i].content.elf_malformed &&
            nv_manifest_issue(m, m->f[i].path, m->f[i].path_len,
                              NV_ISSUE_ELF_MALFORMED, err))
            return err->rc;
    return NV_OK;
}

enum nv_rc image_read_dir(const char *path, const struct nv_image_limits *l,
                          struct nv_manifest *m, struct nv_err *err)
{
    struct walk w = {m, {l, path, 0, 0}, {0}, NULL, 0, 0};
    nv_buf_init(&w.path, 65536);
    int root = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int walked = root < 0 ? -1 : dup(root);
    enum nv_rc rc =
        walked < 0 ? io_error(path, "", err) : walk_dir(&w, walked, 0, err);
    if (!rc)
        rc = hash_files(m, &w, root, (int)l->threads, err);
    if (!rc)
        rc = note_malformed(m, err);
    if (root >= 0)
        close(root);
    nv_buf_release(&w.path);
    nv_free(w.files);
    return rc;
}
