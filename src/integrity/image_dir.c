/*
 * image_dir.c - a directory tree as an image.
 *
 * The tree is walked without following symlinks, and its regular files
 * are hashed on every core while the walk goes on: one thread walks, then
 * hashes with the others.  Files are hashed in the order walked until the
 * walk is over; those left are then taken the largest first, so that the
 * threads end together on small ones.  Each file is read once (its
 * capabilities from the open file too), opened relative to the root
 * without following a final symlink, so a file swapped for a link
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
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#define MAX_DEPTH 256

/* A regular file to hash, as walked. */
struct regular {
    size_t entry;     /* in m->f */
    const char *path; /* the entry's, in the manifest's arena */
    off_t size;
};

/* A file's digests, kept by the thread that made them until every thread
 * is done: m->f moves while the walk adds to it. */
struct hashed {
    size_t entry;
    struct nv_content content;
    const unsigned char *caps;
    size_t caps_len;
};

/* What each thread owns. */
struct worker {
    struct nv_arena arena; /* section digests, adopted by the manifest */
    struct nv_content_reader reader;
    struct hashed *done;
    size_t ndone, done_cap;
};

struct walk {
    struct nv_manifest *m;
    struct image_budget budget;
    struct nv_buf path; /* relative to the root, while walking */
    int root;
    /* The files walked; those from next on are still to hash. */
    pthread_mutex_t lock;
    pthread_cond_t more; /* files were added, or the walk ended */
    struct regular *files;
    size_t nfiles, cap, next;
    int walked; /* the walk is over (or failed): nfiles is final */
    atomic_int failed;
    struct nv_err err; /* the first failure */
    atomic_flag err_taken;
    atomic_int roles; /* the first thread to start walks */
    struct worker workers[NV_MAX_THREADS];
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

/* Hand the regular file just added to the manifest to the hashers. */
static enum nv_rc queue_file(struct walk *w, off_t size, struct nv_err *err)
{
    const struct nv_mfile *f = &w->m->f[w->m->n - 1];
    pthread_mutex_lock(&w->lock);
    enum nv_rc rc =
        nv_array_reserve(&w->files, &w->cap, w->nfiles + 1, sizeof *w->files);
    if (!rc) {
        w->files[w->nfiles++] = (struct regular){w->m->n - 1, f->path, size};
        pthread_cond_signal(&w->more);
    }
    pthread_mutex_unlock(&w->lock);
    return rc ? nv_err_set(err, NV_ENOMEM, "out of memory") : NV_OK;
}

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
    if (f.type == NV_FT_FILE && queue_file(w, st.st_size, err))
        return err->rc;
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
    while (!rc && !atomic_load(&w->failed) &&
           (errno = 0, e = readdir(d)) != NULL) {
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

/* The file capabilities of the open file r, if any. */
static enum nv_rc read_caps(const struct walk *w, struct worker *wk, int fd,
                            const struct regular *r, struct hashed *out,
                            struct nv_err *err)
{
    char caps[NV_CAPS_MAX];
    ssize_t n = fgetxattr(fd, "security.capability", caps, sizeof caps);
    if (n < 0 && (errno == ENODATA || errno == ENOTSUP))
        return NV_OK;
    if (n <= 0)
        return io_error(w->budget.path, r->path, err);
    out->caps =
        (const unsigned char *)nv_arena_strndup(&wk->arena, caps, (size_t)n);
    if (!out->caps)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    out->caps_len = (size_t)n;
    return NV_OK;
}

/* Digest one regular file of the tree into the thread's list. */
static enum nv_rc hash_file(const struct walk *w, struct worker *wk,
                            const struct regular *r, struct nv_err *err)
{
    if (nv_array_reserve(&wk->done, &wk->done_cap, wk->ndone + 1,
                         sizeof *wk->done))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    struct hashed *out = &wk->done[wk->ndone];
    *out = (struct hashed){.entry = r->entry};
    /* Not blocking: a FIFO put in the file's place since the walk would
     * hold the open until a writer came. */
    int fd = openat(w->root, r->path,
                    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    enum nv_rc rc = NV_OK;
    if (fd < 0 || fstat(fd, &st) != 0)
        rc = io_error(w->budget.path, r->path, err);
    else if (!S_ISREG(st.st_mode)) {
        nv_err_file(err, w->budget.path);
        rc = nv_err_set(err, NV_EIO, "%s: no longer a regular file", r->path);
    } else if (read_caps(w, wk, fd, r, out, err) ||
               nv_content_digest_fd(&wk->reader, fd, (uint64_t)st.st_size,
                                    r->path, &wk->arena, &out->content, err)) {
        nv_err_file(err, w->budget.path);
        rc = err->rc;
    }
    if (fd >= 0)
        close(fd);
    if (!rc)
        wk->ndone++;
    return rc;
}

/* Stop every thread; the first failure is the one reported. */
static void fail(struct walk *w, const struct nv_err *err)
{
    if (!atomic_flag_test_and_set(&w->err_taken))
        w->err = *err;
    pthread_mutex_lock(&w->lock);
    atomic_store(&w->failed, 1);
    pthread_cond_broadcast(&w->more);
    pthread_mutex_unlock(&w->lock);
}

static int larger_first(const void *a, const void *b)
{
    const struct regular *x = a, *y = b;
    return (x->size < y->size) - (x->size > y->size);
}

/* The walk is over: the files not yet taken go the largest first. */
static void end_walk(struct walk *w)
{
    pthread_mutex_lock(&w->lock);
    if (w->nfiles > w->next)
        qsort(w->files + w->next, w->nfiles - w->next, sizeof *w->files,
              larger_first);
    w->walked = 1;
    nv_progress_total(w->budget.l->progress, w->nfiles);
    pthread_cond_broadcast(&w->more);
    pthread_mutex_unlock(&w->lock);
}

/* The next file to hash, waiting for the walk if it has none yet; 0 when
 * there are no more (or a thread failed). */
static int take_file(struct walk *w, struct regular *r)
{
    pthread_mutex_lock(&w->lock);
    while (w->next == w->nfiles && !w->walked && !atomic_load(&w->failed))
        pthread_cond_wait(&w->more, &w->lock);
    int got = w->next < w->nfiles && !atomic_load(&w->failed);
    if (got)
        *r = w->files[w->next++];
    pthread_mutex_unlock(&w->lock);
    return got;
}

/* The first thread walks the tree, then each hashes files until none is
 * left. */
static void *tree_worker(void *arg)
{
    struct walk *w = arg;
    int role = atomic_fetch_add(&w->roles, 1);
    struct worker *wk = &w->workers[role];
    struct nv_err err = {0};
    nv_err_clear(&err);
    if (role == 0) {
        int dfd = dup(w->root);
        enum nv_rc rc = dfd < 0 ? io_error(w->budget.path, "", &err)
                                : walk_dir(w, dfd, 0, &err);
        if (rc)
            fail(w, &err);
        end_walk(w);
    }
    struct regular r;
    while (take_file(w, &r)) {
        if (hash_file(w, wk, &r, &err)) {
            fail(w, &err);
            break;
        }
        nv_progress_add(w->budget.l->progress, 1);
    }
    return NULL;
}

/* Give each file its digests, now that m->f no longer moves, and the
 * manifest the threads' memory. */
static void collect(struct walk *w)
{
    for (int i = 0; i < NV_MAX_THREADS; i++) {
        struct worker *wk = &w->workers[i];
        for (size_t k = 0; k < wk->ndone; k++) {
            struct nv_mfile *f = &w->m->f[wk->done[k].entry];
            f->content = wk->done[k].content;
            f->caps = wk->done[k].caps;
            f->caps_len = wk->done[k].caps_len;
        }
        nv_arena_adopt(&w->m->a, &wk->arena);
        nv_content_reader_release(&wk->reader);
        nv_free(wk->done);
    }
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

/* Walk and hash the tree at w->root. */
static enum nv_rc read_tree(struct walk *w, struct nv_err *err)
{
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->more, NULL);
    atomic_flag_clear(&w->err_taken);
    for (int i = 0; i < NV_MAX_THREADS; i++) {
        nv_arena_init(&w->workers[i].arena);
        w->workers[i].reader.window = (size_t)w->budget.l->read_window;
    }
    nv_progress_begin(w->budget.l->progress, "hashing", w->budget.path, 0);
    nv_threads_run(nv_threads_count((int)w->budget.l->threads), tree_worker, w);
    collect(w);
    pthread_cond_destroy(&w->more);
    pthread_mutex_destroy(&w->lock);
    if (atomic_load(&w->failed)) {
        *err = w->err;
        return err->rc;
    }
    return note_malformed(w->m, err);
}

enum nv_rc image_read_dir(const char *path, const struct nv_image_limits *l,
                          struct nv_manifest *m, struct nv_err *err)
{
    struct walk *w = nv_calloc(1, sizeof *w);
    if (!w)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    w->m = m;
    w->budget = (struct image_budget){l, path, 0, 0};
    nv_buf_init(&w->path, 65536);
    w->root = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    enum nv_rc rc = w->root < 0 ? io_error(path, "", err) : read_tree(w, err);
    if (w->root >= 0)
        close(w->root);
    nv_buf_release(&w->path);
    nv_free(w->files);
    nv_free(w);
    return rc;
}
