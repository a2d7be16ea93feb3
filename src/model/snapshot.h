/*
 * snapshot.h - the binary snapshot: a finished model as it lies in
 * memory, written once and loaded in a fraction of the time its JSON
 * takes to parse (docs/formats.md, "Binary snapshot").
 *
 * The file holds each table's records as they are laid out in memory,
 * with every pointer replaced by an offset into the file's string or
 * array region, plus the id maps' inputs, the vendor resolutions and the
 * graph.  Loading maps the file, checks every offset, index, enum and
 * range before any of it is used, and points the strings into the
 * mapping, which the model keeps until it is freed.  Because the layout
 * is that of this build, the header carries a fingerprint of it: a
 * snapshot written by a build with other record layouts is refused with
 * the advice to re-save it, never misread.
 */
#ifndef NV_SNAPSHOT_H
#define NV_SNAPSHOT_H

#include "model/model.h"

#include <stdint.h>

/* Whether the n bytes at data begin like a binary snapshot. */
int nv_snapshot_is(const void *data, size_t n);

/* Whether the file at path begins like a binary snapshot (0 when it
 * cannot be read: the caller's loader will say why). */
int nv_snapshot_file_is(const char *path);

/* Write the finished model m to path, replacing it whole or not at all. */
enum nv_rc nv_snapshot_save(const struct nv_model *m, const char *path,
                            struct nv_err *err) NV_WUR;

/* Load the snapshot at path as a finished model; *out is set only on
 * success and is freed with nv_model_free. */
enum nv_rc nv_snapshot_load(const char *path, struct nv_model **out,
                            struct nv_err *err) NV_WUR;

/* Load a snapshot held in memory, data[0..n), known by name in errors;
 * the model keeps pointers into data, which must outlive it. */
enum nv_rc nv_snapshot_load_mem(const char *name, const void *data, size_t n,
                                struct nv_model **out,
                                struct nv_err *err) NV_WUR;

/* Check the header and the checksum of the snapshot at path: damage
 * that the structural checks of loading cannot see (a changed character
 * of a name), at the cost of reading every byte once more. */
enum nv_rc nv_snapshot_verify(const char *path, struct nv_err *err) NV_WUR;

/* The checksum a header carries over bytes data[0..n) (the fuzz target
 * uses it to reach past the check into the structure). */
uint64_t nv_snapshot_checksum(const void *data, size_t n);

/* The size of the fixed header, where the checksummed bytes begin. */
size_t nv_snapshot_header_size(void);

#endif
