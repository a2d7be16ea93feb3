/*
 * evproof.c - making, writing, reading and checking log proofs.
 *
 * A proof is checked in two links: the claim (inclusion or consistency)
 * against the root of the tree it names, then that tree against the
 * signed checkpoint.  Both links are RFC 9162 proofs (merkle.h), so a
 * proof about an older tree stays checkable against the newest
 * checkpoint.
 */
#include "integrity/evproof.h"

#include "core/alloc.h"
#include "core/parse.h"

#include <stdio.h>
#include <string.h>

#define H NV_MERKLE_HASH
#define HASH_B64 44

static const char *const kind_names[] = {"inclusion", "consistency"};

/* ---- making ---- */

/* Begin a proof about the tree of the first size entries of log (0: all
 * the checkpoint signs), tied to the checkpoint. */
static enum nv_rc start(const struct nv_evlog *log, uint64_t size,
                        struct nv_evproof *p, struct nv_err *err)
{
    const struct nv_checkpoint *cp = nv_evlog_checkpoint(log);
    const unsigned char *leaves = nv_evlog_leaves(log);
    enum nv_rc rc = nv_evlog_check(log, err);

    if (rc)
        return rc;
    size = size ? size : cp->size;
    if (size > cp->size)
        return nv_err_set(err, NV_EINVAL, "the log has only %llu entries",
                          (unsigned long long)cp->size);
    memset(p, 0, sizeof *p);
    p->cp = *cp;
    p->size = size;
    nv_merkle_root(leaves, size, p->root);
    return nv_merkle_prove_consistency(leaves, size, cp->size, p->to_cp.h,
                                       &p->to_cp.n, err);
}

enum nv_rc nv_evproof_inclusion(const struct nv_evlog *log, uint64_t index,
                                uint64_t size, struct nv_evproof *p,
                                struct nv_err *err)
{
    struct nv_evproof q;
    enum nv_rc rc = start(log, size, &q, err);

    if (!rc && index >= q.size)
        rc = nv_err_set(err, NV_EINVAL, "no entry %llu in a tree of %llu",
                        (unsigned long long)index, (unsigned long long)q.size);
    if (!rc) {
        q.kind = NV_EVPROOF_INCLUSION;
        q.index = index;
        q.entry = nv_evlog_entry(log, index, &q.entry_len);
        rc = nv_merkle_prove_inclusion(nv_evlog_leaves(log), index, q.size,
                                       q.path.h, &q.path.n, err);
    }
    if (!rc)
        *p = q;
    return rc;
}

enum nv_rc nv_evproof_consistency(const struct nv_evlog *log, uint64_t old_size,
                                  uint64_t size, struct nv_evproof *p,
                                  struct nv_err *err)
{
    struct nv_evproof q;
    enum nv_rc rc = start(log, size, &q, err);

    if (!rc && (old_size == 0 || old_size > q.size))
        rc = nv_err_set(
            err, NV_EINVAL, "no consistency proof from %llu to %llu entries",
            (unsigned long long)old_size, (unsigned long long)q.size);
    if (!rc) {
        q.kind = NV_EVPROOF_CONSISTENCY;
        q.old_size = old_size;
        nv_merkle_root(nv_evlog_leaves(log), old_size, q.old_root);
        rc = nv_merkle_prove_consistency(nv_evlog_leaves(log), old_size, q.size,
                                         q.path.h, &q.path.n, err);
    }
    if (!rc)
        *p = q;
    return rc;
}

/* ---- writing ---- */

static void write_hash(struct nv_jsonw *w, const char *key,
                       const unsigned char *h)
{
    char b64[HASH_B64 + 1];

    nv_base64(h, H, b64);
    nv_jsonw_key(w, key);
    nv_jsonw_str(w, b64);
}

static void write_path(struct nv_jsonw *w, const char *key,
                       const struct nv_evproof_path *path)
{
    char b64[HASH_B64 + 1];

    nv_jsonw_key(w, key);
    nv_jsonw_arr(w);
    for (size_t i = 0; i < path->n; i++) {
        nv_base64(path->h + i * H, H, b64);
        nv_jsonw_str(w, b64);
    }
    nv_jsonw_arr_end(w);
}

/* The members after the common ones: the claim and its proof. */
static void write_claim(const struct nv_evproof *p, const char *entry,
                        struct nv_jsonw *w)
{
    if (p->kind == NV_EVPROOF_INCLUSION) {
        nv_jsonw_key(w, "index");
        nv_jsonw_int(w, (int64_t)p->index);
        nv_jsonw_key(w, "entry");
        nv_jsonw_str(w, entry);
    } else {
        nv_jsonw_key(w, "old_size");
        nv_jsonw_int(w, (int64_t)p->old_size);
        write_hash(w, "old_root", p->old_root);
    }
    write_path(w, "proof", &p->path);
}

enum nv_rc nv_evproof_write(const struct nv_evproof *p, struct nv_jsonw *w,
                            struct nv_err *err)
{
    struct nv_buf cp;
    char *entry = nv_malloc(nv_base64_len(p->entry_len) + 1);
    enum nv_rc rc = entry ? NV_OK : nv_err_set(err, NV_ENOMEM, "out of memory");

    nv_buf_init(&cp, NV_CHECKPOINT_MAX_TEXT);
    if (!rc)
        rc = nv_checkpoint_format(&p->cp, &cp, err);
    if (!rc) {
        nv_base64(p->entry, p->entry_len, entry);
        nv_jsonw_obj(w);
        nv_jsonw_version(w);
        nv_jsonw_key(w, "format");
        nv_jsonw_str(w, NV_EVPROOF_FORMAT);
        nv_jsonw_key(w, "kind");
        nv_jsonw_str(w, kind_names[p->kind]);
        nv_jsonw_key(w, "checkpoint");
        nv_jsonw_strn(w, cp.data, cp.len);
        nv_jsonw_key(w, "size");
        nv_jsonw_int(w, (int64_t)p->size);
        write_hash(w, "root", p->root);
        write_path(w, "checkpoint_proof", &p->to_cp);
        write_claim(p, entry, w);
        nv_jsonw_obj_end(w);
    }
    nv_buf_release(&cp);
    nv_free(entry);
    return rc;
}

/* ---- reading ---- */

struct reader {
    struct nv_json_doc d;
    const struct nv_json *doc;
};

static enum nv_rc bad(const struct reader *r, size_t off, const char *msg,
                      struct nv_err *err)
{
    return nv_json_error_at(err, NV_EPARSE, r->d.text, r->d.len, r->d.name, off,
                            "%s", msg);
}

/* Pass on the failure of a nested reader (base64, the checkpoint) at
 * off: running out of memory as it is, anything else as bad input. */
static enum nv_rc nested(const struct reader *r, size_t off,
                         const struct nv_err *inner, const char *msg,
                         struct nv_err *err)
{
    if (inner->rc == NV_ENOMEM)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    return bad(r, off, msg, err);
}

static enum nv_rc member_size(const struct reader *r, const char *key,
                              uint64_t *out, struct nv_err *err)
{
    const struct nv_json *v;
    int64_t n;
    enum nv_rc rc =
        nv_json_member(&r->d, r->doc, key, NV_JSON_NUMBER, 1, &v, err);

    if (rc)
        return rc;
    if (nv_parse_i64(v->u.str, v->len, 0, (int64_t)NV_EVLOG_MAX_ENTRIES, &n))
        return bad(r, v->off, "a size or index is a whole number up to 2^26",
                   err);
    *out = (uint64_t)n;
    return NV_OK;
}

/* A base64 hash from the string v. */
static enum nv_rc hash_of(const struct reader *r, const struct nv_json *v,
                          unsigned char *out, struct nv_err *err)
{
    struct nv_err inner = {0};

    if (v->type != NV_JSON_STRING)
        return bad(r, v->off, "a hash is a base64 string", err);
    if (nv_checkpoint_hash(v->u.str, v->len, out, &inner))
        return nested(r, v->off, &inner, inner.msg, err);
    return NV_OK;
}

static enum nv_rc member_hash(const struct reader *r, const char *key,
                              unsigned char *out, struct nv_err *err)
{
    const struct nv_json *v;
    enum nv_rc rc =
        nv_json_member(&r->d, r->doc, key, NV_JSON_STRING, 1, &v, err);

    return rc ? rc : hash_of(r, v, out, err);
}

static enum nv_rc member_path(const struct reader *r, const char *key,
                              struct nv_evproof_path *out, struct nv_err *err)
{
    const struct nv_json *v;
    enum nv_rc rc =
        nv_json_member(&r->d, r->doc, key, NV_JSON_ARRAY, 1, &v, err);

    if (!rc && v->len > NV_MERKLE_MAX_PATH)
        rc = bad(r, v->off, "a proof has at most 66 hashes", err);
    for (size_t i = 0; !rc && i < v->len; i++)
        rc = hash_of(r, &v->u.items[i], out->h + i * H, err);
    if (!rc)
        out->n = v->len;
    return rc;
}

static enum nv_rc member_checkpoint(const struct reader *r,
                                    struct nv_checkpoint *cp,
                                    struct nv_err *err)
{
    const struct nv_json *v;
    struct nv_err inner = {0};
    char msg[NV_ERR_MSG_SIZE];
    enum nv_rc rc =
        nv_json_member(&r->d, r->doc, "checkpoint", NV_JSON_STRING, 1, &v, err);

    if (rc || !nv_checkpoint_parse(v->u.str, v->len, r->d.name, cp, &inner))
        return rc;
    snprintf(msg, sizeof msg, "the checkpoint, line %lu: %.200s", inner.line,
             inner.msg);
    return nested(r, v->off, &inner, msg, err);
}

/* The entry, base64 in the document, decoded into a. */
static enum nv_rc member_entry(const struct reader *r, struct nv_arena *a,
                               struct nv_evproof *p, struct nv_err *err)
{
    const struct nv_json *v;
    unsigned char *b;
    size_t n;
    struct nv_err inner = {0};
    enum nv_rc rc =
        nv_json_member(&r->d, r->doc, "entry", NV_JSON_STRING, 1, &v, err);

    if (rc)
        return rc;
    if (nv_unbase64(v->u.str, v->len, &b, &n, &inner))
        return nested(r, v->off, &inner, inner.msg, err);
    p->entry = nv_arena_alloc(a, n ? n : 1);
    if (p->entry)
        memcpy((unsigned char *)p->entry, b, n);
    p->entry_len = n;
    nv_free(b);
    return p->entry ? NV_OK : nv_err_set(err, NV_ENOMEM, "out of memory");
}

/* "format", "kind", and what ties the claim's tree to the checkpoint. */
static enum nv_rc read_common(const struct reader *r, struct nv_evproof *p,
                              struct nv_err *err)
{
    const struct nv_json *format, *kind;
    enum nv_rc rc = nv_json_member(&r->d, r->doc, "format", NV_JSON_STRING, 1,
                                   &format, err);

    if (!rc && strcmp(format->u.str, NV_EVPROOF_FORMAT) != 0)
        rc = bad(r, format->off, "not a netvet-log-proof/1 document", err);
    if (!rc)
        rc = nv_json_member(&r->d, r->doc, "kind", NV_JSON_STRING, 1, &kind,
                            err);
    if (!rc && strcmp(kind->u.str, kind_names[NV_EVPROOF_INCLUSION]) != 0 &&
        strcmp(kind->u.str, kind_names[NV_EVPROOF_CONSISTENCY]) != 0)
        rc = bad(r, kind->off, "the kind is inclusion or consistency", err);
    if (rc)
        return rc;
    p->kind = strcmp(kind->u.str, kind_names[NV_EVPROOF_INCLUSION]) == 0
                  ? NV_EVPROOF_INCLUSION
                  : NV_EVPROOF_CONSISTENCY;
    rc = member_checkpoint(r, &p->cp, err);
    if (!rc)
        rc = member_size(r, "size", &p->size, err);
    if (!rc)
        rc = member_hash(r, "root", p->root, err);
    return rc ? rc : member_path(r, "checkpoint_proof", &p->to_cp, err);
}

enum nv_rc nv_evproof_parse(const char *text, size_t len, const char *name,
                            struct nv_arena *a, struct nv_evproof *p,
                            struct nv_err *err)
{
    struct nv_json *doc;
    struct nv_evproof q;
    struct reader r = {{text, name, len}, NULL};
    enum nv_rc rc;

    if (len > NV_EVPROOF_MAX_TEXT)
        return nv_err_at(err, NV_ELIMIT, name, 0, 0,
                         "a proof has at most %zu bytes", NV_EVPROOF_MAX_TEXT);
    rc = nv_json_parse(text, len, name, a, &doc, err);
    if (rc)
        return rc;
    memset(&q, 0, sizeof q);
    r.doc = doc;
    rc = read_common(&r, &q, err);
    if (!rc && q.kind == NV_EVPROOF_INCLUSION) {
        rc = member_size(&r, "index", &q.index, err);
        if (!rc)
            rc = member_entry(&r, a, &q, err);
    } else if (!rc) {
        rc = member_size(&r, "old_size", &q.old_size, err);
        if (!rc)
            rc = member_hash(&r, "old_root", q.old_root, err);
    }
    if (!rc)
        rc = member_path(&r, "proof", &q.path, err);
    if (!rc)
        *p = q;
    return rc;
}

/* ---- checking ---- */

enum nv_rc nv_evproof_verify(const struct nv_evproof *p,
                             const struct nv_key *trust, struct nv_err *err)
{
    unsigned char leaf[H];
    enum nv_rc rc = nv_checkpoint_verify(&p->cp, trust, err);

    if (rc)
        return rc;
    if (!nv_merkle_verify_consistency(p->size, p->cp.size, p->root, p->cp.root,
                                      p->to_cp.h, p->to_cp.n))
        return nv_err_set(err, NV_ECONFLICT,
                          "the tree of %llu entries is not a prefix of the "
                          "signed tree of %llu",
                          (unsigned long long)p->size,
                          (unsigned long long)p->cp.size);
    if (p->kind == NV_EVPROOF_CONSISTENCY)
        return nv_merkle_verify_consistency(p->old_size, p->size, p->old_root,
                                            p->root, p->path.h, p->path.n)
                   ? NV_OK
                   : nv_err_set(err, NV_ECONFLICT,
                                "the tree of %llu entries is not a prefix of "
                                "the tree of %llu",
                                (unsigned long long)p->old_size,
                                (unsigned long long)p->size);
    rc = nv_merkle_leaf(p->entry, p->entry_len, leaf, err);
    if (!rc && !nv_merkle_verify_inclusion(leaf, p->index, p->size, p->path.h,
                                           p->path.n, p->root))
        rc = nv_err_set(
            err, NV_ECONFLICT, "entry %llu is not in the tree of %llu entries",
            (unsigned long long)p->index, (unsigned long long)p->size);
    return rc;
}
