/*
 * test_snapshot.c - the binary snapshot: what is written is what is read,
 * and a damaged or hostile file is refused with its byte, never followed.
 */
#include "test.h"

#include "core/alloc.h"
#include "core/file.h"
#include "model/load.h"
#include "model/save.h"
#include "model/snapshot.h"
#include "model/snapshot_int.h"
#include "model/synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct nv_model *load_paths(const char *const *paths, size_t n)
{
    struct nv_model *m = NULL;
    struct nv_err err = {0};

    nv_err_clear(&err);
    return nv_load_model(paths, n, &m, &err) ? NULL : m;
}

/* The native JSON of m, which names every field and record. */
static char *json_of(const struct nv_model *m)
{
    struct nv_err err = {0};
    char *text = NULL;
    size_t len;

    return nv_save_json_text(m, &text, &len, &err) ? NULL : text;
}

/* m saved as a snapshot and loaded back: every record, field, override
 * and vendor resolution is as it was. */
static void round_trip(struct nv_t *T, struct nv_model *m)
{
    char path[4200];
    struct nv_model *back = NULL;
    struct nv_err err = {0};
    char *a, *b;

    ASSERT(m != NULL);
    snprintf(path, sizeof path, "%s/m.nvs", nv_t_tmpdir());
    ASSERT_EQ(nv_snapshot_save(m, path, &err), NV_OK);
    ASSERT(nv_snapshot_file_is(path));
    ASSERT_EQ(nv_snapshot_load(path, &back, &err), NV_OK);
    a = json_of(m);
    b = json_of(back);
    ASSERT(a && b);
    ASSERT_STREQ(a, b);
    ASSERT_EQ(back->noverrides, m->noverrides);
    ASSERT_EQ(back->nvres, m->nvres);
    for (uint32_t i = 0; i < m->nvres; i++) {
        ASSERT_STREQ(back->vres[i].vendor, m->vres[i].vendor);
        ASSERT_EQ(back->vres[i].method, m->vres[i].method);
        ASSERT_EQ(back->vres[i].entity, m->vres[i].entity);
    }
    ASSERT_EQ(back->graph.off[back->graph.n], m->graph.off[m->graph.n]);
    for (uint32_t i = 0; i < NV_COUNT(m, NV_T_ASSET); i++)
        ASSERT_EQ(NV_ASSETS(back)[i].entity, NV_ASSETS(m)[i].entity);
    ASSERT_EQ(nv_model_find(back, NV_T_ASSET, NV_ASSETS(m)[0].id), 0);
    nv_free(a);
    nv_free(b);
    nv_model_free(back);
    nv_model_free(m);
}

NV_TEST(snapshot_round_trips_every_field)
{
    const char *national = "examples/national/model.json";
    const char *small = "tests/data/models/small.json";
    const char *overlay[] = {
        nv_t_data_path("topologyzoo/graphml/Abilene.graphml"),
        "tests/data/overlay/sites.csv", "tests/data/overlay/assets.csv"};
    struct nv_synth_opts o;
    struct nv_model *m = NULL;
    struct nv_err err = {0};

    round_trip(T, load_paths(&national, 1));
    round_trip(T, load_paths(&small, 1));
    round_trip(T, load_paths(overlay, 3)); /* with overrides */
    nv_synth_defaults(&o);
    o.assets = 3000;
    o.flows = 300;
    o.seed = 7;
    ASSERT_EQ(nv_synth(&o, &m, &err), NV_OK);
    round_trip(T, m);
}

/* The bytes of a snapshot of the example, with a header the tests may
 * change and re-seal. */
struct image {
    unsigned char *data;
    size_t n;
    struct nv_snap_header h;
};

static int make_image(struct image *im)
{
    const char *path = "examples/national/model.json";
    char out[4200];
    struct nv_model *m = load_paths(&path, 1);
    struct nv_file f;
    struct nv_err err = {0};
    int ok;

    snprintf(out, sizeof out, "%s/e.nvs", nv_t_tmpdir());
    ok = m && !nv_snapshot_save(m, out, &err) &&
         !nv_file_read(&f, out, (size_t)-1, &err);
    nv_model_free(m);
    if (!ok)
        return 0;
    im->n = f.len;
    im->data = malloc(f.len);
    memcpy(im->data, f.data, f.len);
    memcpy(&im->h, f.data, sizeof im->h);
    nv_file_release(&f);
    return 1;
}

/* Put the header back and seal it (length, checksum), as a forger would. */
static void seal(struct image *im)
{
    size_t hs = nv_snapshot_header_size();

    im->h.length = im->n;
    memcpy(im->data, &im->h, hs);
    im->h.checksum = nv_snapshot_checksum(im->data + hs, im->n - hs);
    memcpy(im->data, &im->h, hs);
}

/* Load the image; expect failure with a message that contains want. */
static void refused(struct nv_t *T, struct image *im, const char *want)
{
    struct nv_model *m = NULL;
    struct nv_err err = {0};
    enum nv_rc rc = nv_snapshot_load_mem("x.nvs", im->data, im->n, &m, &err);

    nv_model_free(m);
    if (rc == NV_OK || !strstr(err.msg, want))
        nv_t_fail(T, __FILE__, __LINE__, "wanted '%s', got rc %d: %s", want, rc,
                  rc ? err.msg : "");
    ASSERT(rc != NV_OK);
    ASSERT_STREQ(err.file, "x.nvs");
}

NV_TEST(snapshot_refuses_damage_and_other_builds)
{
    struct image im;
    uint64_t v;

    ASSERT(make_image(&im));
    im.data[im.n / 2] ^= 1;
    refused(T, &im, "checksum does not match");
    im.data[im.n / 2] ^= 1;
    im.n -= 8;
    refused(T, &im, "length differs");
    im.n += 8;
    im.h.layout ^= 1;
    seal(&im);
    refused(T, &im, "other record layouts");
    im.h.layout ^= 1;
    im.h.version = 2;
    seal(&im);
    refused(T, &im, "unsupported snapshot version");
    im.h.version = NV_SNAP_VERSION;
    /* A section that runs past the end of the file. */
    im.h.sec[NV_SEC_TABLE + NV_T_ASSET].count = im.n;
    seal(&im);
    refused(T, &im, "outside the file");
    free(im.data);
    ASSERT(make_image(&im));
    /* The first asset's id pointing past the string region. */
    v = im.h.sec[NV_SEC_STRINGS].count + 5;
    memcpy(im.data + im.h.sec[NV_SEC_TABLE + NV_T_ASSET].off +
               offsetof(struct nv_asset, id),
           &v, sizeof v);
    seal(&im);
    refused(T, &im, "string offset lies outside");
    free(im.data);
}

/* Every hostile value a record can hold is caught before it is used. */
NV_TEST(snapshot_refuses_out_of_range_records)
{
    static const struct {
        enum nv_table t;
        size_t field;
        uint32_t value;
        const char *want;
    } cases[] = {
        {NV_T_LINK, offsetof(struct nv_link, a) + offsetof(struct nv_ref, idx),
         1u << 30, "names no record"},
        {NV_T_LINK, offsetof(struct nv_link, b) + offsetof(struct nv_ref, idx),
         NV_NONE, "names no record"},
        {NV_T_LINK,
         offsetof(struct nv_link, rec) + offsetof(struct nv_rec, src), 99,
         "no source file"},
        {NV_T_ASSET, offsetof(struct nv_asset, entity), 1u << 20,
         "resolved entity is out of range"},
        {NV_T_ENTITY, offsetof(struct nv_entity, root), 1u << 20,
         "resolved entity is out of range"},
        {NV_T_ASSET, offsetof(struct nv_asset, layer), NV_LAYER_COUNT,
         "out of its range"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct image im;
        ASSERT(make_image(&im));
        memcpy(im.data + im.h.sec[NV_SEC_TABLE + cases[i].t].off +
                   cases[i].field,
               &cases[i].value, sizeof cases[i].value);
        seal(&im);
        refused(T, &im, cases[i].want);
        free(im.data);
    }
}

NV_TEST(snapshot_refuses_a_negative_link_cost)
{
    struct image im;
    double cost = -1;

    ASSERT(make_image(&im));
    memcpy(im.data + im.h.sec[NV_SEC_TABLE + NV_T_LINK].off +
               offsetof(struct nv_link, cost),
           &cost, sizeof cost);
    seal(&im);
    refused(T, &im, "out of its range");
    free(im.data);
}

/* A snapshot loads alone: merged with another file it is refused with
 * the way out. */
NV_TEST(snapshot_is_not_merged)
{
    struct image im;
    char path[4200];
    const char *paths[2] = {"tests/data/models/small.json", path};
    struct nv_model *m = NULL;
    struct nv_err err = {0};
    FILE *f;

    ASSERT(make_image(&im));
    snprintf(path, sizeof path, "%s/m.nvs", nv_t_tmpdir());
    f = fopen(path, "wb");
    ASSERT(f != NULL);
    ASSERT_EQ(fwrite(im.data, 1, im.n, f), im.n);
    fclose(f);
    free(im.data);
    nv_err_clear(&err);
    ASSERT_EQ(nv_load_model(paths, 2, &m, &err), NV_EUNSUPPORTED);
    ASSERT(strstr(err.msg, "loads alone") != NULL);
}

/* Writing and reading fail cleanly, with NV_ENOMEM and nothing leaked,
 * whichever allocation fails. */
NV_TEST(snapshot_survives_every_allocation_failure)
{
    const char *path = "tests/data/models/small.json";
    struct nv_model *m = load_paths(&path, 1);
    char out[4200];
    struct nv_err err = {0};
    enum nv_rc rc = NV_ENOMEM;

    ASSERT(m != NULL);
    snprintf(out, sizeof out, "%s/s.nvs", nv_t_tmpdir());
    for (long n = 0; rc == NV_ENOMEM; n++) {
        nv_alloc_fail_after(n);
        rc = nv_snapshot_save(m, out, &err);
        nv_alloc_fail_after(-1);
        ASSERT(n < 100000);
    }
    ASSERT_EQ(rc, NV_OK);
    nv_model_free(m);
    rc = NV_ENOMEM;
    for (long n = 0; rc == NV_ENOMEM; n++) {
        m = NULL;
        nv_alloc_fail_after(n);
        rc = nv_snapshot_load(out, &m, &err);
        nv_alloc_fail_after(-1);
        nv_model_free(m);
        ASSERT(n < 100000);
    }
    ASSERT_EQ(rc, NV_OK);
}
