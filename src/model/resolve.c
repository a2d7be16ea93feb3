/*
 * resolve.c - vendor strings to entities: exact, normalised, catalogue.
 *
 * Keys are compared, never raw strings: nv_resolve_key for exact
 * matches and nv_resolve_legal_key, which also drops legal forms, for
 * normalised ones.  A note (m->vres) is kept for every distinct string
 * that did not resolve exactly, so that nothing is resolved silently.
 */
#include "model/resolve.h"

#include "core/alloc.h"
#include "model/catalogue.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define KEY_MAX 512

const char *const nv_resolve_method_names[NV_RESOLVE_COUNT] = {
    "exact", "normalised", "catalogue", "list", "fuzzy", "review", "none"};

size_t nv_resolve_key(const char *s, char *out, size_t size)
{
    size_t n = 0;
    int gap = 0;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   (c >= 'A' && c <= 'Z') || c >= 0x80;
        if (!word) {
            gap = n > 0;
            continue;
        }
        if (gap && n + 1 < size)
            out[n] = ' ';
        n += gap;
        gap = 0;
        if (n + 1 < size)
            out[n] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        n++;
    }
    if (size)
        out[n < size ? n : size - 1] = '\0';
    return n;
}

/* Words that only say what kind of company a maker is, in the forms a
 * key has them ("S.A." is "s a", joined to "sa" before the test). */
static int legal_form(const char *w, size_t n)
{
    static const char *const forms[] = {
        "co",  "ltd", "limited", "inc", "incorporated", "corp", "corporation",
        "llc", "plc", "gmbh",    "ag",  "sa",           "spa",  "srl",
        "bv",  "nv",  "ab",      "oy",  "oyj",          "asa",  "kk",
        "pte", "pty", "lp",      "llp", "sas",          "se",   "company"};

    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (strlen(forms[i]) == n && memcmp(forms[i], w, n) == 0)
            return 1;
    return 0;
}

/* Append word w (n bytes) to out after a blank unless out is empty. */
static size_t append_word(char *out, size_t size, size_t o, const char *w,
                          size_t n)
{
    if (o && o + 1 < size)
        out[o] = ' ';
    o += o > 0;
    for (size_t k = 0; k < n; k++, o++)
        if (o + 1 < size)
            out[o] = w[k];
    return o;
}

size_t nv_resolve_legal_key(const char *s, char *out, size_t size)
{
    char key[KEY_MAX], word[KEY_MAX];
    size_t n = nv_resolve_key(s, key, sizeof key), o = 0, i = 0;

    if (n >= sizeof key)
        n = 0;
    while (i < n) {
        size_t len = strcspn(key + i, " "), w = len;
        memcpy(word, key + i, len);
        i += len + 1;
        /* "s p a" is the legal form "spa": join one-letter words */
        while (len == 1 && i < n && (i + 1 == n || key[i + 1] == ' ')) {
            word[w++] = key[i];
            i += 2;
        }
        if (o == 0 || !legal_form(word, w))
            o = append_word(out, size, o, word, w);
    }
    if (size)
        out[o < size ? o : size - 1] = '\0';
    return o;
}

typedef size_t (*key_fn)(const char *s, char *out, size_t size);

/* File key(name) -> entity e in the map; keys live in arena a. */
static enum nv_rc add_name(struct nv_arena *a, struct nv_strmap *map,
                           key_fn key_of, const char *name, uint32_t e)
{
    char key[KEY_MAX];
    size_t n = key_of(name, key, sizeof key);
    const char *copy;
    uint32_t v;
    int found;

    if (n == 0 || n >= sizeof key)
        return NV_OK;
    copy = nv_arena_strndup(a, key, n);
    if (!copy || nv_strmap_put(map, copy, n, e, &v, &found))
        return NV_ENOMEM;
    return NV_OK;
}

/* Every id, name and alias of m's entities by key (first entity wins). */
static enum nv_rc index_entities(struct nv_model *m, struct nv_strmap *map,
                                 key_fn key_of)
{
    const struct nv_entity *e = NV_ENTITIES(m);
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; i < NV_COUNT(m, NV_T_ENTITY) && !rc; i++) {
        rc = add_name(&m->arena, map, key_of, e[i].id, i);
        if (!rc && e[i].name)
            rc = add_name(&m->arena, map, key_of, e[i].name, i);
        for (uint32_t k = 0; k < e[i].aliases.n && !rc; k++)
            rc = add_name(&m->arena, map, key_of, e[i].aliases.v[k], i);
    }
    return rc;
}

static int64_t lookup(const struct nv_strmap *map, key_fn key_of, const char *s)
{
    char key[KEY_MAX];
    size_t n = key_of(s, key, sizeof key);

    return n && n < sizeof key ? nv_strmap_get(map, key, n) : -1;
}

static enum nv_rc resolve_exact(struct nv_model *m, struct nv_err *err)
{
    struct nv_asset *a = NV_ASSETS(m);
    struct nv_strmap map;
    enum nv_rc rc;

    nv_strmap_init(&map);
    rc = index_entities(m, &map, nv_resolve_key);
    for (uint32_t i = 0; i < NV_COUNT(m, NV_T_ASSET) && !rc; i++) {
        int64_t e =
            a[i].vendor ? lookup(&map, nv_resolve_key, a[i].vendor) : -1;
        a[i].entity = e < 0 ? NV_NONE : (uint32_t)e;
    }
    nv_strmap_release(&map);
    return rc ? nv_err_set(err, rc, "out of memory") : NV_OK;
}

/* The second and third steps, for strings exact matching missed. */
static enum nv_rc resolve_rest(void *ctx, struct nv_model *m,
                               const char *vendor, uint32_t *entity,
                               struct nv_err *err)
{
    int64_t e = lookup(ctx, nv_resolve_legal_key, vendor);
    enum nv_rc rc = NV_OK;

    *entity = e < 0 ? NV_NONE : (uint32_t)e;
    if (*entity != NV_NONE)
        return nv_resolve_note(m, vendor, *entity, NV_RESOLVE_NORMALISED, 1,
                               NULL, err);
    rc = nv_resolve_catalogue(m, vendor, entity, err);
    if (!rc)
        rc = nv_resolve_note(m, vendor, *entity,
                             *entity == NV_NONE ? NV_RESOLVE_NONE
                                                : NV_RESOLVE_CATALOGUE,
                             1, NULL, err);
    return rc;
}

enum nv_rc nv_resolve_model(struct nv_model *m, struct nv_err *err)
{
    struct nv_strmap legal;
    enum nv_rc rc = resolve_exact(m, err);

    if (rc)
        return rc;
    nv_strmap_init(&legal);
    if (index_entities(m, &legal, nv_resolve_legal_key))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    if (!rc)
        rc = nv_resolve_with(m, resolve_rest, &legal, err);
    nv_strmap_release(&legal);
    return rc;
}

/* Whether s names entity e, by key_of. */
static int names_entity(const struct nv_entity *e, key_fn key_of,
                        const char *key, size_t n)
{
    char other[KEY_MAX];

    if (key_of(e->id, other, sizeof other) == n && !memcmp(key, other, n))
        return 1;
    if (e->name && key_of(e->name, other, sizeof other) == n &&
        !memcmp(key, other, n))
        return 1;
    for (uint32_t k = 0; k < e->aliases.n; k++)
        if (key_of(e->aliases.v[k], other, sizeof other) == n &&
            !memcmp(key, other, n))
            return 1;
    return 0;
}

uint32_t nv_resolve_find(const struct nv_model *m, const char *s,
                         enum nv_resolve_method *method)
{
    static const key_fn keys[] = {nv_resolve_key, nv_resolve_legal_key};
    char key[KEY_MAX];

    for (int k = 0; k < 2; k++) {
        size_t n = keys[k](s, key, sizeof key);
        for (uint32_t e = 0;
             n && n < sizeof key && e < NV_COUNT(m, NV_T_ENTITY); e++)
            if (names_entity(&NV_ENTITIES(m)[e], keys[k], key, n)) {
                if (method)
                    *method = k ? NV_RESOLVE_NORMALISED : NV_RESOLVE_EXACT;
                return e;
            }
    }
    return NV_NONE;
}

/* Whether one of the '|'-separated names of list has key (by key_of). */
static int in_names(const char *list, key_fn key_of, const char *key, size_t n)
{
    char name[KEY_MAX], other[KEY_MAX];

    while (*list) {
        size_t len = strcspn(list, "|");
        if (len < sizeof name) {
            memcpy(name, list, len);
            name[len] = '\0';
            if (key_of(name, other, sizeof other) == n &&
                !memcmp(key, other, n))
                return 1;
        }
        list += len + (list[len] == '|');
    }
    return 0;
}

static int row_named(const struct nv_catalogue_row *r, key_fn key_of,
                     const char *key, size_t n)
{
    return in_names(r->id, key_of, key, n) ||
           in_names(r->name, key_of, key, n) ||
           in_names(r->aliases, key_of, key, n);
}

long nv_resolve_catalogue_row(const char *s)
{
    static const key_fn keys[] = {nv_resolve_key, nv_resolve_legal_key};
    size_t nrows;
    const struct nv_catalogue_row *rows = nv_catalogue(&nrows);
    char key[KEY_MAX];

    for (int k = 0; k < 2; k++) {
        size_t n = keys[k](s, key, sizeof key);
        for (size_t r = 0; n && n < sizeof key && r < nrows; r++)
            if (row_named(&rows[r], keys[k], key, n))
                return (long)r;
    }
    return -1;
}

/* The entity of catalogue row r in m, added with its parents if new. */
static enum nv_rc row_entity(struct nv_model *m, size_t r, int depth,
                             uint32_t *entity, struct nv_err *err)
{
    size_t nrows;
    const struct nv_catalogue_row *row = &nv_catalogue(&nrows)[r];
    uint32_t parent = NV_NONE;
    enum nv_rc rc = NV_OK;
    long p;

    *entity = nv_model_find(m, NV_T_ENTITY, row->id);
    if (*entity == NV_NONE)
        *entity = nv_resolve_find(m, row->name, NULL);
    if (*entity != NV_NONE)
        return NV_OK;
    p = row->parent && depth < 8 ? nv_resolve_catalogue_row(row->parent) : -1;
    if (p >= 0)
        rc = row_entity(m, (size_t)p, depth + 1, &parent, err);
    rc = rc ? rc
            : nv_model_add_entity(m, row->id, row->name, row->country,
                                  NV_DESIG_STANDARD, parent, entity, err);
    if (!rc)
        NV_ENTITIES(m)[*entity].origin = NV_ORIGIN_CATALOGUE;
    return rc;
}

enum nv_rc nv_resolve_catalogue(struct nv_model *m, const char *s,
                                uint32_t *entity, struct nv_err *err)
{
    long r = nv_resolve_catalogue_row(s);

    *entity = NV_NONE;
    return r < 0 ? NV_OK : row_entity(m, (size_t)r, 0, entity, err);
}

struct nv_vendor_res *nv_resolve_noted(const struct nv_model *m, const char *v)
{
    for (uint32_t i = 0; i < m->nvres; i++)
        if (strcmp(m->vres[i].vendor, v) == 0)
            return &m->vres[i];
    return NULL;
}

enum nv_rc nv_resolve_note(struct nv_model *m, const char *v, uint32_t entity,
                           enum nv_resolve_method method, double score,
                           const char *matched, struct nv_err *err)
{
    struct nv_vendor_res *r = nv_resolve_noted(m, v);
    const char *copy = matched ? nv_arena_strdup(&m->arena, matched) : NULL;

    if (!r && nv_array_reserve(&m->vres, &m->vres_cap, (size_t)m->nvres + 1,
                               sizeof *m->vres))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    if (!r) {
        r = &m->vres[m->nvres++];
        r->vendor = nv_arena_strdup(&m->arena, v);
    }
    if (!r->vendor || (matched && !copy)) {
        m->nvres -= !r->vendor;
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    r->entity = method == NV_RESOLVE_REVIEW ? NV_NONE : entity;
    r->candidate = entity;
    r->method = method;
    r->score = score;
    r->matched = copy;
    return NV_OK;
}

size_t nv_resolve_distance(const char *a, const char *b)
{
    size_t row[65], na = strlen(a), nb = strlen(b);

    na = na > 64 ? 64 : na;
    nb = nb > 64 ? 64 : nb;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[nb];
}

/* The best suggestions so far: up to three ids, closest first. */
struct near {
    const char *id[3];
    size_t d[3];
    char key[KEY_MAX];
};

/* Consider name (of the thing with this id) as a suggestion. */
static void consider(struct near *nr, const char *name, const char *id)
{
    char key[KEY_MAX];
    size_t n = nv_resolve_key(name, key, sizeof key), d, limit;

    if (!n || n >= sizeof key)
        return;
    d = nv_resolve_distance(nr->key, key);
    limit = strlen(nr->key) / 4 + 1;
    for (int i = 0; d <= limit && i < 3; i++) {
        if (nr->id[i] && strcmp(nr->id[i], id) == 0)
            return; /* already there, as close or closer */
        if (!nr->id[i] || d < nr->d[i]) {
            memmove(&nr->id[i + 1], &nr->id[i],
                    (2 - (size_t)i) * sizeof *nr->id);
            memmove(&nr->d[i + 1], &nr->d[i], (2 - (size_t)i) * sizeof *nr->d);
            nr->id[i] = id;
            nr->d[i] = d;
            return;
        }
    }
}

void nv_resolve_suggest(const struct nv_model *m, const char *s, char *out,
                        size_t size)
{
    struct near nr = {{NULL, NULL, NULL}, {0, 0, 0}, ""};
    size_t nrows, used = 0;
    const struct nv_catalogue_row *rows = nv_catalogue(&nrows);

    nv_resolve_key(s, nr.key, sizeof nr.key);
    for (uint32_t e = 0; m && e < NV_COUNT(m, NV_T_ENTITY); e++) {
        const struct nv_entity *x = &NV_ENTITIES(m)[e];
        consider(&nr, x->id, x->id);
        if (x->name)
            consider(&nr, x->name, x->id);
        for (uint32_t k = 0; k < x->aliases.n; k++)
            consider(&nr, x->aliases.v[k], x->id);
    }
    for (size_t r = 0; r < nrows; r++)
        consider(&nr, rows[r].id, rows[r].id);
    if (size)
        out[0] = '\0';
    for (int i = 0; i < 3 && nr.id[i] && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "",
                                 nr.id[i]);
}

int nv_resolve_country(const char *s, char out[3])
{
    static const char codes[] =
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH "
        "BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL "
        "CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET "
        "FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU "
        "GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE "
        "KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC "
        "MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC "
        "NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT "
        "PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR "
        "SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA "
        "UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

    if (strlen(s) != 2 || !isalpha((unsigned char)s[0]) ||
        !isalpha((unsigned char)s[1]))
        return 0;
    out[0] = (char)toupper((unsigned char)s[0]);
    out[1] = (char)toupper((unsigned char)s[1]);
    out[2] = '\0';
    for (size_t i = 0; i + 1 < sizeof codes; i += 3)
        if (codes[i] == out[0] && codes[i + 1] == out[1])
            return 1;
    return 0;
}

/* Ask fn about vendor unless an earlier asset had the same string. */
static enum nv_rc ask_once(struct nv_model *m, nv_resolve_fn fn, void *ctx,
                           struct nv_strmap *asked, uint32_t **answers,
                           const char *vendor, uint32_t *e, struct nv_err *err)
{
    uint32_t k, *grown;
    int found;
    enum nv_rc rc;

    if (nv_strmap_put(asked, vendor, strlen(vendor), (uint32_t)asked->count, &k,
                      &found))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    if (found) {
        *e = (*answers)[k];
        return NV_OK;
    }
    grown = nv_reallocarray(*answers, asked->count, sizeof *grown);
    if (!grown)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    *answers = grown;
    rc = fn(ctx, m, vendor, &grown[k], err);
    *e = grown[k];
    return rc;
}

enum nv_rc nv_resolve_with(struct nv_model *m, nv_resolve_fn fn, void *ctx,
                           struct nv_err *err)
{
    struct nv_strmap asked;
    uint32_t *answers = NULL;
    enum nv_rc rc = NV_OK;

    nv_strmap_init(&asked);
    for (uint32_t i = 0; i < NV_COUNT(m, NV_T_ASSET) && !rc; i++) {
        struct nv_asset *a = &NV_ASSETS(m)[i];
        if (a->vendor && a->entity == NV_NONE)
            rc = ask_once(m, fn, ctx, &asked, &answers, a->vendor, &a->entity,
                          err);
    }
    nv_free(answers);
    nv_strmap_release(&asked);
    return rc;
}
