/*
 * test_screen.c - names, lists and matching, on the real lists and on
 * small crafted ones.
 */
#include "core/alloc.h"
#include "screen/lists.h"
#include "screen/match.h"
#include "screen/normalize.h"
#include "screen/screen.h"
#include "test.h"

#include <stdio.h>

static int normalises_to(const char *name, const char *want)
{
    struct nv_normalizer *nz = nv_normalizer_new();
    struct nv_name nm;
    char joined[NV_NAME_TEXT];
    int ok = nz && nv_normalize(nz, name, &nm) == NV_OK;

    if (ok) {
        nv_name_join(&nm, joined, sizeof joined);
        ok = strcmp(joined, want) == 0;
        if (!ok)
            fprintf(stderr, "  %s -> %s (want %s)\n", name, joined, want);
    }
    nv_normalizer_free(nz);
    return ok;
}

NV_TEST(normalize_folds_forms_scripts_and_abbreviations)
{
    ASSERT(normalises_to("HUAWEI TECHNOLOGIES CO.,LTD", "huawei tech co ltd"));
    ASSERT(normalises_to("Huawei Tech. Co", "huawei tech co"));
    ASSERT(normalises_to("华为技术有限公司", "huawei tech co ltd"));
    ASSERT(normalises_to("ＨＵＡＷＥＩ", "huawei"));
    ASSERT(normalises_to("Société Générale S.A.", "societe generale sa"));
    ASSERT(normalises_to("J.S.C. \"Kalashnikov\"", "jsc kalashnikov"));
    ASSERT(normalises_to("Hytera Communications Corp.", "hytera comm corp"));
    ASSERT(normalises_to("The Bank of Kunlun", "bank kunlun"));
    ASSERT(normalises_to("", ""));
}

NV_TEST(normalize_refuses_invalid_utf8)
{
    struct nv_normalizer *nz = nv_normalizer_new();
    struct nv_name nm;

    ASSERT(nz != NULL);
    ASSERT_EQ(nv_normalize(nz, "bad \xff name", &nm), NV_EPARSE);
    nv_normalizer_free(nz);
}

NV_TEST(jaro_winkler_known_values)
{
    ASSERT_NEAR(nv_jaro_winkler("martha", 6, "marhta", 6), 0.9611, 1e-4);
    ASSERT_NEAR(nv_jaro_winkler("dixon", 5, "dicksonx", 8), 0.8133, 1e-4);
    ASSERT_NEAR(nv_jaro_winkler("abc", 3, "abc", 3), 1, 0);
    ASSERT_NEAR(nv_jaro_winkler("abc", 3, "xyz", 3), 0, 0);
}

static const char *const real_lists[] = {
    "lists/us-csl-2022/consolidated.csv", "lists/us-csl-2022/entity_list.csv",
    "lists/us-telecom/fcc_covered_list_entities.csv",
    "lists/us-telecom/ndaa_section_889.csv",
    "lists/us-telecom/dod_1260h_chinese_military_companies.csv"};

static uint32_t count_list(const struct nv_lists *l, const char *list)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < l->n; i++)
        n += strcmp(l->v[i].list, list) == 0;
    return n;
}

/* Every real list loads: the parties are those of the PROVENANCE counts
 * less repeated names (one row per address) and people, ships and
 * aircraft. */
NV_TEST(lists_load_every_real_file)
{
    struct nv_lists l;
    struct nv_err err;

    nv_err_clear(&err);
    nv_lists_init(&l);
    for (size_t i = 0; i < sizeof real_lists / sizeof real_lists[0]; i++) {
        if (nv_lists_load(&l, nv_t_data_path(real_lists[i]), &err))
            nv_t_fail(T, __FILE__, __LINE__, "%s:%lu:%lu: %s", err.file,
                      err.line, err.col, err.msg);
        ASSERT_EQ(err.rc, NV_OK);
    }
    ASSERT_EQ(nv_lists_link(&l, &err), NV_OK);
    ASSERT_EQ(count_list(&l, "fcc-covered"), 13);
    ASSERT_EQ(count_list(&l, "ndaa-889"), 5);
    ASSERT_EQ(count_list(&l, "dod-1260h"), 234);
    /* The Entity List's 2,001 rows, once though both files hold them,
     * less the names repeated for other addresses. */
    ASSERT(count_list(&l, "us-entity-list") > 1500);
    ASSERT(count_list(&l, "us-entity-list") < 2001);
    ASSERT(count_list(&l, "us-sdn") > 3000);
    nv_lists_release(&l);
}

static enum nv_rc load_text(struct nv_lists *l, const char *text,
                            struct nv_err *err)
{
    nv_err_clear(err);
    return nv_lists_load_text(l, "t.csv", text, strlen(text), err);
}

static int has_alias(const struct nv_party *p, const char *name)
{
    for (uint32_t i = 0; i < p->naliases; i++)
        if (strcmp(p->aliases[i], name) == 0)
            return 1;
    return 0;
}

/* The quirks of the CSL: blanks, "; and", compound affiliate names,
 * short names in parentheses, a location after the legal form, and the
 * same party once per address. */
NV_TEST(lists_csl_traps)
{
    const char *csv =
        "_id,source,type,name,addresses,alt_names,federal_register_notice\n"
        "1,Entity List (EL) - Bureau of Industry and Security,,"
        "\"Huawei Technologies Co., Ltd. (Huawei) \",\"Shenzhen, 518129, CN\","
        "\"Huawei Tech; and Huawei Technology\",84 FR 22963\n"
        "2,Entity List (EL) - Bureau of Industry and Security,,"
        "\"Huawei Technologies Co., Ltd. (Huawei)\",\"Chengdu, CN\",,\n"
        "3,Entity List (EL) - Bureau of Industry and Security,,\"Huawei "
        "Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Huawei "
        "Cloud Beijing\",,,\n"
        "4,Entity List (EL) - Bureau of Industry and Security,,\"Acme Co., "
        "Ltd., Chengdu, Sichuan\",,,\n"
        "5,Specially Designated Nationals (SDN) - Treasury Department,"
        "Individual,\"DOE, John\",,,\n";
    struct nv_lists l;
    struct nv_err err;
    const struct nv_party *p;

    nv_lists_init(&l);
    ASSERT_EQ(load_text(&l, csv, &err), NV_OK);
    ASSERT_EQ(nv_lists_link(&l, &err), NV_OK);
    ASSERT_EQ(l.n, 3); /* one Huawei, its affiliate, Acme; no person */
    p = &l.v[0];
    ASSERT_STREQ(p->name, "Huawei Technologies Co., Ltd. (Huawei)");
    ASSERT_STREQ(p->list, "us-entity-list");
    ASSERT_STREQ(p->country, "CN");
    ASSERT_STREQ(p->citation, "84 FR 22963");
    ASSERT_EQ(p->naliases, 4); /* X Co Ltd, Huawei, Tech, Technology */
    ASSERT(has_alias(p, "Huawei Technologies Co., Ltd."));
    ASSERT(has_alias(p, "Huawei"));
    ASSERT(has_alias(p, "Huawei Technology")); /* "; and" dropped */
    ASSERT_STREQ(l.v[1].match_name, "Huawei Cloud Beijing");
    ASSERT_EQ(l.v[1].parent, 0);
    ASSERT_EQ(nv_lists_root(&l, 1), 0);
    ASSERT_STREQ(l.v[2].aliases[0], "Acme Co., Ltd.");
    ASSERT_EQ(nv_lists_designation(&l, 0), NV_DESIG_PROHIBITED);
    nv_lists_release(&l);
}

NV_TEST(lists_errors_have_positions)
{
    struct nv_lists l;
    struct nv_err err;

    nv_lists_init(&l);
    ASSERT_EQ(load_text(&l, "id,name,designation\nx,Acme,dangerous\n", &err),
              NV_EPARSE);
    ASSERT_EQ(err.line, 2);
    ASSERT_EQ(err.col, 8);
    ASSERT_EQ(load_text(&l, "what,is,this\n1,2,3\n", &err), NV_EUNSUPPORTED);
    ASSERT_EQ(load_text(&l, "name,parent\n\"open\n", &err), NV_EPARSE);
    nv_lists_release(&l);
}

NV_TEST(lists_survive_every_allocation_failure)
{
    const char *csv = "id,name,aliases,country,designation,parent\n"
                      "h,Huawei,华为;Huawei Tech,CN,high-risk,\n"
                      "s,HiSilicon,,CN,,h\n";

    for (long n = 0;; n++) {
        struct nv_lists l;
        struct nv_matcher *mt = NULL;
        struct nv_err err;
        enum nv_rc rc;

        nv_lists_init(&l);
        nv_alloc_fail_after(n);
        rc = load_text(&l, csv, &err);
        if (!rc)
            rc = nv_lists_link(&l, &err);
        if (!rc)
            rc = nv_matcher_new(&l, &mt, &err);
        nv_alloc_fail_after(-1);
        nv_matcher_free(mt);
        nv_lists_release(&l);
        if (rc == NV_OK)
            return;
        ASSERT_EQ(rc, NV_ENOMEM);
        ASSERT(n < 10000);
    }
}

/* The bands on the real lists: listed names and variants match; sister
 * companies and lookalikes do not. */
NV_TEST(match_real_lists_bands)
{
    static const struct {
        const char *query;
        enum nv_band band;
        const char *party; /* a word of the listed party's name */
    } cases[] = {
        {"HUAWEI TECHNOLOGIES CO.,LTD", NV_BAND_MATCH, "Huawei Technologies"},
        {"华为技术有限公司", NV_BAND_MATCH, "Huawei Technologies"},
        {"Hauwei Technologies", NV_BAND_MATCH, "Huawei"},
        {"Huawei Device Co., Ltd.", NV_BAND_MATCH, "Huawei Device"},
        {"HiSilicon", NV_BAND_MATCH, "HiSilicon"},
        {"Quectel", NV_BAND_MATCH, "Quectel"},
        {"New H3C Technologies", NV_BAND_REVIEW, "Semiconductor"},
        {"Chunghwa Telecom", NV_BAND_NONE, NULL},
        {"Nokia Solutions and Networks", NV_BAND_NONE, NULL},
        {"Huawai Garden Supplies", NV_BAND_NONE, NULL},
        {"Intel Corporation", NV_BAND_NONE, NULL},
    };
    char csl[512], dod[512];
    const char *paths[2] = {csl, dod};
    struct nv_screen s;
    struct nv_err err;

    snprintf(csl, sizeof csl, "%s",
             nv_t_data_path("lists/us-csl-2022/consolidated.csv"));
    snprintf(dod, sizeof dod, "%s",
             nv_t_data_path("lists/us-telecom/"
                            "dod_1260h_chinese_military_companies.csv"));
    ASSERT_EQ(nv_screen_open(&s, paths, 2, &err), NV_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct nv_match_hit h;
        uint32_t n;
        enum nv_band band;
        ASSERT_EQ(nv_matcher_screen(s.mt, cases[i].query, &h, 1, &n, &err),
                  NV_OK);
        band = n ? h.band : NV_BAND_NONE;
        if (band != cases[i].band)
            nv_t_fail(T, __FILE__, __LINE__, "%s: band %d, want %d (%s)",
                      cases[i].query, band, cases[i].band,
                      n ? s.lists.v[h.party].name : "-");
        ASSERT_EQ(band, cases[i].band);
        ASSERT(!cases[i].party ||
               strstr(s.lists.v[h.party].name, cases[i].party));
    }
    nv_screen_close(&s);
}
