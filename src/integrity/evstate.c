/*
 * evstate.c - writing and reading the evidence log's tree state (see
 * evstate.h).  The parser checks the form only and bounds every number,
 * so that a hostile state can at worst send an append to the full
 * verification it stands in for.
 */
#include "integrity/evstate.h"

#include <string.h>

#define H NV_MERKLE_HASH
#define MAGIC "NVLSTAT1"
/* The longest record: a 4-byte length and an entry of up to 1 MiB, as
 * evlog.h has it. */
#define MAX_RECORD (4 + ((uint64_t)1 << 20))

void nv_evstate_init(struct nv_evstate *st)
{
    nv_merkle_edge_init(&st->edge);
    st->end = 0;
    st->last = 0;
}

void nv_evstate_push(struct nv_evstate *st, const unsigned char *leaf, size_t n)
{
    nv_merkle_edge_push(&st->edge, leaf);
    st->last = st->end;
    st->end += 4 + (uint64_t)n;
}

static void put_be64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

static uint64_t get_be64(const unsigned char *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

enum nv_rc nv_evstate_format(const struct nv_evstate *st, struct nv_buf *out,
                             struct nv_err *err)
{
    unsigned char head[NV_EVSTATE_HEAD];
    uint64_t size = st->edge.size;
    enum nv_rc rc;

    memcpy(head, MAGIC, 8);
    put_be64(head + 8, size);
    put_be64(head + 16, st->end);
    put_be64(head + 24, st->last);
    rc = nv_buf_add(out, head, sizeof head);
    if (!rc)
        rc = nv_buf_add(out, st->edge.h, nv_merkle_edge_roots(size) * H);
    if (!rc)
        rc = nv_buf_add(out, st->edge.path, nv_merkle_edge_path(size) * H);
    return rc ? nv_err_set(err, rc, "cannot write the log state") : NV_OK;
}

static enum nv_rc bad(const char *name, size_t at, const char *what,
                      struct nv_err *err)
{
    return nv_err_at(err, NV_EPARSE, name, 0, 0, "byte %zu: %s", at, what);
}

enum nv_rc nv_evstate_parse(const void *data, size_t len, const char *name,
                            struct nv_evstate *st, struct nv_err *err)
{
    const unsigned char *p = data;
    uint64_t size, end, last;
    size_t roots, path, want;

    if (len < NV_EVSTATE_HEAD || memcmp(p, MAGIC, 8) != 0)
        return bad(name, 0, "not a log state", err);
    size = get_be64(p + 8);
    end = get_be64(p + 16);
    last = get_be64(p + 24);
    if (size == 0 || size > ((uint64_t)1 << 62))
        return bad(name, 8, "the tree size is out of range", err);
    if (last >= end || end - last < 4 || end - last > MAX_RECORD ||
        end > ((uint64_t)1 << 62))
        return bad(name, 16, "the last record does not fit", err);
    roots = nv_merkle_edge_roots(size);
    path = nv_merkle_edge_path(size);
    want = NV_EVSTATE_HEAD + (roots + path) * H;
    if (len != want)
        return bad(name, len < want ? len : want,
                   "the length does not match the tree size", err);
    st->edge.size = size;
    memcpy(st->edge.h, p + NV_EVSTATE_HEAD, roots * H);
    memcpy(st->edge.path, p + NV_EVSTATE_HEAD + roots * H, path * H);
    st->end = end;
    st->last = last;
    return NV_OK;
}
