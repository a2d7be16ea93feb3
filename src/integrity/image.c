/*
 * image.c - which reader an image needs, its digest, and the limits.
 */
#include "integrity/image_int.h"

#include "core/alloc.h"
#include "core/file.h"
#include "core/progress.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

void nv_image_limits_default(struct nv_image_limits *l)
{
    l->max_bytes = (uint64_t)64 << 30;
    l->max_ratio = 1000;
    l->ratio_after = (uint64_t)1 << 30;
    l->max_entries = 10000000;
    l->read_window = (uint64_t)4 << 20;
    l->threads = 0;
    l->progress = NULL;
}

enum nv_rc image_path_push(struct nv_buf *path, const char *name,
                           struct nv_err *err)
{
    enum nv_rc rc = path->len ? nv_buf_addc(path, '/') : NV_OK;
    if (!rc)
        rc = nv_buf_adds(path, name);
    if (rc == NV_ELIMIT)
        return nv_err_set(err, rc, "path too long in %s", path->data);
    return rc ? nv_err_set(err, rc, "out of memory") : NV_OK;
}

enum nv_rc image_charge_entry(struct image_budget *b, struct nv_err *err)
{
    if (++b->entries <= b->l->max_entries)
        return NV_OK;
    nv_err_file(err, b->path);
    return nv_err_set(err, NV_ELIMIT, "more than %llu members",
                      (unsigned long long)b->l->max_entries);
}

enum nv_rc image_charge_bytes(struct image_budget *b, uint64_t n,
                              uint64_t packed, struct nv_err *err)
{
    b->bytes += n;
    nv_progress_set(b->l->progress, packed);
    if (b->bytes > b->l->max_bytes) {
        nv_err_file(err, b->path);
        return nv_err_set(err, NV_ELIMIT, "more than %llu bytes unpacked",
                          (unsigned long long)b->l->max_bytes);
    }
    if (b->bytes > b->l->ratio_after &&
        b->bytes / (packed ? packed : 1) > b->l->max_ratio) {
        nv_err_file(err, b->path);
        return nv_err_set(
            err, NV_ELIMIT, "decompression bomb: %llu bytes unpacked from %llu",
            (unsigned long long)b->bytes, (unsigned long long)packed);
    }
    return NV_OK;
}

/* The SHA-256 of the image file itself, so that a manifest names it. */
static enum nv_rc digest_file(const char *path, struct nv_manifest *m,
                              struct nv_err *err)
{
    struct nv_file f;
    if (nv_file_read(&f, path, SIZE_MAX, err))
        return err->rc;
    nv_sha256(f.data, f.len, m->image_sha256);
    m->has_image_digest = 1;
    nv_file_release(&f);
    return NV_OK;
}

/* What the first bytes of an image file say it is. */
enum kind { ARCHIVE, DEB, SQUASHFS };

static enum kind sniff(const char *path)
{
    static const char deb[] = "!<arch>\ndebian-binary";
    char head[sizeof deb - 1] = {0};
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(head, 1, sizeof head, f) : 0;
    if (f)
        fclose(f);
    if (n >= 4 && memcmp(head, "hsqs", 4) == 0)
        return SQUASHFS;
    return n == sizeof head && memcmp(head, deb, n) == 0 ? DEB : ARCHIVE;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

enum nv_rc nv_image_read(const char *path, const struct nv_image_limits *l,
                         struct nv_manifest *m, struct nv_err *err)
{
    enum nv_rc rc;
    struct stat st;
    int found = stat(path, &st) == 0;
    if (!found || !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode))) {
        nv_err_file(err, path);
        return nv_err_set(err, NV_EIO, "%s",
                          found ? "not a directory or a regular file"
                                : strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
        m->format = "directory";
        rc = image_read_dir(path, l, m, err);
    } else {
        m->image = nv_arena_strdup(&m->a, base_name(path));
        if (!m->image)
            return nv_err_set(err, NV_ENOMEM, "out of memory");
        rc = digest_file(path, m, err);
        enum kind k = rc ? ARCHIVE : sniff(path);
        nv_progress_begin(l->progress, "hashing", path, (uint64_t)st.st_size);
        if (!rc)
            rc = k == SQUASHFS ? image_read_squashfs(path, l, m, err)
                               : image_read_archive(path, k == DEB, l, m, err);
    }
    nv_progress_end(l->progress);
    return rc ? rc : nv_manifest_finish(m, err);
}
