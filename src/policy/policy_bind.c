/*
 * policy_bind.c - a policy's references resolved against one model.
 *
 * A rule that names a vendor, a country, a tag or a sector the model
 * does not know is a rule that silently never fires.  Binding resolves
 * every such value the way the model's own strings are resolved and
 * rewrites it to the model's spelling; what resolves to nothing becomes
 * a warning that says where it was written and what it may have meant.
 */
#include "policy/policy_int.h"

#include "core/alloc.h"
#include "model/catalogue.h"
#include "model/resolve.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Names every model uses, so that a pack naming them is not warned
 * about on a model that happens to have none (DESIGN: site tags and
 * flow sectors). */
static const char *const known_tags[] = {
    "military",         "government", "nuclear",  "hospital",
    "allied-colocated", "datacentre", "exchange", "landing-station",
    "police",           "emergency"};
static const char *const known_sectors[] = {
    "defence",   "power",  "energy",     "water",     "finance",
    "emergency", "health", "government", "transport", "telecom"};

struct bind {
    struct nv_policy *p;
    const struct nv_model *m;
    const struct rule *r;
    struct nv_policy_warning *w;
    uint32_t nw;
    size_t cap;
    enum nv_rc rc;
};

/* The names the model has for a free-text field, plus the vocabulary. */
struct names {
    const char **v;
    uint32_t n;
    size_t cap;
};

static void add(struct bind *b, struct names *ns, const char *s)
{
    if (!s || b->rc)
        return;
    for (uint32_t i = 0; i < ns->n; i++)
        if (strcasecmp(ns->v[i], s) == 0)
            return;
    if (nv_array_reserve(&ns->v, &ns->cap, (size_t)ns->n + 1, sizeof *ns->v))
        b->rc = NV_ENOMEM;
    else
        ns->v[ns->n++] = s;
}

static void add_vocab(struct bind *b, struct names *ns,
                      const char *const *vocab, size_t n)
{
    for (size_t i = 0; i < n; i++)
        add(b, ns, vocab[i]);
}

static void model_names(struct bind *b, enum field f, struct names *ns)
{
    const struct nv_model *m = b->m;

    for (uint32_t i = 0; f == F_TAG && i < NV_COUNT(m, NV_T_SITE); i++)
        for (uint32_t k = 0; k < NV_SITES(m)[i].tags.n; k++)
            add(b, ns, NV_SITES(m)[i].tags.v[k]);
    for (uint32_t i = 0; i < NV_COUNT(m, NV_T_SITE); i++)
        add(b, ns,
            f == F_REGION ? NV_SITES(m)[i].region
            : f == F_SITE ? NV_SITES(m)[i].id
                          : NULL);
    for (uint32_t i = 0; f == F_SECTOR && i < NV_COUNT(m, NV_T_FLOW); i++)
        add(b, ns, NV_FLOWS(m)[i].sector);
    for (uint32_t i = 0; f == F_PARTNER && i < NV_COUNT(m, NV_T_PARTNER); i++)
        add(b, ns, NV_PARTNERS(m)[i].id);
    if (f == F_TAG)
        add_vocab(b, ns, known_tags, sizeof known_tags / sizeof *known_tags);
    if (f == F_SECTOR)
        add_vocab(b, ns, known_sectors,
                  sizeof known_sectors / sizeof *known_sectors);
}

/* Up to three of ns closest to s, ", "-separated, into out. */
static void closest(const struct names *ns, const char *s, char *out,
                    size_t size)
{
    size_t limit = strlen(s) / 4 + 1, used = 0;

    out[0] = '\0';
    for (size_t d = 0; d <= limit; d++)
        for (uint32_t i = 0; i < ns->n && used < size; i++)
            if (nv_resolve_distance(s, ns->v[i]) == d && used + 1 < size)
                used += (size_t)snprintf(out + used, size - used, "%s%s",
                                         used ? ", " : "", ns->v[i]);
}

static void warn(struct bind *b, const struct node *n, uint32_t k,
                 const char *what, const char *near)
{
    struct nv_policy_warning *w;

    if (nv_array_reserve(&b->w, &b->cap, (size_t)b->nw + 1, sizeof *b->w)) {
        b->rc = NV_ENOMEM;
        return;
    }
    w = &b->w[b->nw++];
    w->file = b->r->info.file;
    w->rule = b->r->info.id;
    w->line = n->pos[k].line;
    w->col = n->pos[k].col;
    snprintf(w->msg, sizeof w->msg, "%s '%s' %s%s%s%s%s", what, n->values[k],
             strcmp(what, "country") == 0 ? "is not an ISO 3166 code"
                                          : "names nothing in the model",
             near[0] ? "; did you mean " : "", near[0] ? what : "",
             near[0] ? " " : "", near[0] ? near : "");
    if (near[0])
        snprintf(w->msg + strlen(w->msg), sizeof w->msg - strlen(w->msg), "?");
}

/* Rewrite value k of n to s (copied into the policy's arena). */
static void rewrite(struct bind *b, struct node *n, uint32_t k, const char *s)
{
    const char *copy = strcmp(s, n->values[k]) == 0
                           ? n->values[k]
                           : nv_arena_strdup(&b->p->arena, s);

    if (!copy)
        b->rc = NV_ENOMEM;
    else
        n->values[k] = copy;
}

static void bind_vendor(struct bind *b, struct node *n, uint32_t k)
{
    uint32_t e = nv_resolve_find(b->m, n->values[k], NULL);
    long row = e == NV_NONE ? nv_resolve_catalogue_row(n->values[k]) : -1;
    size_t nrows;
    char near[160];

    if (e != NV_NONE) {
        rewrite(b, n, k, NV_ENTITIES(b->m)[e].id);
    } else if (row >= 0) {
        rewrite(b, n, k, nv_catalogue(&nrows)[row].id);
    } else {
        nv_resolve_suggest(b->m, n->values[k], near, sizeof near);
        warn(b, n, k, "vendor", near);
    }
}

static void bind_country(struct bind *b, struct node *n, uint32_t k)
{
    char cc[3], near[160] = "";
    struct names ns = {NULL, 0, 0};

    if (nv_resolve_country(n->values[k], cc)) {
        rewrite(b, n, k, cc);
        return;
    }
    for (uint32_t e = 0; e < NV_COUNT(b->m, NV_T_ENTITY); e++)
        add(b, &ns, NV_ENTITIES(b->m)[e].country);
    closest(&ns, n->values[k], near, sizeof near);
    nv_free(ns.v);
    warn(b, n, k, "country", near);
}

static void bind_name(struct bind *b, struct node *n, uint32_t k)
{
    static const char *const what[F_COUNT] = {[F_REGION] = "region",
                                              [F_TAG] = "tag",
                                              [F_SITE] = "site",
                                              [F_SECTOR] = "sector",
                                              [F_PARTNER] = "partner"};
    struct names ns = {NULL, 0, 0};
    char near[160];
    uint32_t i;

    model_names(b, n->field, &ns);
    for (i = 0; i < ns.n && strcasecmp(ns.v[i], n->values[k]) != 0; i++)
        ;
    if (i < ns.n) {
        rewrite(b, n, k, ns.v[i]);
    } else if (!b->rc) {
        closest(&ns, n->values[k], near, sizeof near);
        warn(b, n, k, what[n->field], near);
    }
    nv_free(ns.v);
}

static void bind_node(struct bind *b, struct node *n)
{
    if (!n || b->rc)
        return;
    bind_node(b, n->a);
    bind_node(b, n->b);
    if (n->kind != N_TEST || !n->values)
        return;
    for (uint32_t k = 0; k < n->nvalues; k++) {
        if (n->field == F_VENDOR)
            bind_vendor(b, n, k);
        else if (n->field == F_COUNTRY)
            bind_country(b, n, k);
        else if (n->field == F_REGION || n->field == F_TAG ||
                 n->field == F_SITE || n->field == F_SECTOR ||
                 n->field == F_PARTNER)
            bind_name(b, n, k);
    }
}

enum nv_rc nv_policy_bind(struct nv_policy *p, const struct nv_model *m,
                          struct nv_policy_warning **w, uint32_t *n,
                          struct nv_err *err)
{
    struct bind b = {p, m, NULL, NULL, 0, 0, NV_OK};

    for (uint32_t r = 0; r < p->nrules && !b.rc; r++) {
        b.r = &p->rules[r];
        bind_node(&b, p->rules[r].cond);
        bind_node(&b, p->rules[r].within);
    }
    if (b.rc) {
        nv_free(b.w);
        return nv_err_set(err, b.rc, "out of memory");
    }
    *w = b.w;
    *n = b.nw;
    return NV_OK;
}
