/*
 * manifest.h - what an image holds, file by file: path, type, size, mode,
 * owner, link target and digests (content.h).  A manifest is built from a
 * directory or an image file (image.h), written as an in-toto Statement
 * (statement.h) and compared with another one (diff.h).
 *
 * Paths are raw bytes as the image stores them, after lexical clean-up
 * ("./a//b" is "a/b"); entries are sorted by path in byte order, one per
 * path.  What a hostile image tried (absolute or climbing paths, symlinks
 * out of the image, duplicate members, device nodes) is kept as issues.
 */
#ifndef NV_MANIFEST_H
#define NV_MANIFEST_H

#include "core/arena.h"
#include "integrity/content.h"

#include <stddef.h>
#include <stdint.h>

#define NV_CAPS_MAX 64 /* bytes of a security.capability value */

#define NV_FTYPE_MAP(X)                                                        \
    X(FILE, "file")                                                            \
    X(DIR, "dir")                                                              \
    X(SYMLINK, "symlink")                                                      \
    X(HARDLINK, "hardlink")                                                    \
    X(CHAR, "char-device")                                                     \
    X(BLOCK, "block-device")                                                   \
    X(FIFO, "fifo")                                                            \
    X(SOCKET, "socket")

enum nv_ftype {
#define NV_FTYPE_ENUM(name, text) NV_FT_##name,
    NV_FTYPE_MAP(NV_FTYPE_ENUM)
#undef NV_FTYPE_ENUM
        NV_FT_COUNT
};

#define NV_ISSUE_MAP(X)                                                        \
    X(ABSOLUTE, "absolute-path", "member path is absolute")                    \
    X(CLIMBS, "climbs-out", "member path climbs out of the image")             \
    X(DUPLICATE, "duplicate", "member appears more than once; the last kept")  \
    X(DEVICE, "device-node", "device node")                                    \
    X(LINK_ESCAPES, "link-escapes", "link target leads out of the image")      \
    X(ELF_MALFORMED, "elf-malformed", "ELF file with a malformed section table")

enum nv_issue_kind {
#define NV_ISSUE_ENUM(name, id, text) NV_ISSUE_##name,
    NV_ISSUE_MAP(NV_ISSUE_ENUM)
#undef NV_ISSUE_ENUM
        NV_ISSUE_COUNT
};

struct nv_mfile {
    const char *path; /* NUL-terminated, may hold any other byte */
    size_t path_len;
    enum nv_ftype type;
    uint32_t mode; /* permission bits with setuid, setgid and sticky */
    uint32_t uid, gid;
    const char *link; /* symlink or hardlink target, else NULL */
    size_t link_len;
    /* File capabilities (the security.capability attribute, as the kernel
     * stores it): privileges without setuid.  NULL when there are none. */
    const unsigned char *caps;
    size_t caps_len;
    struct nv_content content; /* regular files: size and digests */
};

struct nv_missue {
    const char *path;
    size_t path_len;
    enum nv_issue_kind kind;
};

/* What the evaluator says about the build (the statement's predicate). */
struct nv_build_info {
    const char *name, *version, *revision, *toolchain, *evaluator, *date;
};

struct nv_manifest {
    struct nv_arena a; /* owns every string and digest below */
    struct nv_mfile *f;
    size_t n, cap;
    struct nv_missue *issue;
    size_t nissue, issue_cap;
    struct nv_build_info build;
    const char *image;  /* the image's file name ("" for a directory) */
    const char *format; /* "directory", "tar.gz", "squashfs", "deb" ... */
    int has_image_digest;
    unsigned char image_sha256[NV_SHA256_LEN];
    int sorted; /* f is sorted and free of duplicates */
};

/* "file", "symlink" ...; nv_ftype_parse is its inverse (-1: unknown). */
const char *nv_ftype_name(enum nv_ftype t);
int nv_ftype_parse(const char *s);
/* "duplicate" ... and the sentence that explains it; parse: -1 unknown. */
const char *nv_issue_id(enum nv_issue_kind k);
const char *nv_issue_text(enum nv_issue_kind k);
int nv_issue_parse(const char *s);

void nv_manifest_init(struct nv_manifest *m);
void nv_manifest_release(struct nv_manifest *m);

/*
 * Add an entry: the path is cleaned (issues recorded for absolute and
 * climbing paths, links that escape, device nodes) and it and the link
 * are copied into the manifest.  f->content is taken as is.
 */
enum nv_rc nv_manifest_add(struct nv_manifest *m, const struct nv_mfile *f,
                           struct nv_err *err) NV_WUR;

/* Record an issue about path (copied). */
enum nv_rc nv_manifest_issue(struct nv_manifest *m, const char *path,
                             size_t path_len, enum nv_issue_kind kind,
                             struct nv_err *err) NV_WUR;

/* Sort by path; of duplicates keep the last added and record an issue. */
enum nv_rc nv_manifest_finish(struct nv_manifest *m, struct nv_err *err) NV_WUR;

/* The entry with this path in a finished manifest, or NULL. */
const struct nv_mfile *nv_manifest_find(const struct nv_manifest *m,
                                        const char *path, size_t len);

#endif
