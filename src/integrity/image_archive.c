/*
 * image_archive.c - archives through libarchive: tar (any compression),
 * cpio, zip, ar, and a Debian package, whose installed files are the
 * members of the data.tar.* inside it, read as a nested stream.
 */
#include "integrity/image_int.h"

#include "core/alloc.h"

#include <archive.h>
#include <archive_entry.h>

#include <stdio.h>
#include <string.h>

#define BLOCK (64 * 1024)

struct reader {
    struct nv_manifest *m;
    struct image_budget budget;
    struct archive *outer; /* the file itself; inner reads from it */
    struct nv_content_stream *cs;
    unsigned char buf[BLOCK];       /* member data */
    unsigned char outer_buf[BLOCK]; /* the nested archive's packed bytes */
};

static struct archive *new_reader(void)
{
    struct archive *a = archive_read_new();
    if (a) {
        /* Not format_all: mtree would read files named in the image
         * from this machine's disk, and raw would take any file. */
        archive_read_support_filter_all(a);
        archive_read_support_format_tar(a);
        archive_read_support_format_cpio(a);
        archive_read_support_format_zip(a);
        archive_read_support_format_ar(a);
        archive_read_support_format_7zip(a);
        archive_read_support_format_iso9660(a);
    }
    return a;
}

static enum nv_rc archive_fail(struct reader *r, struct archive *a,
                               const char *member, struct nv_err *err)
{
    const char *why = archive_error_string(a);
    nv_err_file(err, r->budget.path);
    if (member)
        return nv_err_set(err, NV_EPARSE, "member %s: %s", member,
                          why ? why : "unreadable");
    return nv_err_set(err, NV_EPARSE, "%s", why ? why : "unreadable archive");
}

static enum nv_ftype type_of(struct archive_entry *e)
{
    if (archive_entry_hardlink(e))
        return NV_FT_HARDLINK;
    switch (archive_entry_filetype(e)) {
    case AE_IFDIR:
        return NV_FT_DIR;
    case AE_IFLNK:
        return NV_FT_SYMLINK;
    case AE_IFCHR:
        return NV_FT_CHAR;
    case AE_IFBLK:
        return NV_FT_BLOCK;
    case AE_IFIFO:
        return NV_FT_FIFO;
    case AE_IFSOCK:
        return NV_FT_SOCKET;
    default:
        return NV_FT_FILE;
    }
}

/* Stream the data of the current member of a into r->cs. */
static enum nv_rc read_data(struct reader *r, struct archive *a,
                            const char *name, struct nv_mfile *f,
                            struct nv_err *err)
{
    la_ssize_t got;
    nv_content_stream_reset(r->cs);
    while ((got = archive_read_data(a, r->buf, sizeof r->buf)) > 0) {
        uint64_t packed = (uint64_t)archive_filter_bytes(r->outer, -1);
        if (image_charge_bytes(&r->budget, (uint64_t)got, packed, err) ||
            nv_content_stream_add(r->cs, r->buf, (size_t)got, err))
            return err->rc;
    }
    if (got < 0)
        return archive_fail(r, a, name, err);
    return nv_content_stream_end(r->cs, &r->m->a, &f->content, err);
}

/* File capabilities, from the security.capability extended attribute
 * (pax SCHILY.xattr, as GNU tar --xattrs writes them). */
static void capabilities(struct archive_entry *e, struct nv_mfile *f)
{
    const char *name;
    const void *value;
    size_t size;
    archive_entry_xattr_reset(e);
    while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK)
        if (strcmp(name, "security.capability") == 0 && size > 0 &&
            size <= NV_CAPS_MAX) {
            f->caps = value;
            f->caps_len = size;
        }
}

static enum nv_rc add_entry(struct reader *r, struct archive *a,
                            struct archive_entry *e, struct nv_err *err)
{
    const char *name = archive_entry_pathname(e);
    const char *link = archive_entry_hardlink(e);
    struct nv_mfile f = {0};
    if (!name)
        return archive_fail(r, a, "(without a name)", err);
    f.path = name;
    f.path_len = strlen(name);
    f.type = type_of(e);
    f.mode = (uint32_t)archive_entry_perm(e) & 07777;
    f.uid = (uint32_t)archive_entry_uid(e);
    f.gid = (uint32_t)archive_entry_gid(e);
    if (!link && f.type == NV_FT_SYMLINK)
        link = archive_entry_symlink(e);
    if (link) {
        f.link = link;
        f.link_len = strlen(link);
    }
    capabilities(e, &f);
    if (image_charge_entry(&r->budget, err) ||
        (f.type == NV_FT_FILE && read_data(r, a, name, &f, err)))
        return err->rc;
    return nv_manifest_add(r->m, &f, err);
}

/* Every member of a. */
static enum nv_rc read_members(struct reader *r, struct archive *a,
                               struct nv_err *err)
{
    struct archive_entry *e;
    int status;
    while ((status = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
           status == ARCHIVE_WARN)
        if (add_entry(r, a, e, err))
            return err->rc;
    return status == ARCHIVE_EOF ? NV_OK : archive_fail(r, a, NULL, err);
}

/* The nested archive reads the outer one's current member. */
static la_ssize_t inner_read(struct archive *inner, void *ctx, const void **buf)
{
    struct reader *r = ctx;
    (void)inner;
    *buf = r->outer_buf;
    return archive_read_data(r->outer, r->outer_buf, sizeof r->outer_buf);
}

static enum nv_rc read_deb_data(struct reader *r, struct nv_err *err)
{
    struct archive *inner = new_reader();
    if (!inner)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    enum nv_rc rc =
        archive_read_open(inner, r, NULL, inner_read, NULL) == ARCHIVE_OK
            ? read_members(r, inner, err)
            : archive_fail(r, inner, "data.tar", err);
    archive_read_free(inner);
    return rc;
}

/* A Debian package: its data.tar.* holds the files it installs. */
static enum nv_rc read_deb(struct reader *r, struct nv_err *err)
{
    struct archive_entry *e;
    int status, found = 0;
    while ((status = archive_read_next_header(r->outer, &e)) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(e);
        if (name && strncmp(name, "data.tar", 8) == 0 && !found++ &&
            read_deb_data(r, err))
            return err->rc;
    }
    if (status != ARCHIVE_EOF)
        return archive_fail(r, r->outer, NULL, err);
    if (found != 1) {
        nv_err_file(err, r->budget.path);
        return nv_err_set(err, NV_EPARSE,
                          "Debian package with %d data.tar "
                          "members",
                          found);
    }
    return NV_OK;
}

/* Name the format as "tar", "tar.gz", "cpio.xz", "zip"... */
static enum nv_rc name_format(struct reader *r, struct nv_err *err)
{
    const char *fmt = archive_format_name(r->outer);
    const char *filter = archive_filter_count(r->outer) > 1
                             ? archive_filter_name(r->outer, 0)
                             : NULL;
    char text[128];
    snprintf(text, sizeof text, "%s%s%s", fmt ? fmt : "archive",
             filter ? " + " : "", filter ? filter : "");
    r->m->format = nv_arena_strdup(&r->m->a, text);
    return r->m->format ? NV_OK : nv_err_set(err, NV_ENOMEM, "out of memory");
}

enum nv_rc image_read_archive(const char *path, int deb,
                              const struct nv_image_limits *l,
                              struct nv_manifest *m, struct nv_err *err)
{
    struct reader *r = nv_calloc(1, sizeof *r);
    enum nv_rc rc = NV_OK;
    if (!r || !(r->cs = nv_content_stream_new()) || !(r->outer = new_reader()))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    if (!rc) {
        r->m = m;
        r->budget = (struct image_budget){l, path, 0, 0};
        if (archive_read_open_filename(r->outer, path, BLOCK) != ARCHIVE_OK)
            rc = archive_fail(r, r->outer, NULL, err);
    }
    if (!rc)
        rc = deb ? read_deb(r, err) : read_members(r, r->outer, err);
    if (!rc)
        rc = deb ? ((m->format = "deb"), NV_OK) : name_format(r, err);
    if (r) {
        archive_read_free(r->outer);
        nv_content_stream_free(r->cs);
    }
    nv_free(r);
    return rc;
}
