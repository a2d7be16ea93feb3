/*
 * update_doc.c - the documents of an update check: the trust root, the
 * targets metadata (the signed payload) and the state of a trust root.
 *
 * All three are strict: a member that is not known is an error, so that
 * a misspelt "treshold" cannot silently fall back to something weaker.
 * Every error carries the file, line and column.
 */
#include "integrity/update_int.h"

#include "core/alloc.h"
#include "core/parse.h"
#include "core/version.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define ROOT_SPEC "netvet-update-root/1"
#define META_SPEC "netvet-update/1"
#define STATE_SPEC "netvet-update-state/1"

static enum nv_rc bad(const struct nv_json_doc *d, size_t off,
                      struct nv_err *err, const char *fmt, ...) NV_PRINTF(4, 5);

static enum nv_rc bad(const struct nv_json_doc *d, size_t off,
                      struct nv_err *err, const char *fmt, ...)
{
    char msg[NV_ERR_MSG_SIZE];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return nv_json_error_at(err, NV_EPARSE, d->text, d->len, d->name, off, "%s",
                            msg);
}

/* Fail on the first member of o not named in allowed (NULL-terminated). */
static enum nv_rc known_members(const struct nv_json_doc *d,
                                const struct nv_json *o,
                                const char *const *allowed, struct nv_err *err)
{
    for (size_t i = 0; i < o->len; i++) {
        const struct nv_json_member *m = &o->u.members[i];
        size_t k = 0;
        while (allowed[k] && strcmp(allowed[k], m->key) != 0)
            k++;
        if (!allowed[k])
            return bad(d, m->koff, err, "unknown member \"%s\"", m->key);
    }
    return NV_OK;
}

/* Parse the document d into a, whose root must be an object with only
 * the allowed members. */
static enum nv_rc parse_object(const struct nv_json_doc *d, struct nv_arena *a,
                               const char *const *allowed,
                               const struct nv_json **out, struct nv_err *err)
{
    struct nv_json *root;
    enum nv_rc rc = nv_json_parse(d->text, d->len, d->name, a, &root, err);

    if (rc)
        return rc;
    if (root->type != NV_JSON_OBJECT)
        return bad(d, root->off, err, "expected a JSON object");
    *out = root;
    return known_members(d, root, allowed, err);
}

/* A whole number member, at least min. */
static enum nv_rc member_int(const struct nv_json_doc *d,
                             const struct nv_json *o, const char *key,
                             int64_t min, int64_t *out, struct nv_err *err)
{
    const struct nv_json *v = NULL;
    enum nv_rc rc = nv_json_member(d, o, key, NV_JSON_NUMBER, 1, &v, err);

    if (!rc && nv_parse_i64(v->u.str, v->len, min, INT64_MAX, out))
        return bad(d, v->off, err, "\"%s\" must be a whole number from %lld",
                   key, (long long)min);
    return rc;
}

/* A string member that must be exactly want. */
static enum nv_rc member_word(const struct nv_json_doc *d,
                              const struct nv_json *o, const char *key,
                              const char *want, struct nv_err *err)
{
    const struct nv_json *v = NULL;
    enum nv_rc rc = nv_json_member(d, o, key, NV_JSON_STRING, 1, &v, err);

    if (!rc && strcmp(v->u.str, want) != 0)
        return bad(d, v->off, err, "\"%s\" must be \"%s\"", key, want);
    return rc;
}

/* A string member of 2n hex digits, decoded into out[0..n). */
static enum nv_rc member_hex(const struct nv_json_doc *d,
                             const struct nv_json *o, const char *key,
                             unsigned char *out, size_t n, struct nv_err *err)
{
    const struct nv_json *v = NULL;
    enum nv_rc rc = nv_json_member(d, o, key, NV_JSON_STRING, 1, &v, err);

    if (!rc && nv_unhex(v->u.str, v->len, out, n, NULL))
        return bad(d, v->off, err, "\"%s\" must be %zu hex digits", key, 2 * n);
    return rc;
}

/* ---- trust roots ---- */

static const char *const root_members[] = {"spec", "threshold", "keys",
                                           "netvet_version", NULL};
static const char *const key_members[] = {"keyid", "public", NULL};

/* Add the key described by k to r, refusing a wrong key id or a key
 * listed before. */
static enum nv_rc root_key(const struct nv_json_doc *d, const struct nv_json *k,
                           struct nv_update_root *r, struct nv_err *err)
{
    unsigned char id[NV_SHA256_LEN], pub[NV_ED25519_PUB_LEN];
    unsigned char want[NV_SHA256_LEN];

    if (k->type != NV_JSON_OBJECT)
        return bad(d, k->off, err, "a key must be an object");
    if (known_members(d, k, key_members, err) ||
        member_hex(d, k, "keyid", id, sizeof id, err) ||
        member_hex(d, k, "public", pub, sizeof pub, err))
        return err->rc;
    nv_sha256(pub, sizeof pub, want);
    if (memcmp(id, want, sizeof id) != 0)
        return bad(d, nv_json_get(k, "keyid")->off, err,
                   "\"keyid\" is not the SHA-256 of \"public\"");
    for (size_t i = 0; i < r->n; i++)
        if (memcmp(nv_key_public(r->keys[i]), pub, sizeof pub) == 0)
            return bad(d, k->off, err, "this key is listed twice");
    if (nv_key_from_public(pub, &r->keys[r->n], NULL))
        return bad(d, nv_json_get(k, "public")->off, err,
                   "\"public\" is not an Ed25519 public key");
    r->n++;
    return NV_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The id hashes the threshold and the sorted key ids: the same set of
 * keys is the same root, whatever the order or layout of the file. */
static void root_id(struct nv_update_root *r)
{
    const char *ids[NV_UPDATE_MAX_KEYS];
    char text[NV_UPDATE_MAX_KEYS * NV_KEYID_HEX + 64];
    unsigned char digest[NV_SHA256_LEN];
    size_t len;

    for (size_t i = 0; i < r->n; i++)
        ids[i] = nv_key_id(r->keys[i]);
    qsort(ids, r->n, sizeof ids[0], cmp_str);
    len = (size_t)snprintf(text, sizeof text, "%s %zu\n", ROOT_SPEC,
                           r->threshold);
    for (size_t i = 0; i < r->n; i++) {
        memcpy(text + len, ids[i], NV_KEYID_HEX - 1);
        len += NV_KEYID_HEX - 1;
        text[len++] = '\n';
    }
    nv_sha256(text, len, digest);
    nv_hex(digest, sizeof digest, r->id);
}

static enum nv_rc root_fill(const struct nv_json_doc *d,
                            const struct nv_json *o, struct nv_update_root *r,
                            struct nv_err *err)
{
    const struct nv_json *keys, *t;
    int64_t threshold;

    if (member_word(d, o, "spec", ROOT_SPEC, err) ||
        nv_json_member(d, o, "keys", NV_JSON_ARRAY, 1, &keys, err) ||
        member_int(d, o, "threshold", 1, &threshold, err))
        return err->rc;
    if (keys->len == 0 || keys->len > NV_UPDATE_MAX_KEYS)
        return bad(d, keys->off, err, "\"keys\" must list 1 to %d keys",
                   NV_UPDATE_MAX_KEYS);
    for (size_t i = 0; i < keys->len; i++)
        if (root_key(d, &keys->u.items[i], r, err))
            return err->rc;
    t = nv_json_get(o, "threshold");
    if ((uint64_t)threshold > r->n)
        return bad(d, t->off, err,
                   "\"threshold\" must be from 1 to %zu, the number of keys",
                   r->n);
    r->threshold = (size_t)threshold;
    root_id(r);
    return NV_OK;
}

enum nv_rc nv_update_root_parse(const char *text, size_t len, const char *name,
                                struct nv_update_root **out, struct nv_err *err)
{
    struct nv_json_doc d = {text, name, len};
    struct nv_update_root *r = nv_calloc(1, sizeof *r);
    const struct nv_json *o;
    struct nv_arena a;
    enum nv_rc rc;

    if (!r)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    nv_arena_init(&a);
    rc = parse_object(&d, &a, root_members, &o, err);
    if (!rc)
        rc = root_fill(&d, o, r, err);
    nv_arena_release(&a);
    if (rc) {
        nv_update_root_free(r);
        return rc;
    }
    *out = r;
    return NV_OK;
}

void nv_update_root_free(struct nv_update_root *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        nv_key_free(r->keys[i]);
    nv_free(r);
}

const char *nv_update_root_id(const struct nv_update_root *r)
{
    return r->id;
}

static int distinct_keys(const struct nv_key *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(nv_key_id(keys[i]), nv_key_id(keys[j])) == 0)
                return 0;
    return 1;
}

enum nv_rc nv_update_root_write(FILE *out, const struct nv_key *const *keys,
                                size_t n, size_t threshold, struct nv_err *err)
{
    char pub[2 * NV_ED25519_PUB_LEN + 1];
    struct nv_jsonw *w;
    enum nv_rc rc;

    if (n == 0 || n > NV_UPDATE_MAX_KEYS || !distinct_keys(keys, n))
        return nv_err_set(err, NV_EINVAL,
                          "a trust root needs 1 to %d "
                          "distinct keys",
                          NV_UPDATE_MAX_KEYS);
    if (threshold == 0 || threshold > n)
        return nv_err_set(err, NV_EINVAL,
                          "the threshold must be from 1 to "
                          "%zu, the number of keys",
                          n);
    if (!(w = nv_jsonw_new(out, 1)))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    nv_jsonw_obj(w);
    nv_jsonw_version(w);
    nv_jsonw_key(w, "spec");
    nv_jsonw_str(w, ROOT_SPEC);
    nv_jsonw_key(w, "threshold");
    nv_jsonw_int(w, (int64_t)threshold);
    nv_jsonw_key(w, "keys");
    nv_jsonw_arr(w);
    for (size_t i = 0; i < n; i++) {
        nv_hex(nv_key_public(keys[i]), NV_ED25519_PUB_LEN, pub);
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "keyid");
        nv_jsonw_str(w, nv_key_id(keys[i]));
        nv_jsonw_key(w, "public");
        nv_jsonw_str(w, pub);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
    nv_jsonw_obj_end(w);
    rc = nv_jsonw_finish(w, err);
    nv_jsonw_free(w);
    return rc;
}

/* ---- time ---- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; y >= 1970). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    int64_t era, yoe, doy;

    y -= m <= 2;
    era = y / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static int64_t month_days(int64_t y, int64_t m)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30,
                                           31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return days[m - 1] + (m == 2 && leap);
}

enum nv_rc nv_update_parse_time(const char *s, size_t n, int64_t *out)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    static const unsigned char at[6] = {0, 5, 8, 11, 14, 17};
    int64_t f[6] = {0}; /* year, month, day, hour, minute, second */

    if (n != sizeof shape - 1)
        return NV_EPARSE;
    for (size_t i = 0; i < n; i++)
        if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
            return NV_EPARSE;
    for (size_t i = 0; i < 6; i++)
        for (size_t k = at[i]; k < at[i] + (i ? 2u : 4u); k++)
            f[i] = f[i] * 10 + (s[k] - '0');
    if (f[0] < 1970 || f[1] < 1 || f[1] > 12 || f[2] < 1 ||
        f[2] > month_days(f[0], f[1]) || f[3] > 23 || f[4] > 59 || f[5] > 59)
        return NV_EPARSE;
    *out = days_from_civil(f[0], f[1], f[2]) * 86400 + f[3] * 3600 + f[4] * 60 +
           f[5];
    return NV_OK;
}

/* ---- targets metadata ---- */

static const char *const meta_members[] = {"_type",   "spec",    "version",
                                           "expires", "targets", NULL};
static const char *const target_members[] = {"length", "sha256", "hardware",
                                             NULL};

static enum nv_rc parse_hardware(const struct nv_json_doc *d,
                                 const struct nv_json *v, struct nv_err *err)
{
    int ok = v->type == NV_JSON_ARRAY && v->len > 0;

    for (size_t i = 0; ok && i < v->len; i++)
        ok = v->u.items[i].type == NV_JSON_STRING && v->u.items[i].len > 0;
    if (!ok)
        return bad(d, v->off, err,
                   "\"hardware\" must be a non-empty array of identifiers");
    return NV_OK;
}

static enum nv_rc parse_target(const struct nv_json_doc *d,
                               const struct nv_json *v,
                               struct nv_update_target *t, struct nv_err *err)
{
    if (v->type != NV_JSON_OBJECT)
        return bad(d, v->off, err, "a target must be an object");
    if (known_members(d, v, target_members, err) ||
        member_int(d, v, "length", 0, &t->length, err) ||
        member_hex(d, v, "sha256", t->sha256, sizeof t->sha256, err))
        return err->rc;
    t->hardware = nv_json_get(v, "hardware");
    return t->hardware ? parse_hardware(d, t->hardware, err) : NV_OK;
}

static enum nv_rc meta_fill(const struct nv_json_doc *d,
                            const struct nv_json *o, const char *target,
                            struct nv_update_meta *m, struct nv_err *err)
{
    const struct nv_json *exp, *targets;

    if (member_word(d, o, "_type", "targets", err) ||
        member_word(d, o, "spec", META_SPEC, err) ||
        member_int(d, o, "version", 1, &m->version, err) ||
        nv_json_member(d, o, "expires", NV_JSON_STRING, 1, &exp, err) ||
        nv_json_member(d, o, "targets", NV_JSON_OBJECT, 1, &targets, err))
        return err->rc;
    if (nv_update_parse_time(exp->u.str, exp->len, &m->expires))
        return bad(d, exp->off, err,
                   "\"expires\" must be a UTC time such as "
                   "2027-01-01T00:00:00Z");
    m->expires_text = exp->u.str;
    m->ntargets = targets->len;
    for (size_t i = 0; i < targets->len; i++) {
        const struct nv_json_member *t = &targets->u.members[i];
        struct nv_update_target entry;
        if (parse_target(d, &t->val, &entry, err))
            return err->rc;
        if (target && strcmp(t->key, target) == 0) {
            m->target = entry;
            m->found = 1;
        }
    }
    return NV_OK;
}

enum nv_rc nv_update_meta_parse(const char *text, size_t len, const char *name,
                                const char *target, struct nv_arena *a,
                                struct nv_update_meta *m, struct nv_err *err)
{
    struct nv_json_doc d = {text, name, len};
    struct nv_update_meta got = {0};
    const struct nv_json *o;
    enum nv_rc rc = parse_object(&d, a, meta_members, &o, err);

    if (!rc)
        rc = meta_fill(&d, o, target, &got, err);
    if (!rc)
        *m = got;
    return rc;
}

/* ---- state ---- */

static const char *const state_members[] = {
    "spec", "version", "metadata_sha256", "netvet_version", NULL};

enum nv_rc nv_update_state_parse(const char *text, size_t len, const char *name,
                                 struct nv_update_state *s, struct nv_err *err)
{
    struct nv_json_doc d = {text, name, len};
    unsigned char sha[NV_SHA256_LEN];
    const struct nv_json *o;
    int64_t version = 0;
    struct nv_arena a;
    enum nv_rc rc;

    nv_arena_init(&a);
    rc = parse_object(&d, &a, state_members, &o, err);
    if (!rc && (member_word(&d, o, "spec", STATE_SPEC, err) ||
                member_int(&d, o, "version", 1, &version, err) ||
                member_hex(&d, o, "metadata_sha256", sha, sizeof sha, err)))
        rc = err->rc;
    nv_arena_release(&a);
    if (rc)
        return rc;
    s->version = version;
    nv_hex(sha, sizeof sha, s->meta_sha256);
    return NV_OK;
}

int nv_update_state_format(const struct nv_update_state *s, char *out,
                           size_t size)
{
    return snprintf(out, size,
                    "{\"netvet_version\":\"" NV_VERSION "\",\"spec\":\"%s\","
                    "\"version\":%lld,\"metadata_sha256\":\"%s\"}\n",
                    STATE_SPEC, (long long)s->version, s->meta_sha256);
}
