/*
 * test_netbox.c - NetBox and Nautobot import: the fixture operator, the
 * token forms, the mapping file, cable tracing in both front-port shapes,
 * and a clean failure whichever allocation fails.
 */
#include "core/alloc.h"
#include "core/file.h"
#include "model/netbox.h"
#include "model/netbox_fetch.h"
#include "test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGES "tests/data/netbox/netbox"

static enum nv_rc add_file(struct nv_netbox *nb, const char *path,
                           struct nv_err *err)
{
    struct nv_file f;
    const char *next;
    enum nv_rc rc = nv_file_read(&f, path, (size_t)1 << 24, err);

    if (rc)
        return rc;
    rc = nv_netbox_add_page(nb, f.data, f.len, path, &next, err);
    nv_file_release(&f);
    return rc;
}

static const char *const pages[] = {
    "regions.json",   "sites.json",          "platforms.json", "page-0001.json",
    "page-0002.json", "front-ports.json",    "cables.json",    "circuits.json",
    "modules.json",   "inventory-items.json"};

/* The fixture operator as a finished model, or NULL with err set. */
static struct nv_model *import(struct nv_netbox_stats *st, struct nv_err *err)
{
    struct nv_netbox *nb = nv_netbox_new();
    struct nv_netbox_map *map = nv_netbox_map_new();
    struct nv_model *m = nv_model_new();
    enum nv_rc rc =
        nb && map && m ? NV_OK : nv_err_set(err, NV_ENOMEM, "out of memory");
    char path[256];

    for (size_t i = 0; i < sizeof pages / sizeof pages[0] && !rc; i++) {
        snprintf(path, sizeof path, "%s/%s", PAGES, pages[i]);
        rc = add_file(nb, path, err);
    }
    if (!rc)
        rc = nv_netbox_build(nb, map, m, st, err);
    if (!rc)
        rc = nv_model_finish(m, err);
    nv_netbox_free(nb);
    nv_netbox_map_free(map);
    if (rc) {
        nv_model_free(m);
        return NULL;
    }
    return m;
}

static int has_link(const struct nv_model *m, const char *a, const char *b)
{
    for (uint32_t i = 0; i < NV_COUNT(m, NV_T_LINK); i++) {
        const struct nv_link *l = &NV_LINKS(m)[i];
        if ((!strcmp(l->a.id, a) && !strcmp(l->b.id, b)) ||
            (!strcmp(l->a.id, b) && !strcmp(l->b.id, a)))
            return 1;
    }
    return 0;
}

NV_TEST(netbox_fixture_operator)
{
    struct nv_netbox_stats st;
    struct nv_err err = {0};
    struct nv_model *m;
    const struct nv_asset *a;

    nv_err_clear(&err);
    m = import(&st, &err);
    ASSERT(m != NULL);
    ASSERT_EQ(NV_COUNT(m, NV_T_ASSET), 9);
    ASSERT_EQ(NV_COUNT(m, NV_T_SITE), 2);
    ASSERT_EQ(st.devices, 4);
    ASSERT_EQ(st.filtered, 1);
    ASSERT_EQ(st.passive, 2);
    ASSERT_EQ(st.links, 4);
    ASSERT_EQ(st.untraced, 0);
    ASSERT(has_link(m, "fra1-core-1", "fra1-agg-1"));
    ASSERT(has_link(m, "circuit/COLT-4711", "muc1-core-1"));
    ASSERT(!has_link(m, "fra1-agg-1", "fra1-agg-2"));
    a = &NV_ASSETS(m)[nv_model_find(m, NV_T_ASSET, "fra1-core-1/0/0/1")];
    ASSERT_STREQ(a->vendor, "Huawei Technologies Co., Ltd.");
    ASSERT_EQ(a->layer, NV_LAYER_CORE);
    a = &NV_ASSETS(m)[nv_model_find(m, NV_T_ASSET, "fra1-core-1")];
    ASSERT_STREQ(a->serial, "FOC2101X0AB");
    ASSERT_EQ(a->tags.n, 1);
    ASSERT_STREQ(NV_SITES(m)[nv_model_find(m, NV_T_SITE, "muc1")].region,
                 "Bavaria");
    nv_model_free(m);
}

/* Import fails cleanly, with NV_ENOMEM and nothing leaked, whichever
 * allocation fails. */
NV_TEST(netbox_survives_every_allocation_failure)
{
    for (long n = 0;; n++) {
        struct nv_err err = {0};
        struct nv_model *m;
        nv_err_clear(&err);
        nv_alloc_fail_after(n);
        m = import(NULL, &err);
        nv_alloc_fail_after(-1);
        if (m) {
            nv_model_free(m);
            return;
        }
        if (err.rc != NV_ENOMEM)
            nv_t_fail(T, __FILE__, __LINE__, "allocation %ld: %s", n, err.msg);
        ASSERT_EQ(err.rc, NV_ENOMEM);
        ASSERT(n < 100000);
    }
}

static int auth(const char *token, char *out)
{
    struct nv_err err = {0};
    return nv_netbox_auth(token, strlen(token), out, 128, &err);
}

NV_TEST(netbox_token_forms)
{
    char out[128];

    ASSERT_EQ(auth("0123456789abcdef0123456789abcdef01234567\n", out), NV_OK);
    ASSERT_STREQ(out, "Token 0123456789abcdef0123456789abcdef01234567");
    ASSERT_EQ(auth("  nbt_k3y.s3cr3t\r\n", out), NV_OK);
    ASSERT_STREQ(out, "Bearer nbt_k3y.s3cr3t");
    ASSERT_EQ(auth("Bearer nbt_a.b", out), NV_OK);
    ASSERT_STREQ(out, "Bearer nbt_a.b");
    ASSERT_EQ(auth("Token abc", out), NV_OK);
    ASSERT_STREQ(out, "Token abc");
    ASSERT_EQ(auth("nbt_nodot", out), NV_EINVAL);
    ASSERT_EQ(auth("", out), NV_EINVAL);
    ASSERT_EQ(auth("two words", out), NV_EINVAL);
    ASSERT_EQ(auth("tok\x01", out), NV_EINVAL);
}

static enum nv_rc parse_map(const char *text, struct nv_err *err)
{
    struct nv_netbox_map *map = nv_netbox_map_new();
    enum nv_rc rc = nv_netbox_map_parse(map, text, strlen(text), "m", err);

    nv_netbox_map_free(map);
    return rc;
}

NV_TEST(netbox_map_file)
{
    struct nv_err err = {0};

    nv_err_clear(&err);
    ASSERT_EQ(parse_map("# roles\nlayer dist edge\n\nstatus active "
                        "staged\nregion-depth 0\nlayer odf skip\n",
                        &err),
              NV_OK);
    ASSERT_EQ(parse_map("layer a b c\n", &err), NV_EPARSE);
    ASSERT_EQ(err.line, 1);
    ASSERT_EQ(parse_map("\n\nregion-depth x\n", &err), NV_EPARSE);
    ASSERT_EQ(err.line, 3);
    ASSERT_EQ(parse_map("colour red\n", &err), NV_EPARSE);
}

/* NetBox 4.5 maps front ports with a list rear_ports; a path through a
 * four-position trunk leaves by the front port of the same position. */
static const char page45[] =
    "{\"count\":9,\"next\":null,\"previous\":null,\"results\":["
    "{\"id\":1,\"url\":\"http://n/api/dcim/devices/1/\",\"name\":\"a\","
    "\"role\":{\"slug\":\"core\"},\"status\":{\"value\":\"active\"}},"
    "{\"id\":2,\"url\":\"http://n/api/dcim/devices/2/\",\"name\":\"b\","
    "\"role\":{\"slug\":\"core\"},\"status\":{\"value\":\"active\"}},"
    "{\"id\":7,\"url\":\"http://n/api/dcim/front-ports/7/\","
    "\"rear_ports\":[{\"position\":1,\"rear_port\":70,"
    "\"rear_port_position\":3}]},"
    "{\"id\":8,\"url\":\"http://n/api/dcim/front-ports/8/\","
    "\"rear_ports\":[{\"position\":1,\"rear_port\":80,"
    "\"rear_port_position\":3}]},"
    "{\"id\":9,\"url\":\"http://n/api/dcim/front-ports/9/\","
    "\"rear_ports\":[{\"position\":1,\"rear_port\":80,"
    "\"rear_port_position\":2}]},"
    "{\"id\":1,\"url\":\"http://n/api/dcim/cables/1/\","
    "\"a_terminations\":[{\"object_type\":\"dcim.interface\","
    "\"object_id\":1,\"object\":{\"device\":{\"id\":1}}}],"
    "\"b_terminations\":[{\"object_type\":\"dcim.frontport\","
    "\"object_id\":7}],\"status\":{\"value\":\"connected\"}},"
    "{\"id\":2,\"url\":\"http://n/api/dcim/cables/2/\","
    "\"a_terminations\":[{\"object_type\":\"dcim.rearport\","
    "\"object_id\":70}],\"b_terminations\":[{\"object_type\":"
    "\"dcim.rearport\",\"object_id\":80}]},"
    "{\"id\":3,\"url\":\"http://n/api/dcim/cables/3/\","
    "\"a_terminations\":[{\"object_type\":\"dcim.frontport\","
    "\"object_id\":8}],\"b_terminations\":[{\"object_type\":"
    "\"dcim.interface\",\"object_id\":2,\"object\":{\"device\":{\"id\":2}}}]},"
    "{\"id\":4,\"url\":\"http://n/api/dcim/cables/4/\","
    "\"a_terminations\":[{\"object_type\":\"dcim.frontport\","
    "\"object_id\":9}],\"b_terminations\":[{\"object_type\":"
    "\"dcim.interface\",\"object_id\":3,\"object\":{\"device\":{\"id\":1}}}]}"
    "]}";

NV_TEST(netbox_trunk_positions)
{
    struct nv_netbox *nb = nv_netbox_new();
    struct nv_netbox_map *map = nv_netbox_map_new();
    struct nv_model *m = nv_model_new();
    struct nv_netbox_stats st;
    struct nv_err err = {0};
    const char *next;

    nv_err_clear(&err);
    ASSERT_EQ(nv_netbox_add_page(nb, page45, strlen(page45), "p", &next, &err),
              NV_OK);
    ASSERT(next == NULL);
    ASSERT_EQ(nv_netbox_build(nb, map, m, &st, &err), NV_OK);
    ASSERT_EQ(nv_model_finish(m, &err), NV_OK);
    /* a-1 -> F7 -> R70 pos 3 -> R80 pos 3 -> F8 -> b; F9 (pos 2) is a
     * dead end from its interface (no cable on position 2 of R70). */
    ASSERT_EQ(st.links, 1);
    ASSERT(has_link(m, "a", "b"));
    ASSERT_EQ(st.untraced, 1);
    nv_model_free(m);
    nv_netbox_map_free(map);
    nv_netbox_free(nb);
}

NV_TEST(netbox_bad_pages)
{
    struct nv_netbox *nb = nv_netbox_new();
    struct nv_err err = {0};
    const char *next;
    const char *bad[] = {
        "[]",
        "{\"results\": 3}",
        "{\"results\": [1]}",
        "{\"results\": [{\"url\": \"http://x/y\"}]}",
        "{\"results\": [], \"next\": 5}",
        "{\"results\": [{\"url\": 1}]}",
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nv_err_clear(&err);
        ASSERT_EQ(
            nv_netbox_add_page(nb, bad[i], strlen(bad[i]), "p", &next, &err),
            NV_EPARSE);
        ASSERT_STREQ(err.file, "p");
        ASSERT(err.line == 1 && err.col >= 1);
    }
    ASSERT_EQ(nv_netbox_count(nb), 0);
    nv_netbox_free(nb);
}
