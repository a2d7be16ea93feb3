/*
 * test_model.c - the model, its loaders and writers, on small files and
 * on every real topology in the shared data.
 */
#include "core/alloc.h"
#include "core/json.h"
#include "model/catalogue.h"
#include "model/inventory.h"
#include "model/load.h"
#include "model/load_int.h"
#include "model/resolve.h"
#include "model/save.h"
#include "model/schema.h"
#include "model/synth.h"
#include "test.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static struct nv_model *load1(const char *path, struct nv_err *err)
{
    struct nv_model *m = NULL;

    nv_err_clear(err);
    if (nv_load_model(&path, 1, &m, err))
        return NULL;
    return m;
}

static const struct nv_asset *asset(const struct nv_model *m, const char *id)
{
    uint32_t i = nv_model_find(m, NV_T_ASSET, id);
    return i == NV_NONE ? NULL : &NV_ASSETS(m)[i];
}

static const char *entity_of(const struct nv_model *m, const char *id)
{
    const struct nv_asset *a = asset(m, id);
    return a && a->entity != NV_NONE ? NV_ENTITIES(m)[a->entity].id : NULL;
}

NV_TEST(model_small_resolves_vendors_and_parents)
{
    struct nv_err err = {0};
    struct nv_model *m = load1("tests/data/models/small.json", &err);
    uint32_t hisilicon;

    ASSERT(m != NULL);
    ASSERT_EQ(NV_COUNT(m, NV_T_ASSET), 6);
    ASSERT_STREQ(entity_of(m, "fra1-core-1"), "huawei");
    ASSERT_STREQ(entity_of(m, "mz-agg-2"), "hisilicon");
    ASSERT_STREQ(entity_of(m, "fra1-gw"), "nokia");
    ASSERT(entity_of(m, "kob-ran-1") == NULL);
    hisilicon = nv_model_find(m, NV_T_ENTITY, "hisilicon");
    ASSERT_STREQ(NV_ENTITIES(m)[NV_ENTITIES(m)[hisilicon].root].id, "huawei");
    ASSERT_EQ(nv_model_designation(m, hisilicon), NV_DESIG_HIGH_RISK);
    ASSERT_EQ(NV_FLOWS(m)[1].path.n, 5);
    ASSERT_EQ(NV_FLOWS(m)[1].path.v[2].idx,
              nv_model_find(m, NV_T_ASSET, "mz-agg-1"));
    ASSERT(NV_FLOWS(m)[1].encrypted);
    ASSERT_EQ(NV_FLOWS(m)[0].classification, NV_CLASS_SECRET);
    ASSERT_EQ(NV_PARTNERS(m)[0].channels.v[0].idx, 0);
    ASSERT_NEAR(NV_LINKS(m)[5].cost, 1, 0);
    ASSERT(isnan(NV_LINKS(m)[2].capacity));
    nv_model_free(m);
}

NV_TEST(model_graph_is_compressed_both_ways)
{
    struct nv_err err = {0};
    struct nv_model *m = load1("tests/data/models/small.json", &err);
    const struct nv_graph *g;
    uint32_t core;

    ASSERT(m != NULL);
    g = &m->graph;
    ASSERT_EQ(g->n, 6);
    ASSERT_EQ(g->off[g->n], 12);
    core = nv_model_find(m, NV_T_ASSET, "fra1-core-1");
    ASSERT_EQ(g->off[core + 1] - g->off[core], 3);
    for (uint32_t k = g->off[core]; k < g->off[core + 1]; k++) {
        const struct nv_link *l = &NV_LINKS(m)[g->link[k]];
        ASSERT(l->a.idx == core || l->b.idx == core);
        ASSERT(l->a.idx == g->adj[k] || l->b.idx == g->adj[k]);
    }
    nv_model_free(m);
}

NV_TEST(resolve_key_normalises)
{
    char key[64];

    nv_resolve_key("  HUAWEI TECHNOLOGIES CO.,LTD ", key, sizeof key);
    ASSERT_STREQ(key, "huawei technologies co ltd");
    nv_resolve_key("Huawei Technologies Co., Ltd.", key, sizeof key);
    ASSERT_STREQ(key, "huawei technologies co ltd");
    ASSERT_EQ(nv_resolve_key("a-b", key, 2), 3);
    ASSERT_STREQ(key, "a");
}

/* Every Topology Zoo network loads with one site, one router per node and
 * one link per edge, and as many connected parts as its index says. */
NV_TEST(model_loads_every_topology_zoo_network)
{
    FILE *idx = fopen(nv_t_data_path("topologyzoo/index.tsv"), "r");
    char line[1024], name[128], path[512];
    unsigned nodes, edges, pairs, loops, comps, n = 0;

    ASSERT(idx != NULL);
    ASSERT(fgets(line, sizeof line, idx) != NULL);
    while (fgets(line, sizeof line, idx)) {
        struct nv_err err = {0};
        struct nv_model *m;
        struct nv_inventory inv;
        ASSERT(sscanf(line, "%127s %u %u %u %u %u", name, &nodes, &edges,
                      &pairs, &loops, &comps) == 6);
        snprintf(path, sizeof path, "%s/topologyzoo/graphml/%s.graphml",
                 nv_t_data(), name);
        m = load1(path, &err);
        if (!m)
            nv_t_fail(T, __FILE__, __LINE__, "%s: %s", path, err.msg);
        ASSERT(m != NULL);
        ASSERT_EQ(NV_COUNT(m, NV_T_SITE), nodes);
        ASSERT_EQ(NV_COUNT(m, NV_T_LINK), edges);
        ASSERT_EQ(nv_inventory_build(m, &inv, &err), NV_OK);
        ASSERT_EQ(inv.components, comps);
        nv_inventory_release(&inv);
        nv_model_free(m);
        n++;
    }
    fclose(idx);
    ASSERT_EQ(n, 276);
}

NV_TEST(model_loads_every_sndlib_network)
{
    DIR *d = opendir(nv_t_data_path("sndlib"));
    struct dirent *e;
    int n = 0;

    ASSERT(d != NULL);
    while ((e = readdir(d)) != NULL) {
        char path[512];
        struct nv_err err = {0};
        struct nv_model *m;
        if (!strstr(e->d_name, ".json"))
            continue;
        snprintf(path, sizeof path, "%s/sndlib/%s", nv_t_data(), e->d_name);
        m = load1(path, &err);
        if (!m)
            nv_t_fail(T, __FILE__, __LINE__, "%s: %s", path, err.msg);
        ASSERT(m != NULL);
        ASSERT(NV_COUNT(m, NV_T_SITE) >= 10);
        ASSERT(NV_COUNT(m, NV_T_LINK) >= NV_COUNT(m, NV_T_SITE) - 1);
        ASSERT(NV_COUNT(m, NV_T_FLOW) > 0);
        nv_model_free(m);
        n++;
    }
    closedir(d);
    ASSERT_EQ(n, 26);
}

NV_TEST(model_reads_cyclonedx_devices_and_firmware)
{
    struct nv_err err = {0};
    struct nv_model *m = load1("tests/data/cdx/router.cdx.json", &err);
    const struct nv_asset *a;

    ASSERT(m != NULL);
    ASSERT_EQ(NV_COUNT(m, NV_T_ASSET), 3);
    a = asset(m, "fra1-core-1-fw");
    ASSERT(a != NULL);
    ASSERT_EQ(a->kind, NV_KIND_FIRMWARE);
    ASSERT_EQ(a->layer, NV_LAYER_CORE);
    ASSERT_STREQ(a->vendor, "Huawei Technologies Co., Ltd.");
    ASSERT_STREQ(a->sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934"
                            "ca495991b7852b855");
    a = asset(m, "AirScale@22R1");
    ASSERT(a != NULL);
    ASSERT_STREQ(a->vendor, "Nokia");
    ASSERT_EQ(a->layer, NV_LAYER_EDGE);
    nv_model_free(m);
}

/* The whole native JSON text of m. */
static char *as_json(const struct nv_model *m)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    struct nv_err err = {0};
    enum nv_rc rc = nv_save_json(m, f, &err);

    fclose(f);
    if (rc) {
        free(text);
        return NULL;
    }
    return text;
}

static struct nv_model *synth_small(uint64_t seed)
{
    struct nv_synth_opts o;
    struct nv_model *m = NULL;
    struct nv_err err = {0};

    nv_synth_defaults(&o);
    o.ran_sites = 60;
    o.flows = 30;
    o.seed = seed;
    return nv_synth(&o, &m, &err) ? NULL : m;
}

NV_TEST(synth_is_deterministic_and_complete)
{
    struct nv_model *a = synth_small(7), *b = synth_small(7);
    struct nv_model *c = synth_small(8);
    char *ja = as_json(a), *jb = as_json(b), *jc = as_json(c);
    struct nv_inventory inv;
    struct nv_err err = {0};

    ASSERT(ja && jb && jc);
    ASSERT_STREQ(ja, jb);
    ASSERT(strcmp(ja, jc) != 0);
    ASSERT_EQ(nv_inventory_build(a, &inv, &err), NV_OK);
    ASSERT_EQ(inv.components, 1);
    ASSERT_EQ(inv.nunresolved, 0);
    ASSERT(inv.by_layer[NV_LAYER_RAN] >= 60);
    ASSERT(inv.by_designation[NV_DESIG_HIGH_RISK] > 0);
    ASSERT_EQ(NV_COUNT(a, NV_T_FLOW), 30);
    ASSERT_EQ(NV_COUNT(a, NV_T_PARTNER), 2);
    nv_inventory_release(&inv);
    free(ja);
    free(jb);
    free(jc);
    nv_model_free(a);
    nv_model_free(b);
    nv_model_free(c);
}

/* --traffic pairs: every flow from its own critical site to another site
 * of its sector, as many sources as flows. */
NV_TEST(synth_pairs_gives_each_flow_its_own_source)
{
    struct nv_synth_opts o;
    struct nv_model *m = NULL;
    struct nv_err err = {0};
    const struct nv_flow *f;
    unsigned char *seen;
    unsigned a, b;

    nv_synth_defaults(&o);
    o.ran_sites = 80;
    o.flows = 200;
    o.pairs = 1;
    ASSERT_EQ(nv_synth(&o, &m, &err), NV_OK);
    ASSERT_EQ(NV_COUNT(m, NV_T_FLOW), 200);
    seen = calloc(m->graph.n, 1);
    ASSERT(seen != NULL);
    f = NV_FLOWS(m);
    for (uint32_t i = 0; i < NV_COUNT(m, NV_T_FLOW); i++) {
        ASSERT(f[i].src.idx != f[i].dst.idx);
        ASSERT(!seen[f[i].src.idx]);
        seen[f[i].src.idx] = 1;
        ASSERT_EQ(sscanf(f[i].src.id, "crit-%u-gw", &a), 1);
        ASSERT_EQ(sscanf(f[i].dst.id, "crit-%u-gw", &b), 1);
        ASSERT_EQ(a, i);         /* site i is flow i's source */
        ASSERT_EQ(a % 7, b % 7); /* same sector */
    }
    free(seen);
    nv_model_free(m);
}

/* What is saved loads back to the same records, in JSON and in CSV. */
NV_TEST(save_round_trips_json_and_csv)
{
    struct nv_model *m = synth_small(3), *back;
    const char *dir = nv_t_tmpdir();
    char path[128], *first = as_json(m), *again;
    struct nv_err err = {0};
    FILE *f;

    ASSERT(first != NULL && dir != NULL);
    snprintf(path, sizeof path, "%s/m.json", dir);
    f = fopen(path, "w");
    ASSERT(f != NULL);
    fputs(first, f);
    fclose(f);
    back = load1(path, &err);
    ASSERT(back != NULL);
    again = as_json(back);
    ASSERT_STREQ(again, first);
    free(again);
    nv_model_free(back);
    ASSERT_EQ(nv_save_csv(m, dir, &err), NV_OK);
    back = load1(dir, &err);
    ASSERT(back != NULL);
    again = as_json(back);
    ASSERT_STREQ(again, first);
    free(again);
    nv_model_free(back);
    nv_model_free(m);
    free(first);
}

/* Loading fails cleanly, with NV_ENOMEM and nothing leaked, whichever
 * allocation fails. */
static void sweep(struct nv_t *T, const char *path)
{
    for (long n = 0;; n++) {
        struct nv_model *m = NULL;
        struct nv_err err = {0};
        enum nv_rc rc;

        nv_err_clear(&err);
        nv_alloc_fail_after(n);
        rc = nv_load_model(&path, 1, &m, &err);
        nv_alloc_fail_after(-1);
        nv_model_free(m);
        if (rc == NV_OK)
            return;
        if (rc != NV_ENOMEM)
            nv_t_fail(T, __FILE__, __LINE__, "%s: allocation %ld: %s", path, n,
                      err.msg);
        ASSERT_EQ(rc, NV_ENOMEM);
        ASSERT(n < 100000);
    }
}

NV_TEST(load_survives_every_allocation_failure)
{
    const char *dir = nv_t_tmpdir();
    struct nv_err err = {0};
    struct nv_model *m = load1("tests/data/models/small.json", &err);

    sweep(T, "tests/data/models/small.json");
    sweep(T, "tests/data/cdx/router.cdx.json");
    sweep(T, nv_t_data_path("topologyzoo/graphml/Abilene.graphml"));
    sweep(T, nv_t_data_path("sndlib/abilene.json"));
    ASSERT(m != NULL && dir != NULL);
    ASSERT_EQ(nv_save_csv(m, dir, &err), NV_OK);
    nv_model_free(m);
    sweep(T, dir);
}

/* A links file large enough to be read in two halves on two threads loads
 * the same records, in the same order, as the JSON model. */
NV_TEST(csv_split_load_matches_json)
{
    struct nv_synth_opts o;
    struct nv_model *m = NULL, *back;
    const char *dir = nv_t_tmpdir();
    char path[128], *first, *again;
    struct nv_err err = {0};
    struct stat st;

    nv_synth_defaults(&o);
    o.ran_sites = 8000;
    o.flows = 100;
    ASSERT_EQ(nv_synth(&o, &m, &err), NV_OK);
    first = as_json(m);
    ASSERT(first != NULL && dir != NULL);
    ASSERT_EQ(nv_save_csv(m, dir, &err), NV_OK);
    snprintf(path, sizeof path, "%s/links.csv", dir);
    ASSERT(stat(path, &st) == 0 && st.st_size > (1 << 20));
    back = load1(dir, &err);
    ASSERT(back != NULL);
    again = as_json(back);
    ASSERT(again != NULL && strcmp(again, first) == 0);
    free(again);
    free(first);
    nv_model_free(back);
    nv_model_free(m);
}

/* A CSV bundle in dir with assets a and b, and its links.csv opened for
 * the caller to write (NULL if a file cannot be made). */
static FILE *two_assets_and_links(const char *dir)
{
    char path[128];
    FILE *f;

    snprintf(path, sizeof path, "%s/assets.csv", dir);
    f = fopen(path, "w");
    if (!f)
        return NULL;
    fputs("id,layer\na,core\nb,core\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/links.csv", dir);
    return fopen(path, "w");
}

/* An error in the second half of a split file is still reported, at its
 * place in the file. */
NV_TEST(csv_split_load_reports_second_half_error)
{
    const char *dir = nv_t_tmpdir();
    struct nv_model *m;
    struct nv_err err = {0};
    FILE *f;
    int rows = 60000;

    ASSERT(dir != NULL);
    f = two_assets_and_links(dir);
    ASSERT(f != NULL);
    fputs("a,b,cost\n", f);
    for (int i = 0; i < rows; i++)
        fprintf(f, "a,b,%s\n", i == rows - 10 ? "-1" : "1.5");
    fclose(f);
    m = load1(dir, &err);
    ASSERT(m == NULL);
    ASSERT_EQ(err.rc, NV_EPARSE);
    ASSERT_EQ(err.line, (unsigned long)rows - 8);
    ASSERT_EQ(err.col, 5);
}

/* An assets.csv in dir of rows rows, large enough to be read in two
 * halves; row dup (if not -1) repeats the id of row 7, and row bad has a
 * layer that is none.  Whether it could be written. */
static int write_assets(const char *dir, int rows, int dup, int bad)
{
    char path[128];
    FILE *f;
    long size;

    snprintf(path, sizeof path, "%s/assets.csv", dir);
    f = fopen(path, "w");
    if (!f)
        return 0;
    fputs("id,layer,model\n", f);
    for (int i = 0; i < rows; i++)
        fprintf(f, "asset-%d,%s,a model name to make the file long\n",
                i == dup ? 7 : i, i == bad ? "nowhere" : "core");
    size = ftell(f);
    return fclose(f) == 0 && size > (1 << 20);
}

/* Assets read in two halves: an id of the second half that the first half
 * read too is reported at the second, before an error later in the
 * second half. */
NV_TEST(csv_split_load_reports_duplicate_id_across_halves)
{
    const char *dir = nv_t_tmpdir();
    struct nv_model *m;
    struct nv_err err = {0};
    int rows = 60000;

    ASSERT(dir != NULL && write_assets(dir, rows, rows - 100, rows - 10));
    m = load1(dir, &err);
    ASSERT(m == NULL);
    ASSERT_EQ(err.rc, NV_EDUP);
    ASSERT_EQ(err.line, (unsigned long)rows - 98);
    ASSERT(strstr(err.msg, "'asset-7' (first at line 9)") != NULL);
}

/* A table with ids read in two halves survives running out of memory
 * anywhere, on either thread. */
NV_TEST(csv_split_load_survives_every_allocation_failure)
{
    const char *dir = nv_t_tmpdir();

    ASSERT(dir != NULL && write_assets(dir, 60000, -1, -1));
    sweep(T, dir);
}

/* References to records that come later in the file (links before the
 * assets, a flow's path) are resolved at the end; those to records
 * already loaded are resolved as they come.  Both hold the right index. */
NV_TEST(model_resolves_references_forward_and_back)
{
    static const char text[] =
        "{\"netvet\": 1, \"links\": [{\"a\": \"x\", \"b\": \"y\"}],\n"
        " \"assets\": [{\"id\": \"x\", \"layer\": \"core\"},\n"
        "  {\"id\": \"y\", \"layer\": \"core\"},\n"
        "  {\"id\": \"z\", \"layer\": \"core\"}],\n"
        " \"flows\": [{\"id\": \"f\", \"src\": \"x\", \"dst\": \"y\",\n"
        "  \"path\": [\"x\", \"y\"]}],\n"
        " \"x-more\": null, \"sites\": [], \"partners\": []}";
    static const char more[] = "{\"netvet\": 1, \"links\": "
                               "[{\"a\": \"z\", \"b\": \"y\"}]}";
    struct nv_model *m = nv_model_new();
    struct nv_err err = {0};

    ASSERT(m != NULL);
    ASSERT_EQ(nv_load_text(m, "a.json", text, sizeof text - 1, &err), NV_OK);
    ASSERT_EQ(nv_load_text(m, "b.json", more, sizeof more - 1, &err), NV_OK);
    ASSERT_EQ(nv_model_finish(m, &err), NV_OK);
    ASSERT_EQ(NV_LINKS(m)[0].a.idx, nv_model_find(m, NV_T_ASSET, "x"));
    ASSERT_EQ(NV_LINKS(m)[0].b.idx, nv_model_find(m, NV_T_ASSET, "y"));
    ASSERT_EQ(NV_LINKS(m)[1].a.idx, nv_model_find(m, NV_T_ASSET, "z"));
    ASSERT_EQ(NV_FLOWS(m)[0].path.v[1].idx, nv_model_find(m, NV_T_ASSET, "y"));
    ASSERT_EQ(m->graph.off[m->graph.n], 4u);
    nv_model_free(m);
}

/* Rows of empty cells, blank lines and quoted line breaks leave fewer
 * records than lines in the first half of a split file: the second
 * half's records still follow the first half's, all of them, in order. */
NV_TEST(csv_split_load_closes_the_gap_between_halves)
{
    const char *dir = nv_t_tmpdir();
    struct nv_model *m;
    struct nv_err err = {0};
    FILE *f;
    int rows = 120000;

    ASSERT(dir != NULL);
    f = two_assets_and_links(dir);
    ASSERT(f != NULL);
    fputs("a,b,cost,x-note\n", f);
    for (int i = 0; i < rows; i++)
        fprintf(f, "a,b,%d,%s\n%s", i + 1, i % 5 ? "" : "\"two\nlines\"",
                i % 7 ? "" : ",,,\n\n");
    ASSERT(ftell(f) > (1 << 20)); /* read in two halves */
    fclose(f);
    m = load1(dir, &err);
    ASSERT(m != NULL);
    ASSERT_EQ(NV_COUNT(m, NV_T_LINK), (uint32_t)rows);
    for (int i = 0; i < rows; i++)
        ASSERT(NV_LINKS(m)[i].cost == i + 1);
    nv_model_free(m);
}

/* Legal forms go, the name stays: "Juniper Networks" is "Juniper
 * Networks, Inc."; "S.p.A." is a legal form; a name that is only a
 * legal form keeps it. */
NV_TEST(model_legal_key_drops_legal_forms)
{
    char key[128];

    nv_resolve_legal_key("Juniper Networks, Inc.", key, sizeof key);
    ASSERT(strcmp(key, "juniper networks") == 0);
    nv_resolve_legal_key("HUAWEI TECHNOLOGIES CO.,LTD", key, sizeof key);
    ASSERT(strcmp(key, "huawei technologies") == 0);
    nv_resolve_legal_key("Prysmian S.p.A.", key, sizeof key);
    ASSERT(strcmp(key, "prysmian") == 0);
    nv_resolve_legal_key("A.B.C. Ltd", key, sizeof key);
    ASSERT(strcmp(key, "abc") == 0);
    nv_resolve_legal_key("Company", key, sizeof key);
    ASSERT(strcmp(key, "company") == 0);
}

/* The catalogue: enough makers, each with a source, an ISO country, a
 * unique id, and a parent that comes before it. */
NV_TEST(model_catalogue_rows_are_sound)
{
    size_t n;
    const struct nv_catalogue_row *rows = nv_catalogue(&n);
    char cc[3];

    ASSERT(n >= 40);
    for (size_t i = 0; i < n; i++) {
        ASSERT(rows[i].id && rows[i].name && rows[i].aliases);
        ASSERT(strncmp(rows[i].source, "https://", 8) == 0);
        ASSERT(nv_resolve_country(rows[i].country, cc));
        ASSERT(strcmp(cc, rows[i].country) == 0);
        ASSERT_EQ(nv_resolve_catalogue_row(rows[i].id), (long)i);
        if (rows[i].parent) {
            long p = nv_resolve_catalogue_row(rows[i].parent);
            ASSERT(p >= 0 && (size_t)p < i);
        }
    }
}

/* Resolution order and notes: the model's entities win, legal forms are
 * ignored, the catalogue fills in, and what stays unknown says so. */
NV_TEST(model_resolution_is_noted)
{
    const char *path = "tests/data/models/resolve.json";
    struct nv_model *m = NULL;
    struct nv_err err = {0};
    const struct nv_vendor_res *r;

    ASSERT_EQ(nv_load_model(&path, 1, &m, &err), NV_OK);
    ASSERT(!nv_resolve_noted(m, "jnpr"));
    r = nv_resolve_noted(m, "Juniper Networks");
    ASSERT(r && r->method == NV_RESOLVE_NORMALISED);
    ASSERT(strcmp(NV_ENTITIES(m)[r->entity].id, "jnpr") == 0);
    r = nv_resolve_noted(m, "HiSilicon");
    ASSERT(r && r->method == NV_RESOLVE_CATALOGUE);
    ASSERT(strcmp(NV_ENTITIES(m)[r->entity].id, "hisilicon") == 0);
    ASSERT(strcmp(NV_ENTITIES(m)[NV_ENTITIES(m)[r->entity].root].id,
                  "huawei") == 0);
    r = nv_resolve_noted(m, "Nokia Oyj"); /* the model's nokia wins */
    ASSERT(r && strcmp(NV_ENTITIES(m)[r->entity].id, "nokia") == 0);
    ASSERT_EQ(NV_ENTITIES(m)[r->entity].origin, NV_ORIGIN_MODEL);
    r = nv_resolve_noted(m, "Acme");
    ASSERT(r && r->method == NV_RESOLVE_NONE && r->entity == NV_NONE);
    nv_model_free(m);
}

/* text loaded as a.json, every large array split at the element boundary
 * at or after off (0: as usual), and saved again as JSON; NULL, with err
 * set, when it does not load. */
static char *reload_split(const char *text, size_t off, struct nv_err *err)
{
    struct nv_model *m = nv_model_new();
    char *out = NULL;

    nv_err_clear(err);
    nv_json_split_at(off);
    if (m && !nv_load_text(m, "a.json", text, strlen(text), err) &&
        !nv_model_finish(m, err))
        out = as_json(m);
    nv_json_split_at(0);
    nv_model_free(m);
    return out;
}

/* The links of a model read in two halves, split at every boundary
 * between elements, load the same records in the same order as read in
 * one piece. */
NV_TEST(json_split_load_matches_at_every_boundary)
{
    struct nv_synth_opts o;
    struct nv_model *m = NULL;
    char *text, *links, *end;
    struct nv_err err = {0};
    int splits = 0;

    nv_synth_defaults(&o);
    o.ran_sites = 6;
    o.flows = 5;
    ASSERT_EQ(nv_synth(&o, &m, &err), NV_OK);
    text = as_json(m);
    ASSERT(text != NULL);
    links = strstr(text, "\"links\": [");
    end = links ? strstr(links, "\"flows\"") : NULL;
    ASSERT(end != NULL);
    for (char *c = links; c < end; c++) {
        char *again;
        if (*c != ',' || c[-1] != '}')
            continue;
        again = reload_split(text, (size_t)(c - text), &err);
        ASSERT(again != NULL);
        ASSERT(strcmp(again, text) == 0);
        free(again);
        splits++;
    }
    ASSERT(splits > 50);
    free(text);
    nv_model_free(m);
}

/* A links array whose strings hold what a scan for boundaries must not
 * take for structure: commas, brackets, quotes and backslashes. */
static char *tricky_links(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    fputs("{\"netvet\": 1, \"assets\": [{\"id\": \"a\", \"layer\": \"core\"},\n"
          "{\"id\": \"b\", \"layer\": \"core\"}],\n\"links\": [\n",
          f);
    for (int i = 0; i < 24; i++)
        fprintf(f,
                "%s{\"a\": \"a\", \"b\": \"b\", \"cost\": %d,\n"
                " \"x-note\": \"%s\", \"x-more\": [[], {\"k\": [1, 2]}]}",
                i ? ",\n" : "", i + 1, i % 3 ? "],\\\"}{,[" : "\\\\");
    fputs("],\n\"flows\": []}\n", f);
    fclose(f);
    return text;
}

/* text made compact: its line breaks (which lie between tokens) blanks. */
static void one_line(char *text)
{
    for (char *c = text; *c; c++)
        if (*c == '\n')
            *c = ' ';
}

/* Whatever is wrong in text, a split read reports what a read in one
 * piece does: the same error at the same line and column (the first in
 * the text, whichever half it is in), or the same model. */
static void reports_as_one_piece(struct nv_t *T, char *text)
{
    static const char subst[] = "}],\"\\x1 ";
    char *links = strstr(text, "\"links\"");
    size_t len = strlen(text), start;

    ASSERT(links != NULL);
    start = (size_t)(links - text);
    for (size_t k = start; k < len; k += 3) {
        for (const char *s = subst; *s; s++) {
            struct nv_err e1 = {0}, e2 = {0};
            size_t at =
                start + (k * 7 + (size_t)(s - subst) * 13) % (len - start);
            char keep = text[k], *one, *two;
            text[k] = *s;
            one = reload_split(text, 0, &e1);
            two = reload_split(text, at, &e2);
            text[k] = keep;
            ASSERT_EQ(one == NULL, two == NULL);
            ASSERT(!one || strcmp(one, two) == 0);
            ASSERT_EQ(e1.rc, e2.rc);
            ASSERT_EQ(e1.line, e2.line);
            ASSERT_EQ(e1.col, e2.col);
            ASSERT_STREQ(e1.msg, e2.msg);
            free(one);
            free(two);
        }
    }
}

NV_TEST(json_split_load_reports_as_one_piece)
{
    char *text = tricky_links();

    ASSERT(text != NULL);
    reports_as_one_piece(T, text);
    free(text);
}

/* The same in a compact document, without line breaks: the pieces given
 * to the parser then end inside tokens. */
NV_TEST(json_split_load_reports_as_one_piece_without_line_breaks)
{
    char *text = tricky_links();

    ASSERT(text != NULL);
    one_line(text);
    reports_as_one_piece(T, text);
    free(text);
}

/* A compact model, on one line, of a few megabytes: read in pieces that
 * end inside tokens, its large arrays split where the reader has not
 * been yet, it loads the same records in the same order. */
NV_TEST(json_compact_load_matches)
{
    static const uint32_t sites[] = {5000, 7000, 9000, 12000};

    for (size_t i = 0; i < sizeof sites / sizeof sites[0]; i++) {
        struct nv_synth_opts o;
        struct nv_model *m = NULL;
        struct nv_err err = {0};
        char *text, *compact, *again;
        nv_synth_defaults(&o);
        o.ran_sites = sites[i];
        o.flows = 100;
        ASSERT_EQ(nv_synth(&o, &m, &err), NV_OK);
        text = as_json(m);
        compact = text ? strdup(text) : NULL;
        ASSERT(compact != NULL && strlen(compact) > (3u << 20));
        one_line(compact);
        again = reload_split(compact, 0, &err);
        ASSERT(again != NULL && strcmp(again, text) == 0);
        free(again);
        free(compact);
        free(text);
        nv_model_free(m);
    }
}

/* A model of 24 assets with ids a00..a23, each on a line of its own. */
static char *assets_with_ids(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    fputs("{\"netvet\": 1, \"sites\": [{\"id\": \"s\"}],\n\"assets\": [\n", f);
    for (int i = 0; i < 24; i++)
        fprintf(f,
                "%s{\"id\": \"a%02d\", \"layer\": \"core\", \"site\": \"s\"}",
                i ? ",\n" : "", i);
    fputs("],\n\"links\": [{\"a\": \"a00\", \"b\": \"a23\"}]}\n", f);
    fclose(f);
    return text;
}

/* Assets, which have ids, read in two halves: an id of the second half
 * that the first half read too, alone or before another error, is
 * reported as a read in one piece reports it, wherever the split. */
NV_TEST(json_split_load_reports_duplicate_ids_as_one_piece)
{
    char *text = assets_with_ids(), *assets;
    int checked = 0;

    ASSERT(text != NULL);
    assets = strstr(text, "\"assets\"");
    ASSERT(assets != NULL);
    for (int i = 0; i < 24; i += 5)
        for (int j = i + 1; j < 24; j += 3) {
            char from[16], to[16], *id;
            snprintf(from, sizeof from, "\"a%02d\"", j);
            snprintf(to, sizeof to, "\"a%02d\"", i);
            id = strstr(text, from);
            memcpy(id, to, 5);
            for (char *c = assets; *c && c < strstr(assets, "\"links\""); c++) {
                struct nv_err e1 = {0}, e2 = {0};
                char *one, *two;
                if (*c != ',' || c[-1] != '}')
                    continue;
                one = reload_split(text, 0, &e1);
                two = reload_split(text, (size_t)(c - text), &e2);
                ASSERT(one == NULL && two == NULL);
                ASSERT_EQ(e1.rc, NV_EDUP);
                ASSERT_EQ(e2.rc, e1.rc);
                ASSERT_EQ(e2.line, e1.line);
                ASSERT_EQ(e2.col, e1.col);
                ASSERT_STREQ(e2.msg, e1.msg);
                checked++;
            }
            memcpy(id, from, 5);
        }
    ASSERT(checked > 500);
    free(text);
}

/* A split read survives running out of memory anywhere, on either
 * thread: the load fails with NV_ENOMEM, or (where the second half could
 * not be given its place) reads the array on one thread and loads. */
NV_TEST(json_split_load_survives_every_allocation_failure)
{
    char *text = assets_with_ids(), *split;
    long n;

    ASSERT(text != NULL);
    split = strstr(text, "a12");
    ASSERT(split != NULL);
    for (n = 0; n < 100000; n++) {
        struct nv_model *m = nv_model_new();
        struct nv_err err = {0};
        enum nv_rc rc;
        int failed;
        ASSERT(m != NULL);
        nv_json_split_at((size_t)(split - text));
        nv_alloc_fail_after(n);
        rc = nv_load_text(m, "a.json", text, strlen(text), &err);
        if (!rc)
            rc = nv_model_finish(m, &err);
        failed = nv_alloc_failed();
        nv_alloc_fail_after(-1);
        nv_json_split_at(0);
        nv_model_free(m);
        if (!failed)
            break;
        if (rc != NV_OK && rc != NV_ENOMEM)
            nv_t_fail(T, __FILE__, __LINE__, "allocation %ld: %s", n, err.msg);
    }
    ASSERT(n > 20 && n < 100000);
    free(text);
}

/* Split or not, the same assets load in the same order. */
NV_TEST(json_split_load_keeps_ids_in_order)
{
    char *text = assets_with_ids(), *one, *assets;
    struct nv_err err = {0};
    int splits = 0;

    ASSERT(text != NULL);
    one = reload_split(text, 0, &err);
    assets = strstr(text, "\"assets\"");
    ASSERT(one != NULL && assets != NULL);
    for (char *c = assets; c < strstr(assets, "\"links\""); c++) {
        char *two;
        if (*c != ',' || c[-1] != '}')
            continue;
        two = reload_split(text, (size_t)(c - text), &err);
        ASSERT(two != NULL && strcmp(one, two) == 0);
        free(two);
        splits++;
    }
    ASSERT_EQ(splits, 23);
    free(one);
    free(text);
}

/* Load site id into m as a record of file src. */
static enum nv_rc add_site(struct nv_model *m, uint32_t src, const char *id,
                           struct nv_err *err)
{
    const char *pairs[] = {"id", id, NULL};

    return nv_load_pairs(m, NV_T_SITE, src, 0, pairs, err);
}

/* A second half whose place was sized too small copies its records out
 * rather than write past it, and they still join the first half's in
 * order; an id both halves read is then a duplicate. */
NV_TEST(schema_shadow_outgrows_its_place)
{
    static const char *const first[] = {"s0", "s1"},
                             *second[] = {"s2", "s3", "s4"};
    struct nv_model *m = nv_model_new(), shadow;
    struct nv_err err = {0};
    uint32_t src;

    ASSERT(m != NULL);
    ASSERT_EQ(nv_model_add_source(m, "a.json", &src, &err), NV_OK);
    ASSERT(nv_schema_can_split(m, NV_T_SITE));
    ASSERT(!nv_schema_can_split(m, NV_T_ENTITY)); /* parents are entities */
    ASSERT_EQ(nv_schema_reserve(m, NV_T_SITE, 4, &err), NV_OK);
    nv_schema_shadow(&shadow, m, NV_T_SITE);
    ASSERT_EQ(nv_schema_shadow_view(&shadow, m, NV_T_SITE, 2, 2), NV_OK);
    for (int i = 0; i < 2; i++)
        ASSERT_EQ(add_site(m, src, first[i], &err), NV_OK);
    for (int i = 0; i < 3; i++)
        ASSERT_EQ(add_site(&shadow, src, second[i], &err), NV_OK);
    ASSERT(shadow.t[NV_T_SITE].v != NV_SITES(m) + 2);
    ASSERT_EQ(nv_schema_join_shadow(m, NV_T_SITE, &shadow, &err), NV_OK);
    nv_schema_shadow_release(&shadow, NV_T_SITE);
    ASSERT_EQ(NV_COUNT(m, NV_T_SITE), 5u);
    for (uint32_t i = 0; i < 5; i++) {
        ASSERT_EQ(nv_model_find(m, NV_T_SITE, NV_SITES(m)[i].id), (long)i);
        ASSERT(strcmp(NV_SITES(m)[i].id, i < 2 ? first[i] : second[i - 2]) ==
               0);
    }
    nv_schema_shadow(&shadow, m, NV_T_SITE);
    ASSERT_EQ(add_site(&shadow, src, "s5", &err), NV_OK);
    ASSERT_EQ(add_site(&shadow, src, "s1", &err), NV_OK);
    ASSERT_EQ(nv_schema_join_shadow(m, NV_T_SITE, &shadow, &err), NV_EDUP);
    ASSERT(strstr(err.msg, "duplicate site id 's1'") != NULL);
    nv_schema_shadow_release(&shadow, NV_T_SITE);
    nv_model_free(m);
}

/* A bad value late in a split links array is reported at its place. */
NV_TEST(json_split_load_reports_second_half_error)
{
    char *text = tricky_links(), *bad, *again;
    struct nv_err err = {0};

    ASSERT(text != NULL);
    bad = strstr(text, "\"cost\": 23,");
    ASSERT(bad != NULL);
    memcpy(bad + 8, "-1", 2);
    again =
        reload_split(text, (size_t)(strstr(text, "\"links\"") - text), &err);
    ASSERT(again == NULL);
    ASSERT_EQ(err.rc, NV_EPARSE);
    ASSERT_EQ(err.line, 3 + 2 * 22 + 1);
    ASSERT_EQ(err.col, 30);
    ASSERT(strstr(err.msg, "cost") != NULL);
    free(text);
}

/* The inventory's vendor rows and designations, against a count of the
 * assets one by one. */
static void check_inventory(struct nv_t *T, const struct nv_model *m)
{
    const struct nv_asset *a = NV_ASSETS(m);
    uint32_t desig[NV_DESIG_COUNT] = {0}, rows = 0, unresolved = 0;
    struct nv_inventory inv;
    struct nv_err err = {0};

    ASSERT_EQ(nv_inventory_build(m, &inv, &err), NV_OK);
    for (uint32_t e = 0; e < NV_COUNT(m, NV_T_ENTITY); e++) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < NV_COUNT(m, NV_T_ASSET); i++)
            n += a[i].vendor && a[i].entity == e;
        desig[nv_model_designation(m, e)] += n;
        for (uint32_t r = 0; n && r < inv.nvendors; r++)
            if (inv.vendors[r].entity == e) {
                ASSERT_EQ(inv.vendors[r].assets, n);
                ASSERT_STREQ(inv.vendors[r].vendor, NV_ENTITIES(m)[e].id);
                rows++;
            }
    }
    ASSERT_EQ(rows, inv.nvendors);
    ASSERT(!memcmp(desig, inv.by_designation, sizeof desig));
    for (uint32_t r = 1; r < inv.nvendors; r++)
        ASSERT(inv.vendors[r - 1].assets > inv.vendors[r].assets ||
               (inv.vendors[r - 1].assets == inv.vendors[r].assets &&
                strcmp(inv.vendors[r - 1].vendor, inv.vendors[r].vendor) < 0));
    for (uint32_t r = 0; r < inv.nunresolved; r++)
        unresolved += inv.unresolved[r].assets;
    ASSERT_EQ(unresolved, inv.unresolved_assets);
    nv_inventory_release(&inv);
}

NV_TEST(inventory_counts_match_asset_by_asset)
{
    struct nv_err err = {0};
    struct nv_model *m = load1("tests/data/models/small.json", &err);

    ASSERT(m != NULL);
    check_inventory(T, m);
    nv_model_free(m);
    for (uint64_t seed = 1; seed <= 20; seed++) {
        m = synth_small(seed);
        ASSERT(m != NULL);
        check_inventory(T, m);
        nv_model_free(m);
    }
}

/* Counting fails cleanly, with NV_ENOMEM and nothing leaked, whichever
 * allocation fails on either thread. */
NV_TEST(inventory_survives_every_allocation_failure)
{
    struct nv_model *m = synth_small(5);

    ASSERT(m != NULL);
    for (long n = 0;; n++) {
        struct nv_inventory inv;
        struct nv_err err = {0};
        enum nv_rc rc;
        nv_alloc_fail_after(n);
        rc = nv_inventory_build(m, &inv, &err);
        nv_alloc_fail_after(-1);
        if (rc == NV_OK) {
            nv_inventory_release(&inv);
            break;
        }
        ASSERT_EQ(rc, NV_ENOMEM);
        ASSERT(n < 1000);
    }
    nv_model_free(m);
}
