/*
 * image.h - the manifest of an image: a directory, an archive (tar with
 * any compression, cpio, zip, ar, a Debian package's data.tar.*) or a
 * squashfs file system.
 *
 * Nothing is ever extracted or followed: members are read as streams,
 * symlinks are recorded, not resolved, and device nodes are not opened.
 * Memory stays bounded (one ELF member at a time, NV_CONTENT_ELF_LIMIT),
 * and the limits below stop decompression bombs.
 */
#ifndef NV_IMAGE_H
#define NV_IMAGE_H

#include "integrity/manifest.h"

struct nv_progress;

struct nv_image_limits {
    uint64_t max_bytes;   /* uncompressed bytes in all members */
    uint64_t max_ratio;   /* uncompressed per compressed byte ... */
    uint64_t ratio_after; /* ... once this many bytes were unpacked */
    uint64_t max_entries;
    uint64_t read_window; /* a directory's files up to this size are read
                           * whole; larger ones a window of it at a time */
    uint32_t threads;     /* for directories; 0: one per core */
    /* Borrowed; ticked by the files of a directory hashed, or the bytes
     * of an archive read.  NULL: none. */
    struct nv_progress *progress;
};

/* 64 GiB, ratio 1000 after 1 GiB, 10 million entries, files read 4 MiB
 * at a time, all cores, no progress. */
void nv_image_limits_default(struct nv_image_limits *l);

/* Read the image at path into m (initialised, empty) and finish it.  The
 * image's kind is found from its bytes, not its name. */
enum nv_rc nv_image_read(const char *path, const struct nv_image_limits *l,
                         struct nv_manifest *m, struct nv_err *err) NV_WUR;

#endif
