/*
 * test_history.c - the model diff against a counting oracle on random
 * models, the findings diff on the example's month of changes, posture
 * rows read back as written, and allocation failures in each.
 */
#include "test.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/file.h"
#include "model/load.h"
#include "model/mdiff.h"
#include "model/save.h"
#include "policy/policy.h"
#include "store/findings.h"
#include "store/posture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static struct nv_model *from_text(const char *text, size_t len)
{
    struct nv_model *m = nv_model_new();
    struct nv_err err = {0};

    if (m && !nv_load_text(m, "t", text, len, &err) &&
        !nv_model_finish(m, &err))
        return m;
    nv_model_free(m);
    return NULL;
}

/* A random network of up to 40 assets and 80 links. */
struct net {
    int present[60]; /* assets 0..59: 0 absent */
    int vendor[60], layer[60];
    int la[80], lb[80], cost[80], nlinks;
};

static const char *const vendors[] = {"V0", "V1", "V2", "V3"};
static const char *const layers[] = {"core", "transport"};

static int write_net(const struct net *n, struct nv_buf *b)
{
    int rc = nv_buf_adds(b, "{\"netvet\": 1, \"assets\": [");
    const char *sep = "";

    for (int i = 0; i < 60 && !rc; i++) {
        if (!n->present[i])
            continue;
        rc = nv_buf_addf(b,
                         "%s{\"id\": \"a%d\", \"vendor\": \"%s\", "
                         "\"layer\": \"%s\"}",
                         sep, i, vendors[n->vendor[i]], layers[n->layer[i]]);
        sep = ",";
    }
    rc = rc ? rc : nv_buf_adds(b, "], \"links\": [");
    sep = "";
    for (int i = 0; i < n->nlinks && !rc; i++) {
        if (n->la[i] < 0)
            continue;
        rc = nv_buf_addf(b, "%s{\"a\": \"a%d\", \"b\": \"a%d\", \"cost\": %d}",
                         sep, n->la[i], n->lb[i], n->cost[i]);
        sep = ",";
    }
    return rc ? rc : nv_buf_adds(b, "]}");
}

static void random_net(uint64_t *s, struct net *n)
{
    memset(n, 0, sizeof *n);
    for (int i = 0; i < 40; i++) {
        n->present[i] = 1;
        n->vendor[i] = (int)(next(s) % 4);
        n->layer[i] = (int)(next(s) % 2);
    }
    n->nlinks = 60;
    for (int i = 0; i < n->nlinks; i++) {
        n->la[i] = (int)(next(s) % 8); /* few ends: parallel links */
        n->lb[i] = (int)(next(s) % 8);
        n->cost[i] = 1 + (int)(next(s) % 2);
    }
}

/* Remove, change and add assets and links at random. */
static void mutate(uint64_t *s, struct net *n)
{
    for (int i = 0; i < 40; i++) {
        int r = (int)(next(s) % 10);
        if (r == 0 && i >= 8) /* links only touch a0..a7 */
            n->present[i] = 0;
        else if (r == 1)
            n->vendor[i] = (n->vendor[i] + 1) % 4;
        else if (r == 2)
            n->layer[i] ^= 1;
    }
    for (int i = 40; i < 40 + (int)(next(s) % 20); i++)
        n->present[i] = 1;
    for (int i = 0; i < n->nlinks; i++) {
        int r = (int)(next(s) % 8);
        if (r == 0)
            n->la[i] = -1;
        else if (r == 1)
            n->cost[i] = 3 - n->cost[i];
    }
    for (int k = (int)(next(s) % 20); k > 0; k--, n->nlinks++) {
        n->la[n->nlinks] = (int)(next(s) % 8);
        n->lb[n->nlinks] = (int)(next(s) % 8);
        n->cost[n->nlinks] = 1;
    }
}

/* The oracle: counts by set and multiset comparison.  Parallel links
 * between the same ends are matched in the order the files give them. */
static void oracle(const struct net *a, const struct net *b, uint32_t assets[3],
                   uint32_t links[3])
{
    memset(assets, 0, 3 * sizeof *assets);
    memset(links, 0, 3 * sizeof *links);
    for (int i = 0; i < 60; i++) {
        if (a->present[i] && !b->present[i])
            assets[NV_MDIFF_REMOVED]++;
        else if (!a->present[i] && b->present[i])
            assets[NV_MDIFF_ADDED]++;
        else if (a->present[i] &&
                 (a->vendor[i] != b->vendor[i] || a->layer[i] != b->layer[i]))
            assets[NV_MDIFF_CHANGED]++;
    }
    for (int x = 0; x < 8; x++)
        for (int y = x; y < 8; y++) {
            int ca[80], cb[80], na = 0, nb = 0;
            for (int i = 0; i < a->nlinks; i++)
                if (a->la[i] >= 0 && ((a->la[i] == x && a->lb[i] == y) ||
                                      (a->la[i] == y && a->lb[i] == x)))
                    ca[na++] = a->cost[i];
            for (int i = 0; i < b->nlinks; i++)
                if (b->la[i] >= 0 && ((b->la[i] == x && b->lb[i] == y) ||
                                      (b->la[i] == y && b->lb[i] == x)))
                    cb[nb++] = b->cost[i];
            links[NV_MDIFF_REMOVED] += na > nb ? (uint32_t)(na - nb) : 0;
            links[NV_MDIFF_ADDED] += nb > na ? (uint32_t)(nb - na) : 0;
            for (int k = 0; k < na && k < nb; k++)
                links[NV_MDIFF_CHANGED] += ca[k] != cb[k];
        }
}

NV_TEST(mdiff_agrees_with_a_counting_oracle)
{
    for (uint64_t seed = 1; seed <= 200; seed++) {
        uint64_t s = seed * 0x9e3779b97f4a7c15ull;
        struct net a, b;
        struct nv_buf ta, tb;
        struct nv_mdiff d;
        struct nv_err err = {0};
        uint32_t assets[3], links[3];

        random_net(&s, &a);
        b = a;
        mutate(&s, &b);
        oracle(&a, &b, assets, links);
        nv_buf_init(&ta, 1 << 20);
        nv_buf_init(&tb, 1 << 20);
        ASSERT_EQ(write_net(&a, &ta), 0);
        ASSERT_EQ(write_net(&b, &tb), 0);
        struct nv_model *ma = from_text(ta.data, ta.len);
        struct nv_model *mb = from_text(tb.data, tb.len);
        ASSERT(ma && mb);
        ASSERT_EQ(nv_mdiff_compute(ma, mb, &d, &err), NV_OK);
        for (int k = 0; k < 3; k++) {
            if (d.count[NV_T_ASSET][k] != assets[k] ||
                d.count[NV_T_LINK][k] != links[k])
                nv_t_fail(T, __FILE__, __LINE__, "seed %llu, %s",
                          (unsigned long long)seed, nv_mdiff_kind_names[k]);
            ASSERT_EQ(d.count[NV_T_ASSET][k], assets[k]);
            ASSERT_EQ(d.count[NV_T_LINK][k], links[k]);
        }
        nv_mdiff_release(&d);
        /* A model against itself: no change. */
        ASSERT_EQ(nv_mdiff_compute(mb, mb, &d, &err), NV_OK);
        ASSERT_EQ(d.n, 0);
        nv_mdiff_release(&d);
        nv_model_free(ma);
        nv_model_free(mb);
        nv_buf_release(&ta);
        nv_buf_release(&tb);
    }
}

NV_TEST(mdiff_names_fields_that_changed)
{
    static const char a[] =
        "{\"netvet\": 1, \"assets\": [{\"id\": \"r\", \"vendor\": \"Huawei\", "
        "\"layer\": \"core\"}, {\"id\": \"s\", \"layer\": \"ran\"}]}";
    static const char b[] =
        "{\"netvet\": 1, \"assets\": [{\"id\": \"s\", \"layer\": \"ran\"}, "
        "{\"id\": \"r\", "
        "\"vendor\": \"Ericsson\", \"layer\": \"core\", \"model\": \"X\"}]}";
    struct nv_model *ma = from_text(a, sizeof a - 1);
    struct nv_model *mb = from_text(b, sizeof b - 1);
    struct nv_mdiff d;
    struct nv_buf v;
    struct nv_err err = {0};

    ASSERT(ma && mb);
    ASSERT_EQ(nv_mdiff_compute(ma, mb, &d, &err), NV_OK);
    /* The vendors resolve through the built-in catalogue, so the makers'
     * entities differ too; the asset is the one changed record. */
    uint32_t k = 0, assets = 0;
    for (uint32_t i = 0; i < d.n; i++)
        if (d.v[i].table == NV_T_ASSET) {
            k = i;
            assets++;
        }
    ASSERT_EQ(assets, 1);
    ASSERT_EQ(d.v[k].kind, NV_MDIFF_CHANGED);
    nv_buf_init(&v, 1 << 10);
    for (int f = 0; f < 32; f++)
        if (d.v[k].fields & (1u << f)) {
            ASSERT_EQ(nv_mdiff_value(mb, NV_T_ASSET, d.v[k].b, f, &v), NV_OK);
            ASSERT_EQ(nv_buf_addc(&v, '|'), NV_OK);
        }
    ASSERT_STREQ(v.data, "Ericsson|X|");
    nv_buf_release(&v);
    nv_mdiff_release(&d);
    nv_model_free(ma);
    nv_model_free(mb);
}

static struct nv_policy *uk(void)
{
    struct nv_policy *p = nv_policy_new();
    struct nv_file f;
    struct nv_err err = {0};

    if (!p || nv_file_read(&f, "policies/uk-2020.nvp", 1 << 20, &err)) {
        nv_policy_free(p);
        return NULL;
    }
    if (nv_policy_parse(p, "uk-2020.nvp", f.data, f.len, &err)) {
        nv_policy_free(p);
        p = NULL;
    }
    nv_file_release(&f);
    return p;
}

static struct nv_model *example(const char *path)
{
    struct nv_model *m = NULL;
    struct nv_err err = {0};

    return nv_load_model(&path, 1, &m, &err) ? NULL : m;
}

/* The diff of two versions analysed under p, and the findings it
 * borrows from (f[0], f[1]; release them after d). */
static enum nv_rc fdiff(const struct nv_model *a, const struct nv_model *b,
                        const struct nv_policy *p, struct nv_fdiff *d,
                        struct nv_findings f[2])
{
    struct nv_err err = {0};
    enum nv_rc rc = nv_findings_compute(a, p, "2026-12-01", 1, &f[0], &err);

    if (rc)
        return rc;
    rc = nv_findings_compute(b, p, "2026-12-01", 1, &f[1], &err);
    if (rc) {
        nv_findings_release(&f[0]);
        return rc;
    }
    rc = nv_fdiff_compute(&f[0], &f[1], p, d, &err);
    if (rc) {
        nv_findings_release(&f[0]);
        nv_findings_release(&f[1]);
    }
    return rc;
}

static void release(struct nv_fdiff *d, struct nv_findings f[2])
{
    nv_fdiff_release(d);
    nv_findings_release(&f[0]);
    nv_findings_release(&f[1]);
}

NV_TEST(fdiff_finds_what_a_month_of_changes_moved)
{
    struct nv_policy *p = uk();
    struct nv_model *a = example("examples/national/model.json");
    struct nv_model *b = example("examples/national/model-next.json");
    struct nv_model *c = example("tests/data/store/core-swap.json");
    struct nv_fdiff d;
    struct nv_findings f[2];
    int found = 0;

    ASSERT(p && a && b && c);
    ASSERT_EQ(fdiff(a, b, p, &d, f), NV_OK);
    ASSERT(nv_fdiff_worse(&d));
    for (uint32_t i = 0; i < d.nlevels; i++)
        found += d.levels[i].fa == NV_NONE && d.levels[i].hostile &&
                 strcmp(d.levels[i].group, "vendor:huawei") == 0 &&
                 d.levels[i].to == NV_LEVEL_MUST;
    ASSERT_EQ(found, 1); /* the new flow, power-13 */
    ASSERT(d.network[1] > d.network[0]);
    ASSERT(d.nscores >= 1);
    ASSERT_STREQ(d.scores[0].flow, "power-13");
    /* The new flow's margins count from "more than 3". */
    ASSERT_EQ(d.nmargins, 2);
    ASSERT_EQ(d.fell, 2);
    ASSERT(d.margins[0].fa == NV_NONE && d.margins[0].to.k == 2);
    ASSERT(d.margins[1].kind == 1 && d.margins[1].to.k == 1);
    release(&d, f);

    /* The core router swap alone resolves a violation, worsens nothing. */
    ASSERT_EQ(fdiff(a, c, p, &d, f), NV_OK);
    ASSERT(!nv_fdiff_worse(&d));
    ASSERT_EQ(d.nviolations, 1);
    ASSERT_EQ(d.violations[0].added, 0);
    release(&d, f);

    /* Undoing it breaks the rule again: a new error. */
    ASSERT_EQ(fdiff(c, a, p, &d, f), NV_OK);
    ASSERT_EQ(d.new_errors, 1);
    ASSERT(nv_fdiff_worse(&d));
    release(&d, f);

    ASSERT_EQ(fdiff(a, a, p, &d, f), NV_OK);
    ASSERT_EQ(d.nlevels + d.nviolations + d.nreleases + d.nscores, 0);
    ASSERT(d.margins_known);
    ASSERT_EQ(d.nmargins + d.fell, 0);
    release(&d, f);
    nv_model_free(a);
    nv_model_free(b);
    nv_model_free(c);
    nv_policy_free(p);
}

/* The margin change of flow fb, kind k, in d, or NULL. */
static const struct nv_fdiff_margin *margin_of(const struct nv_fdiff *d,
                                               uint32_t fb, int k)
{
    for (uint32_t i = 0; i < d->nmargins; i++)
        if (d->margins[i].fb == fb && d->margins[i].kind == k)
            return &d->margins[i];
    return NULL;
}

/* f1 goes from s to t through x (Nokia) or y (Cisco); in b, y is a
 * Nokia too, so Nokia alone can cut f1, and a new flow f2 from x to y
 * passes through s or t, both Ericsson. */
NV_TEST(fdiff_reports_margins_that_fell)
{
    struct nv_model *a = example("tests/data/store/margin-a.json");
    struct nv_model *b = example("tests/data/store/margin-b.json");
    const struct nv_fdiff_margin *c;
    struct nv_fdiff d;
    struct nv_findings f[2];

    ASSERT(a && b);
    ASSERT_EQ(fdiff(a, b, NULL, &d, f), NV_OK);
    ASSERT(d.margins_known);
    ASSERT_EQ(d.nmargins, 4);
    ASSERT_EQ(d.fell, 4);
    ASSERT((c = margin_of(&d, 0, 0)) != NULL);
    ASSERT(c->fell && c->fa == 0 && c->from.k == 2 && c->to.k == 1);
    ASSERT_STREQ(f[1].x.groups.v[c->to.witness[0]].id, "vendor:nokia");
    ASSERT((c = margin_of(&d, 1, 0)) != NULL);
    ASSERT(c->fell && c->fa == NV_NONE && c->to.k == 1);
    ASSERT_STREQ(f[1].x.groups.v[c->to.witness[0]].id, "vendor:ericsson");
    /* Falling margins alone do not make the change worse. */
    ASSERT(!nv_fdiff_worse(&d));
    release(&d, f);

    /* Back again: f1's margins rise, nothing falls. */
    ASSERT_EQ(fdiff(b, a, NULL, &d, f), NV_OK);
    ASSERT_EQ(d.nmargins, 2);
    ASSERT_EQ(d.fell, 0);
    ASSERT(d.margins[0].from.k == 1 && d.margins[0].to.k == 2);
    release(&d, f);
    nv_model_free(a);
    nv_model_free(b);
}

static char *posture_text(const struct nv_posture *ps, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    struct nv_jsonw *w = f ? nv_jsonw_new(f, 0) : NULL;
    struct nv_err err = {0};

    if (w) {
        nv_posture_write(ps, w);
        if (nv_jsonw_finish(w, &err)) {
            free(text);
            text = NULL;
        }
    }
    nv_jsonw_free(w);
    if (f)
        fclose(f);
    return text;
}

NV_TEST(posture_reads_back_what_it_wrote)
{
    struct nv_policy *p = uk();
    struct nv_model *m = example("examples/national/model.json");
    struct nv_findings f;
    struct nv_posture ps, back;
    struct nv_err err = {0};
    size_t len = 0, len2 = 0;

    ASSERT(p && m);
    ASSERT_EQ(nv_findings_compute(m, p, "2026-12-01", 1, &f, &err), NV_OK);
    ASSERT_EQ(nv_posture_compute(&f, p, &ps, &err), NV_OK);
    ASSERT_EQ(ps.nrules, nv_policy_rules(p));
    ASSERT(ps.violations > 0 && ps.flows[NV_LEVEL_MUST] > 0);
    ASSERT(ps.margins_known);
    for (int k = 0; k < NV_MARGIN_KINDS; k++) {
        uint32_t sum = 0;
        for (int i = 0; i <= NV_MARGIN_MAX + 1; i++)
            sum += ps.margins[k][i];
        ASSERT_EQ(sum, f.x.nflows);
    }
    ASSERT(ps.margins[0][1] > 0); /* flows one vendor can cut */
    char *text = posture_text(&ps, &len);
    ASSERT(text);
    /* Every allocation of the reader failing in turn. */
    for (long n = 0;; n++) {
        nv_alloc_fail_after(n);
        enum nv_rc rc = nv_posture_read(text, len, "row", &back, &err);
        int failed = nv_alloc_failed();
        nv_alloc_fail_after(-1);
        if (!failed) {
            ASSERT_EQ(rc, NV_OK);
            break;
        }
        ASSERT_EQ(rc, NV_ENOMEM);
    }
    char *again = posture_text(&back, &len2);
    ASSERT(again && len == len2 && memcmp(text, again, len) == 0);
    ASSERT_EQ(nv_posture_read("{\"flows\": 1}", 12, "row", &back, &err),
              NV_EPARSE);
    /* Margins not worked out are written as null and read back so. */
    struct nv_posture unknown = ps;
    memset(unknown.margins, 0, sizeof unknown.margins);
    unknown.margins_known = 0;
    char *nul = posture_text(&unknown, &len);
    ASSERT(nul && strstr(nul, "\"margins\":null"));
    struct nv_posture back2;
    ASSERT_EQ(nv_posture_read(nul, len, "row", &back2, &err), NV_OK);
    ASSERT(!back2.margins_known && back2.margins[0][1] == 0);
    nv_posture_release(&back2);
    free(nul);
    free(text);
    free(again);
    nv_posture_release(&ps);
    nv_posture_release(&back);
    nv_findings_release(&f);
    nv_model_free(m);
    nv_policy_free(p);
}

NV_TEST(diffs_survive_every_allocation_failure)
{
    struct nv_policy *p = uk();
    struct nv_model *a = example("examples/national/model.json");
    struct nv_model *b = example("tests/data/store/core-swap.json");

    ASSERT(p && a && b);
    for (long n = 0;; n += 1 + n / 16) {
        struct nv_mdiff md;
        struct nv_fdiff d;
        struct nv_findings f[2];
        struct nv_err err = {0};
        nv_alloc_fail_after(n);
        enum nv_rc rc = nv_mdiff_compute(a, b, &md, &err);
        if (!rc)
            nv_mdiff_release(&md);
        if (!rc)
            rc = fdiff(a, b, p, &d, f);
        if (!rc)
            release(&d, f);
        int failed = nv_alloc_failed();
        nv_alloc_fail_after(-1);
        if (!failed) {
            ASSERT_EQ(rc, NV_OK);
            break;
        }
        ASSERT_EQ(rc, NV_ENOMEM);
    }
    nv_model_free(a);
    nv_model_free(b);
    nv_policy_free(p);
}

/* The canonical text of a snapshot, whichever allocation fails. */
NV_TEST(save_text_survives_every_allocation_failure)
{
    struct nv_model *m = example("tests/data/store/core-swap.json");
    char *text = NULL;
    size_t len = 0;

    ASSERT(m);
    for (long n = 0;; n++) {
        struct nv_err err = {0};
        nv_alloc_fail_after(n);
        enum nv_rc rc = nv_save_json_text(m, &text, &len, &err);
        int failed = nv_alloc_failed();
        nv_alloc_fail_after(-1);
        if (!rc)
            nv_free(text);
        if (!failed) {
            ASSERT_EQ(rc, NV_OK);
            break;
        }
        ASSERT(rc != NV_OK);
    }
    ASSERT(len > 100000);
    nv_model_free(m);
}
