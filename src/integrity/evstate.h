/*
 * evstate.h - the evidence log's tree state: the right edge of its
 * Merkle tree and where its last record lies, kept beside the checkpoint
 * so that an append needs neither to read nor to hash the entries before
 * it.
 *
 * The state is a cache, never an authority: an append uses it only when
 * its edge folds to the signed root, its size is the checkpoint's, the
 * entries file ends where it says and its last record hashes to the
 * edge's last leaf; otherwise the whole log is verified and the state
 * rebuilt (evlog.c).  The file, `state`, is binary, big endian:
 *
 *   "NVLSTAT1"   8 bytes of magic
 *   size         8 bytes: the tree size, at least 1
 *   end          8 bytes: the byte after the last record
 *   last         8 bytes: where the last record starts
 *   roots        32 bytes each, one per set bit of size (merkle.h)
 *   path         32 bytes each, one per trailing zero bit of size
 *
 * and nothing after them.
 */
#ifndef NV_EVSTATE_H
#define NV_EVSTATE_H

#include "core/buf.h"
#include "core/err.h"
#include "integrity/merkle.h"

#include <stddef.h>
#include <stdint.h>

#define NV_EVSTATE_HEAD 32
/* No valid state is longer; the parser refuses longer input. */
#define NV_EVSTATE_MAX_TEXT (NV_EVSTATE_HEAD + 128 * NV_MERKLE_HASH)

struct nv_evstate {
    struct nv_merkle_edge edge;
    uint64_t end;  /* the byte after the last record */
    uint64_t last; /* where the last record starts */
};

/* The state of the empty log. */
void nv_evstate_init(struct nv_evstate *st);

/*
 * Account for a record of an entry of n bytes whose leaf hash is leaf,
 * written after the last one.
 */
void nv_evstate_push(struct nv_evstate *st, const unsigned char *leaf,
                     size_t n);

/* Append the bytes of st, as described above, to out. */
enum nv_rc nv_evstate_format(const struct nv_evstate *st, struct nv_buf *out,
                             struct nv_err *err) NV_WUR;

/*
 * Parse data[0..len) into st; NV_EPARSE (naming name and the byte) if it
 * is not exactly the form above with a record that fits between last and
 * end.  Nothing is checked against the log: that is the caller's part.
 */
enum nv_rc nv_evstate_parse(const void *data, size_t len, const char *name,
                            struct nv_evstate *st, struct nv_err *err) NV_WUR;

#endif
