/*
 * dsse.c - DSSE envelopes: JSON through json.h, signatures through
 * crypto.h.
 */
#include "integrity/dsse.h"

#include "core/alloc.h"
#include "core/arena.h"
#include "core/json.h"
#include "core/threads.h"

#include <stdatomic.h>
#include <string.h>

#define MAX_ENVELOPE_SIGS 64
#define MAX_PAE ((size_t)1 << 31)

/* The pre-authentication encoding, the bytes a signature covers: its
 * head is written in the room before the payload, which is not copied. */
struct pae {
    const char *data;
    size_t len;
};

static enum nv_rc pae(struct pae *b, const char *type, unsigned char *payload,
                      size_t n, struct nv_err *err)
{
    char head[NV_DSSE_HEAD_ROOM];
    int h = snprintf(head, sizeof head, "DSSEv1 %zu %s %zu ", strlen(type),
                     type, n);
    if (h < 0 || (size_t)h >= sizeof head || n > MAX_PAE)
        return nv_err_set(err, NV_ELIMIT, "payload too large to sign");
    memcpy(payload - h, head, (size_t)h);
    b->data = (const char *)payload - h;
    b->len = (size_t)h + n;
    return NV_OK;
}

/* A copy of payload[0..n) with the encoding's room before it; free it
 * with nv_free. */
static unsigned char *with_room(const void *payload, size_t n,
                                struct nv_err *err)
{
    unsigned char *room = n > MAX_PAE ? NULL : nv_malloc(NV_DSSE_HEAD_ROOM + n);
    if (!room) {
        nv_err_set(err, n > MAX_PAE ? NV_ELIMIT : NV_ENOMEM,
                   n > MAX_PAE ? "payload too large to sign" : "out of memory");
        return NULL;
    }
    memcpy(room + NV_DSSE_HEAD_ROOM, payload, n);
    return room;
}

struct writing {
    FILE *out;
    const char *type;
    const unsigned char *payload;
    size_t n;
    const struct nv_key *const *keys;
    size_t nkeys;
    struct pae msg;
    unsigned char (*sigs)[NV_ED25519_SIG_LEN];
    enum nv_rc rc;
    struct nv_err err;
    atomic_int next;
};

static void sign_all(struct writing *w)
{
    for (size_t i = 0; !w->rc && i < w->nkeys; i++)
        w->rc = nv_key_sign(w->keys[i], w->msg.data, w->msg.len, w->sigs[i],
                            &w->err);
}

/* The envelope up to the signatures; base64 in slices, so a large payload
 * needs no second copy. */
static void write_payload(struct writing *w)
{
    enum { SLICE = 3 << 18 };
    char text[SLICE / 3 * 4 + 1];
    fprintf(w->out, "{\"payloadType\":\"%s\",\"payload\":\"", w->type);
    for (size_t at = 0; at < w->n; at += SLICE) {
        size_t len = w->n - at < SLICE ? w->n - at : SLICE;
        nv_base64(w->payload + at, len, text);
        fputs(text, w->out);
    }
    fputs("\",\"signatures\":[", w->out);
}

/* Signing (two passes of SHA-512 over the whole message) and writing the
 * payload are independent: each takes a core. */
static void *writing_job(void *arg)
{
    struct writing *w = arg;
    int job;
    while ((job = atomic_fetch_add(&w->next, 1)) < 2)
        if (job == 0)
            sign_all(w);
        else
            write_payload(w);
    return NULL;
}

static int plain_type(const char *type)
{
    for (const char *c = type; *c; c++)
        if (*c < 0x20 || *c > 0x7E || *c == '"' || *c == '\\')
            return 0;
    return 1;
}

enum nv_rc nv_dsse_write_in_place(FILE *out, const char *type,
                                  unsigned char *payload, size_t n,
                                  const struct nv_key *const *keys,
                                  size_t nkeys, struct nv_err *err)
{
    if (!plain_type(type))
        return nv_err_set(err, NV_EINVAL, "payload type must be plain ASCII");
    struct writing w = {0};
    w.out = out;
    w.type = type;
    w.payload = payload;
    w.n = n;
    w.keys = keys;
    w.nkeys = nkeys;
    atomic_init(&w.next, 0);
    enum nv_rc rc = pae(&w.msg, type, payload, n, err);
    if (!rc && !(w.sigs = nv_calloc(nkeys ? nkeys : 1, sizeof *w.sigs)))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    if (!rc)
        nv_threads_run(2, writing_job, &w);
    if (!rc && w.rc)
        rc = nv_err_set(err, w.rc, "%s", w.err.msg);
    for (size_t i = 0; !rc && i < nkeys; i++) {
        char sig[NV_ED25519_SIG_LEN * 2];
        nv_base64(w.sigs[i], NV_ED25519_SIG_LEN, sig);
        fprintf(out, "%s{\"keyid\":\"%s\",\"sig\":\"%s\"}", i ? "," : "",
                nv_key_id(keys[i]), sig);
    }
    if (!rc && (fputs("]}\n", out) < 0 || fflush(out) != 0 || ferror(out)))
        rc = nv_err_set(err, NV_EIO, "cannot write the envelope");
    nv_free(w.sigs);
    return rc;
}

enum nv_rc nv_dsse_write(FILE *out, const char *type, const void *payload,
                         size_t n, const struct nv_key *const *keys,
                         size_t nkeys, struct nv_err *err)
{
    unsigned char *room = with_room(payload, n, err);
    if (!room)
        return err->rc;
    enum nv_rc rc = nv_dsse_write_in_place(out, type, room + NV_DSSE_HEAD_ROOM,
                                           n, keys, nkeys, err);
    nv_free(room);
    return rc;
}

struct envelope {
    const char *text, *name;
    size_t len;
    const struct nv_json *root;
};

static enum nv_rc bad(const struct envelope *e, const struct nv_json *at,
                      struct nv_err *err, const char *what)
{
    return nv_json_error_at(err, NV_EPARSE, e->text, e->len, e->name,
                            at ? at->off : 0, "DSSE envelope: %s", what);
}

/* The string member key of o, or an error naming it. */
static enum nv_rc member_str(const struct envelope *e, const struct nv_json *o,
                             const char *key, const struct nv_json **out,
                             struct nv_err *err)
{
    const struct nv_json *v = nv_json_get(o, key);
    if (!v || v->type != NV_JSON_STRING) {
        char what[64];
        snprintf(what, sizeof what, "\"%s\" must be a string", key);
        return bad(e, v ? v : o, err, what);
    }
    *out = v;
    return NV_OK;
}

/* Count the distinct trusted keys that signed msg in sigs. */
static enum nv_rc count_valid(const struct envelope *e,
                              const struct nv_json *sigs, const struct pae *msg,
                              const struct nv_key *const *trust, size_t ntrust,
                              size_t *valid, struct nv_err *err)
{
    unsigned char counted[MAX_ENVELOPE_SIGS] = {0};
    for (size_t i = 0; i < sigs->len; i++) {
        const struct nv_json *s;
        unsigned char *sig = NULL;
        size_t n = 0;
        if (member_str(e, &sigs->u.items[i], "sig", &s, err))
            return err->rc;
        if (nv_unbase64(s->u.str, s->len, &sig, &n, NULL))
            return bad(e, s, err, "a signature is not base64");
        for (size_t k = 0; k < ntrust && k < MAX_ENVELOPE_SIGS; k++)
            if (!counted[k] &&
                nv_key_verify(trust[k], msg->data, msg->len, sig, n)) {
                counted[k] = 1;
                ++*valid;
                break;
            }
        nv_free(sig);
    }
    return NV_OK;
}

static enum nv_rc check(const struct envelope *e, const char *type,
                        const struct nv_key *const *trust, size_t ntrust,
                        size_t threshold, struct nv_dsse *d, struct nv_err *err)
{
    const struct nv_json *t, *p, *sigs = nv_json_get(e->root, "signatures");
    if (member_str(e, e->root, "payloadType", &t, err) ||
        member_str(e, e->root, "payload", &p, err))
        return err->rc;
    if (!sigs || sigs->type != NV_JSON_ARRAY || sigs->len == 0 ||
        sigs->len > MAX_ENVELOPE_SIGS)
        return bad(e, sigs ? sigs : e->root, err,
                   "\"signatures\" must be an array of 1 to 64 signatures");
    if (type && strcmp(t->u.str, type) != 0)
        return nv_err_set(err, NV_ECRYPTO,
                          "%s: payload type is \"%s\", not "
                          "\"%s\"",
                          e->name, t->u.str, type);
    if (nv_unbase64(p->u.str, p->len, &d->payload, &d->n, NULL))
        return bad(e, p, err, "the payload is not base64");
    struct pae msg;
    unsigned char *room = with_room(d->payload, d->n, err);
    enum nv_rc rc =
        room ? pae(&msg, t->u.str, room + NV_DSSE_HEAD_ROOM, d->n, err)
             : err->rc;
    if (!rc)
        rc = count_valid(e, sigs, &msg, trust, ntrust, &d->valid, err);
    nv_free(room);
    if (!rc && d->valid < (threshold ? threshold : 1))
        rc = nv_err_set(err, NV_ECRYPTO,
                        "%s: %zu valid signature%s by "
                        "trusted keys, %zu needed",
                        e->name, d->valid, d->valid == 1 ? "" : "s",
                        threshold ? threshold : 1);
    if (!rc && !(d->type = nv_malloc(t->len + 1)))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    if (!rc)
        memcpy(d->type, t->u.str, t->len + 1);
    return rc;
}

enum nv_rc nv_dsse_open(const char *text, size_t len, const char *name,
                        const char *type, const struct nv_key *const *trust,
                        size_t ntrust, size_t threshold, struct nv_dsse *out,
                        struct nv_err *err)
{
    struct nv_arena a;
    struct nv_json *root = NULL;
    struct nv_dsse d = {0};
    struct envelope e = {text, name, len, NULL};
    nv_arena_init(&a);
    enum nv_rc rc = nv_json_parse(text, len, name, &a, &root, err);
    e.root = root;
    if (!rc && root->type != NV_JSON_OBJECT)
        rc = bad(&e, root, err, "not a JSON object");
    if (!rc)
        rc = check(&e, type, trust, ntrust, threshold, &d, err);
    nv_arena_release(&a);
    if (rc) {
        nv_dsse_release(&d);
        return rc;
    }
    *out = d;
    return NV_OK;
}

void nv_dsse_release(struct nv_dsse *d)
{
    nv_free(d->type);
    nv_free(d->payload);
    memset(d, 0, sizeof *d);
}
