/*
 * diff.h - what differs between an evaluated manifest and an image.
 *
 * Files are matched by path.  A changed ELF file is compared section by
 * section: if only .note.gnu.build-id and .gnu_debuglink differ, the
 * change is rebuild noise (the same code and data, built again); any
 * other section, or the bytes outside sections, make it a code/data
 * change.  Files that are not ELF can only be "changed".
 */
#ifndef NV_DIFF_H
#define NV_DIFF_H

#include "integrity/manifest.h"

/* What changed about one path (bits). */
enum {
    NV_DIFF_ADDED = 1,
    NV_DIFF_REMOVED = 2,
    NV_DIFF_TYPE = 4,
    NV_DIFF_CONTENT = 8,
    NV_DIFF_MODE = 16,
    NV_DIFF_OWNER = 32,
    NV_DIFF_LINK = 64,
    NV_DIFF_CAPS = 128
};

enum nv_diff_class {
    NV_DIFF_NOT_CONTENT, /* the content is the same */
    NV_DIFF_NOISE,       /* ELF, only build-id and debug link differ */
    NV_DIFF_CODE,        /* ELF, code or data sections differ */
    NV_DIFF_OPAQUE       /* not ELF on both sides: the bytes differ */
};

struct nv_change {
    const struct nv_mfile *want, *got; /* NULL when removed / added */
    unsigned what;
    enum nv_diff_class cls;
    const char **sections; /* names of the sections that differ */
    uint32_t nsections;
};

struct nv_diff {
    struct nv_arena a;
    struct nv_change *v;
    size_t n, cap;
    const struct nv_missue **issues; /* the image's, not in the manifest */
    size_t nissues;
    size_t added, removed, changed, noise, code, metadata;
};

/* Compare finished manifests: want (evaluated) and got (the image). */
enum nv_rc nv_diff_compute(const struct nv_manifest *want,
                           const struct nv_manifest *got, struct nv_diff *d,
                           struct nv_err *err) NV_WUR;

void nv_diff_release(struct nv_diff *d);

/* Whether the only differences are rebuild noise. */
int nv_diff_only_noise(const struct nv_diff *d);

#endif
