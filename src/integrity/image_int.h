/*
 * image_int.h - the readers behind image.h, one per kind of image, and
 * the bookkeeping they share.
 */
#ifndef NV_IMAGE_INT_H
#define NV_IMAGE_INT_H

#include "core/buf.h"
#include "integrity/image.h"

/* Counts members and unpacked bytes against the limits. */
struct image_budget {
    const struct nv_image_limits *l;
    const char *path;
    uint64_t entries, bytes;
};

/* Charge one member, then n more unpacked bytes, of which packed bytes
 * were read so far from the image; NV_ELIMIT names the image. */
enum nv_rc image_charge_entry(struct image_budget *b,
                              struct nv_err *err) NV_WUR;
enum nv_rc image_charge_bytes(struct image_budget *b, uint64_t n,
                              uint64_t packed, struct nv_err *err) NV_WUR;

/* Append "/name" to a walk's path ("name" at the root): NV_ELIMIT when
 * the path would be too long, NV_ENOMEM when out of memory. */
enum nv_rc image_path_push(struct nv_buf *path, const char *name,
                           struct nv_err *err) NV_WUR;

enum nv_rc image_read_dir(const char *path, const struct nv_image_limits *l,
                          struct nv_manifest *m, struct nv_err *err) NV_WUR;
/* deb: a Debian package, whose data.tar.* is read. */
enum nv_rc image_read_archive(const char *path, int deb,
                              const struct nv_image_limits *l,
                              struct nv_manifest *m, struct nv_err *err) NV_WUR;
enum nv_rc image_read_squashfs(const char *path,
                               const struct nv_image_limits *l,
                               struct nv_manifest *m,
                               struct nv_err *err) NV_WUR;

#endif
