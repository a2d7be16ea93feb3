/*
 * test_snapshot.c - the binary snapshot: what is written is what is read,
 * and a damaged or hostile file is refused with its byte, never followed.
 */
#include "test.h"

#include "core/alloc.h"
#include "core/file.h"
#include "model/load.h"
#include "model/save.h"
#include "model/schema.h"
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

/* Every record of every table of m is found by its id. */
static void finds_every_id(struct nv_t *T, const struct nv_model *m)
{
    for (int t = 0; t < NV_T_COUNT; t++) {
        const struct nv_schema *s = &nv_schemas[t];
        for (uint32_t i = 0; s->fields[0].flags & NV_F_ID && i < m->t[t].n;
             i++) {
            const char *id;
            memcpy(&id,
                   (const char *)m->t[t].v + (size_t)i * s->size +
                       s->fields[0].offset,
                   sizeof id);
            ASSERT_EQ(nv_model_find(m, (enum nv_table)t, id), i);
        }
        ASSERT_EQ(nv_model_find(m, (enum nv_table)t, "no such id"), NV_NONE);
    }
}

/* A second load of the snapshot at path, while the first holds the
 * address the file is laid out for (so its pointers are moved), is the
 * same model; an entity added to it is found beside the others. */
static void second_load(struct nv_t *T, const char *path, const char *json)
{
    struct nv_model *m = NULL;
    struct nv_err err = {0};
    uint32_t idx;
    char *text;

    ASSERT_EQ(nv_snapshot_load(path, &m, &err), NV_OK);
    text = json_of(m);
    ASSERT(text != NULL);
    ASSERT_STREQ(text, json);
    nv_free(text);
    finds_every_id(T, m);
    ASSERT_EQ(nv_model_add_entity(m, "added-entity", "Added", NULL,
                                  NV_DESIG_STANDARD, NV_NONE, &idx, &err),
              NV_OK);
    ASSERT_EQ(idx, NV_COUNT(m, NV_T_ENTITY) - 1);
    finds_every_id(T, m);
    nv_model_free(m);
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
    ASSERT_EQ(nv_snapshot_verify(path, &err), NV_OK);
    a = json_of(m);
    b = json_of(back);
    ASSERT(a && b);
    ASSERT_STREQ(a, b);
    finds_every_id(T, back);
    second_load(T, path, a);
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

/* The image's bytes at the offset of section s + off set to the n
 * bytes at v, and the header sealed. */
static void poke(struct image *im, enum nv_snap_sec s, size_t off,
                 const void *v, size_t n)
{
    memcpy(im->data + im->h.sec[s].off + off, v, n);
    seal(im);
}

/* The pointer the file holds at byte off of section s. */
static uint64_t peek(const struct image *im, enum nv_snap_sec s, size_t off)
{
    uint64_t v;

    memcpy(&v, im->data + im->h.sec[s].off + off, sizeof v);
    return v;
}

/* Damage that the checks of loading cannot see is found by the
 * checksum, on request. */
NV_TEST(snapshot_verify_finds_damage)
{
    struct image im;
    char path[4200];
    struct nv_err err = {0};
    FILE *f;

    ASSERT(make_image(&im));
    /* A changed character of the last string, the same length. */
    im.data[im.n - 2] ^= 1;
    snprintf(path, sizeof path, "%s/d.nvs", nv_t_tmpdir());
    f = fopen(path, "wb");
    ASSERT(f != NULL);
    ASSERT_EQ(fwrite(im.data, 1, im.n, f), im.n);
    fclose(f);
    ASSERT_EQ(nv_snapshot_verify(path, &err), NV_EPARSE);
    ASSERT(strstr(err.msg, "checksum does not match") != NULL);
    free(im.data);
}

NV_TEST(snapshot_refuses_other_versions_and_builds)
{
    struct image im;
    uint64_t v;

    ASSERT(make_image(&im));
    im.n -= 8;
    refused(T, &im, "length differs");
    im.n += 8;
    im.h.layout ^= 1;
    seal(&im);
    refused(T, &im, "other record layouts");
    im.h.layout ^= 1;
    im.h.base += 4096;
    seal(&im);
    refused(T, &im, "other record layouts");
    im.h.base -= 4096;
    im.h.version = 1;
    seal(&im);
    refused(T, &im, "snapshot version 1; this netvet reads version 2");
    im.h.version = NV_SNAP_VERSION;
    /* A section that runs past the end of the file. */
    im.h.sec[NV_SEC_TABLE + NV_T_ASSET].count = im.n;
    seal(&im);
    refused(T, &im, "outside the file");
    free(im.data);
    ASSERT(make_image(&im));
    /* An index over its table's records. */
    im.h.sec[NV_SEC_INDEX + NV_T_ASSET].off =
        im.h.sec[NV_SEC_TABLE + NV_T_ASSET].off;
    seal(&im);
    refused(T, &im, "two sections overlap");
    free(im.data);
    ASSERT(make_image(&im));
    /* The first asset's id pointing past the string region. */
    v = NV_SNAP_BASE + im.h.sec[NV_SEC_STRINGS].off +
        im.h.sec[NV_SEC_STRINGS].count + 5;
    poke(&im, NV_SEC_TABLE + NV_T_ASSET, offsetof(struct nv_asset, id), &v,
         sizeof v);
    refused(T, &im, "leads to no string");
    free(im.data);
}

/* Pointers that lead into the string region but not to a string of its
 * own, or to another record's id, are refused. */
NV_TEST(snapshot_refuses_misleading_pointers)
{
    size_t id = offsetof(struct nv_asset, id);
    size_t site = offsetof(struct nv_asset, site);
    size_t size = sizeof(struct nv_asset);
    struct image im;
    uint64_t v;
    uint32_t k;

    ASSERT(make_image(&im));
    /* Into the middle of the first asset's id. */
    v = peek(&im, NV_SEC_TABLE + NV_T_ASSET, id) + 1;
    poke(&im, NV_SEC_TABLE + NV_T_ASSET, id, &v, sizeof v);
    refused(T, &im, "leads to no string");
    free(im.data);
    ASSERT(make_image(&im));
    /* A site reference whose id is another string than the site's. */
    v = peek(&im, NV_SEC_TABLE + NV_T_ASSET, id);
    poke(&im, NV_SEC_TABLE + NV_T_ASSET, site, &v, sizeof v);
    refused(T, &im, "names no record");
    free(im.data);
    ASSERT(make_image(&im));
    /* The second asset with the first one's id: the references to it
     * no longer hold its id (and the index would find two). */
    v = peek(&im, NV_SEC_TABLE + NV_T_ASSET, id);
    poke(&im, NV_SEC_TABLE + NV_T_ASSET, size + id, &v, sizeof v);
    refused(T, &im, "names no record");
    free(im.data);
    ASSERT(make_image(&im));
    /* An index that lists a record twice. */
    memcpy(&k, im.data + im.h.sec[NV_SEC_INDEX + NV_T_ASSET].off, sizeof k);
    poke(&im, NV_SEC_INDEX + NV_T_ASSET, sizeof k, &k, sizeof k);
    refused(T, &im, "the same id");
    free(im.data);
}

/* The string region must be UTF-8, in order, and end a string. */
NV_TEST(snapshot_refuses_bad_strings)
{
    size_t n;
    struct image im;
    unsigned char c;

    ASSERT(make_image(&im));
    n = im.h.sec[NV_SEC_STRINGS].count;
    c = 0xff;
    poke(&im, NV_SEC_STRINGS, n - 2, &c, 1);
    refused(T, &im, "not UTF-8");
    free(im.data);
    ASSERT(make_image(&im));
    c = 0x7f; /* the first string now sorts after the second */
    poke(&im, NV_SEC_STRINGS, 0, &c, 1);
    refused(T, &im, "not in order");
    free(im.data);
    ASSERT(make_image(&im));
    c = 'x';
    poke(&im, NV_SEC_STRINGS, n - 1, &c, 1);
    refused(T, &im, "does not end a string");
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
         "resolved entity or transit"},
        {NV_T_ENTITY, offsetof(struct nv_entity, root), 1u << 20,
         "resolved entity or transit"},
        {NV_T_ASSET, offsetof(struct nv_asset, transit), 2, "out of its range"},
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
