/*
 * test_screen.c - names, lists and matching, on the real lists and on
 * small crafted ones.
 */
#include "core/alloc.h"
#include "screen/lists.h"
#include "screen/acronym.h"
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

/* A place of two words is read as table words are: with digits for
 * letters or one letter wrong in a long word; a short word only as
 * written ("Abu Dabi" is no place). */
NV_TEST(normalize_places_of_two_words_misspelt)
{
    ASSERT(normalises_to("Ministry of Finance of the Russian Federation",
                         "ministry finance russia"));
    ASSERT(normalises_to("Ministry of Finance of the Russain Federation",
                         "ministry finance russia"));
    ASSERT(normalises_to("Ministry of Finance of the Russian Federati0n",
                         "ministry finance russia"));
    ASSERT(normalises_to("Ministry of Finance of the Russian Federaton",
                         "ministry finance russia"));
    ASSERT(normalises_to("Abu Dabi", "abu dabi"));
    ASSERT(normalises_to("Hong K0ng", "hongkong"));
}

/* Nested parentheses stay in the outer part: the former name runs to
 * the outer closing parenthesis. */
NV_TEST(normalize_nested_parentheses_stay_in_the_outer_part)
{
    struct nv_normalizer *nz = nv_normalizer_new();
    struct nv_name nm;

    ASSERT(nz != NULL);
    ASSERT_EQ(nv_normalize(nz,
                           "Acme 7th Institute (formerly Zeta Group (ZG) "
                           "7th Institute), Moscow",
                           &nm),
              NV_OK);
    ASSERT_EQ(nm.n, 9);
    ASSERT_STREQ(nv_name_token(&nm, 7), "inst");
    ASSERT_EQ(nm.segkind[nm.seg[7]], NV_SEG_FORMER);
    ASSERT_EQ(nm.seg[3], nm.seg[7]);               /* zeta ... institute */
    ASSERT_EQ(nm.segkind[nm.seg[8]], NV_SEG_MAIN); /* moscow */
    nv_normalizer_free(nz);
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
    struct nv_err err = {0};

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
    struct nv_err err = {0};
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
    struct nv_err err = {0};

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
                      "s,HiSilicon,,CN,,h\n"
                      "c,China Electronics Technology Group (CETC),,CN,,\n"
                      "a,Aviation Industry Corporation of China,AVIC,CN,,\n";

    for (long n = 0;; n++) {
        struct nv_lists l;
        struct nv_matcher *mt = NULL;
        struct nv_err err = {0};
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
        /* an institute's number written bare for a listed ordinal, and
         * the other way; a number is no address, and each form keeps
         * its rarity */
        {"China Electronics Technology Group Corporation 38 Research "
         "Institute",
         NV_BAND_MATCH, "38th Research Institute"},
        {"China Aerospace Science and Industry Corporation 3rd Academy 31st "
         "Research Institute",
         NV_BAND_MATCH, "31 Research Institute"},
        {"China State Shipbuilding Corp. 703 Institute", NV_BAND_MATCH,
         "703rd Research Institute"},
        {"CSSC 703", NV_BAND_REVIEW, "703rd Research Institute"},
        {"711 Aircraft Repair Plant", NV_BAND_MATCH, "711 AIRCRAFT REPAIR"},
        /* a party's short alias, and a query that says more: a review;
         * a short primary name says the company (BYD) */
        {"TCL Technology Group", NV_BAND_REVIEW, "Techno-Commercial"},
        {"BYD Group Co., Ltd.", NV_BAND_MATCH, "BYD Company"},
        /* a listed acronym's expansion read as the acronym */
        {"15th Research Institute of China Electronics Technology Group "
         "Corporation",
         NV_BAND_MATCH, "15th Research Institute of CETC"},
        {"Aviation Industry Corporation of China Chengdu Aircraft Co",
         NV_BAND_MATCH, "AVIC Chengdu Aircraft"},
    };
    char csl[512], dod[512];
    const char *paths[2] = {csl, dod};
    struct nv_screen s;
    struct nv_err err = {0};

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

/* ---- the kinds of inventory strings of issue 12, on a crafted list ---- */

static const char kinds_list[] =
    "id,name,aliases,country,designation,parent\n"
    "mikron,PJSC Mikron,,RU,,\n"
    "baikal,Baikal Electronics JSC,,RU,,\n"
    "ptech,Positive Technologies,,RU,,\n"
    "sozvezdie,Joint Stock Company Concern Sozvezdie,,RU,,\n"
    "skylinks,Skylinks FZC,,AE,,\n"
    "mecatech,Mecatech (Private) Limited,,PK,,\n"
    "hik,Hangzhou Hikvision Digital Technology Co. Ltd.,Hikvision,CN,,\n"
    "paec,Pakistan Atomic Energy Commission (PAEC),,PK,,\n"
    "gulf,Sky Gulf Electronic Devices Industries,,AE,,\n"
    "neda,Neda Overseas Electronics L.L.C.,,AE,,\n"
    "crescent,Crescent International Trade and Services FZE,,AE,,\n"
    "abris,Abris,,RU,,\n"
    "abristech,Abris-Technology,,RU,,\n"
    "xian,Xi?an Research Institute of Navigation Technology,,CN,,\n"
    "brasil,Huawei do Brasil Telecomunicac?es Ltda,,BR,,\n"
    "coop,Huawei Technologies Co\xe2\x80\x9dperatief U.A.,,NL,,\n"
    "tech,Zhongke Shenzhou Technology Group,,CN,,\n"
    "mex,Grupo Industrial Saltillo S.A. de C.V.,,MX,,\n"
    "wave,Wave Tech Computers,,AE,,\n"
    "waveg,Wave Tech Group,,AE,,\n"
    "yogone,Yogone Electronics Co.,,CN,,\n"
    "tronics,Tronics Ltd,,CN,,\n"
    "crrc,CRRC Corporation Limited,,CN,,\n"
    "simon,Simon Azur Air,,FR,,\n"
    "hongyuan,Shaanxi Hongyuan Aviation Forging,,CN,,\n"
    "jouav,Chengdu JOUAV Automation Tech Co.,,CN,,\n"
    "norsal,Norsal Export Limited,,AE,,\n"
    "kenwoo,Kenwoo International Trade Company,,CN,,\n"
    "iih,International Investments Holding S.A. de C.V.,,MX,,\n"
    "smic,Semiconductor Manufacturing International Corporation,,CN,,\n"
    "chengdu,Chengdu Aviation Institute,,CN,,\n"
    "jin1,JIN ZHONGDA,,CN,,\n"
    "jin2,\"ZHONGDA, JIN\",,CN,,\n"
    "top,TOP TECHNOLOGIES SARL,,TR,,\n"
    "toptech,Toptech Electronics Ltd.,,CN,,\n"
    "topflight,Top Flight Ltd,,GB,,\n"
    "power,PJSC Power Machines,,RU,,\n"
    "tmc,\"Tactical Missile Corporation, Joint Stock Company Elektrotyaga\","
    ",RU,,\n"
    "nerpa,Nerpa Shipyard,,RU,,\n"
    "bankdev,Bank for Development,,RU,,\n"
    "strela,\"Tactical Missile Corporation, Joint Stock Company PA Strela\","
    ",RU,,\n"
    "copa,Copa Airlines,,PA,,\n"
    "pa,PA Zeta,,RU,,\n"
    "huawei,\"Huawei Technologies Co., Ltd.\",Huawei,CN,,\n"
    "huaweith,Huawei Technologies (Thailand) Co.,,TH,,\n"
    "saraya,Saraya Al-Mukhtar,SAM,IQ,,\n"
    "samc,\"Shanghai Aircraft Manufacturing Co., Ltd.\",,CN,,\n"
    "sbereu,Sberbank Europe AG,,AT,,\n"
    "bps,OJSC BPS-Sberbank,SBER BANK,BY,,\n"
    "alcinv,Al Cardinal Investments Co. Ltd,,AE,,\n"
    "alcard,Alcardinal Trading,Alcardinal,AE,,\n"
    "olid,Olid Ltd.,,RU,,\n"
    "ellissa,Ellissa Holding,,LB,,\n"
    "bienes,\"Bienes Raices del Caribe, S.A.\",,CO,,\n"
    "acua,\"Acuaindustria Narciso Mendoza, S.C. de R.L. de C.V.\",,MX,,\n"
    "ksoft,K-Soft Enterprises,,IN,,\n"
    "bnc,Banco Nacional de Cuba,,CU,,\n"
    "skyone,Aero Skyone Co. Limited,,CN,,\n"
    "skyc,Sky One Construction Company Limited,,CN,,\n"
    "onet,One Top Trading,,CN,,\n"
    "ones,One Star Shipping,,CN,,\n"
    "skyb,Blue Sky Aviation,,CN,,\n"
    "cetc14,14th Research Institute of CETC,,CN,,\n"
    "cetc15,15th Research Institute of CETC,,CN,,\n"
    "nece,\"NEC Engineers Private, Ltd.\",,PK,,\n"
    "smirnov,Smirnov Instruments,,RU,,\n"
    "neftserv,Neftservis LLC,,RU,,\n"
    "fedorov,Fedorov Machine Plant,,RU,,\n"
    "nordplat,Nord Platforms,,RU,,\n"
    "aktiv,Aktiv Kapital,,RU,,\n";

static const char kinds_aliases[] =
    "alias_of,alias,script,source\n"
    "Hangzhou Hikvision Digital Technology Co. Ltd.,"
    "\xe6\x9d\xad\xe5\xb7\x9e\xe6\xb5\xb7\xe5\xba\xb7\xe5\xa8\x81\xe8\xa7\x86"
    "\xe6\x95\xb0\xe5\xad\x97\xe6\x8a\x80\xe6\x9c\xaf\xe8\x82\xa1\xe4\xbb\xbd"
    "\xe6\x9c\x89\xe9\x99\x90\xe5\x85\xac\xe5\x8f\xb8,Hans,"
    "Hikvision annual report 2023 (SZSE 002415)\n";

struct kind_case {
    const char *query;
    const char *party; /* the id of the party it must match, or NULL */
};

static void screen_kinds(struct nv_t *T, const struct kind_case *c, size_t n)
{
    struct nv_lists l;
    struct nv_matcher *mt = NULL;
    struct nv_err err = {0};
    const char *ids[] = {
        "mikron",    "baikal",   "ptech",     "sozvezdie", "skylinks",
        "mecatech",  "hik",      "paec",      "gulf",      "neda",
        "crescent",  "abris",    "abristech", "xian",      "brasil",
        "coop",      "tech",     "mex",       "wave",      "waveg",
        "yogone",    "tronics",  "crrc",      "simon",     "hongyuan",
        "jouav",     "norsal",   "kenwoo",    "iih",       "smic",
        "chengdu",   "jin1",     "jin2",      "top",       "toptech",
        "topflight", "power",    "tmc",       "nerpa",     "bankdev",
        "strela",    "copa",     "pa",        "huawei",    "huaweith",
        "saraya",    "samc",     "sbereu",    "bps",       "alcinv",
        "alcard",    "olid",     "ellissa",   "bienes",    "acua",
        "ksoft",     "bnc",      "skyone",    "skyc",      "onet",
        "ones",      "skyb",     "cetc14",    "cetc15",    "nece",
        "smirnov",   "neftserv", "fedorov",   "nordplat",  "aktiv"};

    nv_lists_init(&l);
    ASSERT_EQ(load_text(&l, kinds_list, &err), NV_OK);
    ASSERT_EQ(nv_lists_load_text(&l, "aliases.csv", kinds_aliases,
                                 strlen(kinds_aliases), &err),
              NV_OK);
    ASSERT_EQ(nv_lists_link(&l, &err), NV_OK);
    ASSERT_EQ(nv_matcher_new(&l, &mt, &err), NV_OK);
    for (size_t i = 0; i < n; i++) {
        struct nv_match_hit h;
        uint32_t got;
        const char *who = NULL;
        ASSERT_EQ(nv_matcher_screen(mt, c[i].query, &h, 1, &got, &err), NV_OK);
        if (got && h.band == NV_BAND_MATCH)
            who = ids[h.party]; /* parties are in file order */
        if ((who == NULL) != (c[i].party == NULL) ||
            (who && strcmp(who, c[i].party) != 0))
            nv_t_fail(T, __FILE__, __LINE__, "%s: matched %s, want %s",
                      c[i].query, who ? who : "nothing",
                      c[i].party ? c[i].party : "nothing");
    }
    nv_matcher_free(mt);
    nv_lists_release(&l);
}

NV_TEST(kind_legal_forms_of_other_jurisdictions)
{
    static const struct kind_case c[] = {
        {"PAO Mikron", "mikron"},
        {"Mikron, Public Joint Stock Company", "mikron"},
        {"OOO Positive Technologies", "ptech"},
        {"AO Concern Sozvezdie", "sozvezdie"},
        {"Skylinks F.Z.C.", "skylinks"},
        {"Skylinks FZ-C", "skylinks"},
        {"Mecatech (Pvt) Ltd", "mecatech"},
        {"Mecatech Private Limited", "mecatech"},
        {"Neda Overseas Electronics LLC", "neda"},
        {"Grupo Industrial Saltillo SA de CV", "mex"},
        {"Huawei do Brasil Telecomunicacoes Ltda.", "brasil"},
    };
    screen_kinds(T, c, sizeof c / sizeof c[0]);
}

NV_TEST(kind_addresses_acronyms_and_former_names)
{
    static const struct kind_case c[] = {
        {"Mikron PJSC, Zelenograd, Moscow, Russia", "mikron"},
        {"Skylinks FZC, Unit 7, Sharjah, United Arab Emirates", "skylinks"},
        {"Hikvision, 555 Qianmo Road, Binjiang District, Hangzhou", "hik"},
        {"Stealth Skylinks FZC Dubai UAE", NULL},
        {"Pakistan Atomic Energy Commission (PAEC)", "paec"},
        {"PAEC", "paec"},
        {"Positive Technologies (formerly Positive Research)", "ptech"},
    };
    screen_kinds(T, c, sizeof c / sizeof c[0]);
}

NV_TEST(kind_cyrillic_and_romanisations)
{
    static const struct kind_case c[] = {
        {"\xd0\x9f\xd0\x90\xd0\x9e \xc2\xab\xd0\x9c\xd0\xb8\xd0\xba\xd1\x80"
         "\xd0\xbe\xd0\xbd\xc2\xbb",
         "mikron"}, /* ПАО «Микрон» */
        {"\xd0\x91\xd0\xb0\xd0\xb9\xd0\xba\xd0\xb0\xd0\xbb "
         "\xd0\xad\xd0\xbb\xd0\xb5\xd0\xba\xd1\x82\xd1\x80\xd0\xbe\xd0\xbd"
         "\xd0\xb8\xd0\xba\xd1\x81",
         "baikal"}, /* Байкал Электроникс */
        {"Micron PJSC", "mikron"},
        {"Baykal Electronics", "baikal"},
        {"Bajkal Elektroniks", "baikal"},
        {"Sozvezdiye Concern", "sozvezdie"},
    };
    screen_kinds(T, c, sizeof c / sizeof c[0]);
}

NV_TEST(kind_han_legal_names_through_the_alias_table)
{
    static const struct kind_case c[] = {
        {"\xe6\x9d\xad\xe5\xb7\x9e\xe6\xb5\xb7\xe5\xba\xb7\xe5\xa8\x81\xe8\xa7"
         "\x86\xe6\x95\xb0\xe5\xad\x97\xe6\x8a\x80\xe6\x9c\xaf\xe8\x82\xa1\xe4"
         "\xbb\xbd\xe6\x9c\x89\xe9\x99\x90\xe5\x85\xac\xe5\x8f\xb8",
         "hik"}, /* 杭州海康威视数字技术股份有限公司 */
    };
    screen_kinds(T, c, sizeof c / sizeof c[0]);
}

NV_TEST(kind_joined_split_ocr_typos_and_abbreviations)
{
    static const struct kind_case c[] = {
        {"Hik Vision Digital Technology", "hik"},
        {"Sky Links FZC", "skylinks"},
        {"SkyGulf Electronic Devices Industries", "gulf"},
        {"Mikr0n PJSC", "mikron"},
        {"HIKVISl0N", "hik"},
        {"Sky Gulf Electornic Devices Industries", "gulf"},
        {"Neda Overseas Electonics", "neda"},
        {"Sky Gulf Elec. Devices Ind.", "gulf"},
        {"Crescent Int'l Trade and Services FZE", "crescent"},
        {"Wave Tech Comps", NULL},
    };
    screen_kinds(T, c, sizeof c / sizeof c[0]);
}

/* A word written apart is joined as written: "Elec" alone is the table
 * word electronics, and "tronics" a listed word; a legal form too. */
NV_TEST(kind_words_written_apart_join_as_written)
{
    static const struct kind_case c[] = {
        {"Yogone Elec tronics Co", "yogone"},
        {"CRRC Corpor ation Limited", "crrc"},
        {"Tronics Ltd", "tronics"},
        {"TacticalMissile Corporation Joint Stock Company PA Strela",
         "strela"}, /* "co pa" is not Copa */
    };
    screen_kinds(T, c, sizeof c / sizeof c[0]);
}

/* OCR confusions in short words (the folded keys leave words under six
 * letters alone); one letter changed in the middle of a word, which
 * Jaro-Winkler rates low; a place misspelt; a five-letter word one
 * letter short of a listed one, or of a six-letter descriptive word;
 * but not a word that ends otherwise. */
NV_TEST(kind_short_ocr_and_one_edit_typos)
{
    static const struct kind_case c[] = {
        {"SlMON AZUR AlR", "simon"},
        {"Shaanxi Hongyuan Avoation Forging", "hongyuan"},
        {"Chegdu JOUAV Automation Tech Co.", "jouav"},
        {"NRSAL EXPORT LIMITED", "norsal"},
        {"Norsal Exprt Limited", "norsal"},
        {"Pakistan Atomic Enrgy Commission", "paec"},
        {"Kenwood International Trade Company", NULL},
    };
    screen_kinds(T, c, sizeof c / sizeof c[0]);
}

/* A short word alone ("NEC", three letters) is many companies' initials:
 * where the listed name says more, it is for review, not a match; with
 * what the listed name says, or with another word it shares, it is. */
NV_TEST(kind_short_word_alone_is_for_review)
{
    static const struct kind_case c[] = {
        {"NEC Corporation", NULL},
        {"NEC", NULL},
        {"NEC Engineers Pvt Ltd", "nece"},
        {"CRRC", "crrc"},
    };
    screen_kinds(T, c, sizeof c / sizeof c[0]);
}

/* Russian names in the Latin of other times and languages: a final -ов
 * as -off, ё as yo or e, loanwords in their English spelling; and a
 * Russian plural (-ы) read from Cyrillic against the English -s. */
NV_TEST(kind_russian_endings_yo_and_plurals)
{
    static const struct kind_case c[] = {
        {"Smirnoff Instruments", "smirnov"},
        {"Neftservice", "neftserv"},
        {"Fyodorov Machine Plant", "fedorov"},
        {"Active Kapital", "aktiv"},
        {"\xd0\x9d\xd0\xbe\xd1\x80\xd0\xb4 \xd0\x9f\xd0\xbb\xd0\xb0\xd1\x82"
         "\xd1\x84\xd0\xbe\xd1\x80\xd0\xbc\xd1\x8b",
         "nordplat"}, /* Норд Платформы */
        {"Smirnoff Tools", NULL},
    };
    char a[64], b[64];

    screen_kinds(T, c, sizeof c / sizeof c[0]);
    ASSERT_EQ(nv_fold_key("kalashnikoff", 12, a),
              nv_fold_key("kalashnikov", 11, b));
    ASSERT(memcmp(a, b, nv_fold_key("kalashnikov", 11, b)) == 0);
    ASSERT_EQ(nv_fold_key("zvyozdochka", 11, a),
              nv_fold_key("zvezdochka", 10, b));
    ASSERT(memcmp(a, b, nv_fold_key("zvezdochka", 10, b)) == 0);
    ASSERT(nv_fold_key("off", 3, a) == 2 && memcmp(a, "of", 2) == 0);
}

/* Such a review says why it is no match. */
NV_TEST(short_word_review_says_why)
{
    struct nv_lists l;
    struct nv_matcher *mt = NULL;
    struct nv_err err = {0};
    struct nv_match_hit h;
    uint32_t got;

    nv_lists_init(&l);
    ASSERT_EQ(load_text(&l,
                        "id,name,aliases,country,designation,parent\n"
                        "nece,\"NEC Engineers Private, Ltd.\",,PK,,\n",
                        &err),
              NV_OK);
    ASSERT_EQ(nv_lists_link(&l, &err), NV_OK);
    ASSERT_EQ(nv_matcher_new(&l, &mt, &err), NV_OK);
    ASSERT_EQ(nv_matcher_screen(mt, "NEC Corporation", &h, 1, &got, &err),
              NV_OK);
    ASSERT_EQ(got, 1u);
    ASSERT_EQ(h.band, NV_BAND_REVIEW);
    ASSERT(strstr(h.explain, "one short word shared") != NULL);
    nv_matcher_free(mt);
    nv_lists_release(&l);
}

/* A listed name that is one common word and a legal form ("United", in
 * more than ten listed names) does not tell a company that says more:
 * for review, saying why; the name itself still matches. */
NV_TEST(one_common_word_is_for_review)
{
    struct nv_lists l;
    struct nv_matcher *mt = NULL;
    struct nv_err err = {0};
    struct nv_match_hit h;
    uint32_t got;
    static char csv[65536];
    static const char *const other[] = {
        "Shipbuilding", "Aircraft",   "Engineering", "Instruments",
        "Metals",       "Chemicals",  "Motors",      "Shipping",
        "Minerals",     "Industries", "Aviation"};

    snprintf(csv, sizeof csv,
             "id,name,aliases,country,designation,parent\n"
             "u,United Company OJSC,,RU,,\n");
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
        snprintf(csv + strlen(csv), sizeof csv - strlen(csv),
                 "u%zu,United %s,,RU,,\n", i, other[i]);
    for (int i = 0; i < 2000; i++) /* a list where "united" is rare and
                                      "technologies" common, as in the
                                      CSL: without the rule, a match */
        snprintf(csv + strlen(csv), sizeof csv - strlen(csv),
                 "f%d,Zor%c%c%c Technologies,,RU,,\n", i, 'a' + i % 26,
                 'a' + i / 26 % 26, 'a' + i / 676 % 26);
    nv_lists_init(&l);
    ASSERT_EQ(load_text(&l, csv, &err), NV_OK);
    ASSERT_EQ(nv_lists_link(&l, &err), NV_OK);
    ASSERT_EQ(nv_matcher_new(&l, &mt, &err), NV_OK);
    ASSERT_EQ(nv_matcher_screen(mt, "United Technologies Corporation", &h, 1,
                                &got, &err),
              NV_OK);
    ASSERT(got == 0 || h.band != NV_BAND_MATCH);
    ASSERT_EQ(nv_matcher_screen(mt, "United Technologies", &h, 1, &got, &err),
              NV_OK);
    ASSERT_EQ(got, 1u);
    ASSERT_EQ(h.band, NV_BAND_REVIEW);
    ASSERT(strstr(h.explain, "one common word shared") != NULL);
    ASSERT_EQ(nv_matcher_screen(mt, "OOO United", &h, 1, &got, &err), NV_OK);
    ASSERT(got == 1 && h.band == NV_BAND_MATCH && h.party == 0);
    nv_matcher_free(mt);
    nv_lists_release(&l);
}

/* Listed names of the same words in another order are told apart by
 * the order (not by the shorter name); a name is screened as written too when
 * mending it ("TOP TECHNOLOGIES" -> toptech, a listed word) found another
 * party. */
NV_TEST(kind_word_order_and_names_as_written)
{
    static const struct kind_case c[] = {
        {"JIN ZHONGDA LLC", "jin1"},
        {"Zhongda Jin Corp.", "jin2"},
        {"TOP TECHNOLOGIES SARL", "top"},
        {"Toptech Electronics", "toptech"},
    };
    screen_kinds(T, c, sizeof c / sizeof c[0]);
}

/* Russian written in Cyrillic and read back by BGN/PCGN: "дж" is dzh
 * (an English j), "е" after a vowel ye; a short word of a name in
 * another script is folded too, and so is a short Latin one ("Pover" is
 * Power written as Russian says it); ПАО is a PJSC. */
NV_TEST(kind_cyrillic_short_words_dzh_and_ye)
{
    static const struct kind_case c[] = {
        {"\xd0\x9f\xd0\x90\xd0\x9e \xc2\xab\xd0\x9f\xd0\xbe\xd0\xb2\xd0\xb5"
         "\xd1\x80 \xd0\x9c\xd0\xb0\xd1\x87\xd0\xb8\xd0\xbd\xd0\xb5\xd1\x81"
         "\xc2\xbb",
         "power"}, /* ПАО «Повер Мачинес» */
        {"Tactical Missile Corporation Dzhoint Stock Company Elektrotyaga",
         "tmc"},
        {"Nyerpa Shipyard", "nerpa"},
        {"Pover Machines", "power"},
    };
    char a[64], b[64];

    screen_kinds(T, c, sizeof c / sizeof c[0]);
    ASSERT_EQ(nv_fold_key("dzhoint", 7, a), nv_fold_key("joint", 5, b));
    ASSERT(memcmp(a, b, nv_fold_key("joint", 5, b)) == 0);
    ASSERT(normalises_to("\xd0\x9f\xd0\x90\xd0\x9e \xd0\x9e\xd0\x9e\xd0\x9e",
                         "pjsc llc")); /* ПАО ООО */
}

/* A brand alone finds a listing whose other words are generic
 * (Sarmayeh is Sarmayeh Bank on the SDN list: bank is a generic word;
 * Banias is Banias Refinery Company: refinery is an industry word of
 * many listed names);
 * "S.A. C.V." is the two legal forms sa and cv, not one word sacv. */
NV_TEST(kind_brand_and_generic_words_and_dotted_forms_apart)
{
    static const char csl[] =
        "_id,source,type,name,addresses,alt_names,federal_register_notice\n"
        "1,Specially Designated Nationals (SDN) - Treasury Department,"
        "Entity,SARMAYEH BANK,\"Tehran, IR\",,\n"
        "2,Specially Designated Nationals (SDN) - Treasury Department,"
        "Entity,\"GRUPO SEGTAC, S.A. DE C.V.\",\"Mexico City, MX\",,\n"
        "3,Specially Designated Nationals (SDN) - Treasury Department,"
        "Entity,BANIAS REFINERY COMPANY,\"Banias, SY\",,\n"
        "4,Specially Designated Nationals (SDN) - Treasury Department,"
        "Entity,HOMS REFINERY COMPANY,\"Homs, SY\",,\n";
    struct nv_lists l;
    struct nv_matcher *mt = NULL;
    struct nv_err err = {0};
    struct nv_match_hit h;
    uint32_t got;

    nv_lists_init(&l);
    ASSERT_EQ(
        nv_lists_load_text(&l, "consolidated.csv", csl, strlen(csl), &err),
        NV_OK);
    ASSERT_EQ(nv_lists_link(&l, &err), NV_OK);
    ASSERT_EQ(nv_matcher_new(&l, &mt, &err), NV_OK);
    ASSERT_EQ(nv_matcher_screen(mt, "Sarmayeh", &h, 1, &got, &err), NV_OK);
    ASSERT(got == 1 && h.band == NV_BAND_MATCH && h.party == 0);
    ASSERT_EQ(nv_matcher_screen(mt, "GRUPO SEGTAC S.A. C.V", &h, 1, &got, &err),
              NV_OK);
    ASSERT(got == 1 && h.band == NV_BAND_MATCH && h.party == 1);
    ASSERT_EQ(nv_matcher_screen(mt, "Banias", &h, 1, &got, &err), NV_OK);
    ASSERT(got == 1 && h.band == NV_BAND_MATCH && h.party == 2);
    nv_matcher_free(mt);
    nv_lists_release(&l);
    ASSERT(normalises_to("Grupo S.A. C.V.", "group sa cv"));
    ASSERT(normalises_to("J.S.C. Alpha", "jsc alpha"));
}

/* A name of generic words alone finds its listing; a place before such
 * a name makes another company. */
NV_TEST(kind_names_of_generic_words)
{
    static const struct kind_case c[] = {
        {"INTERNATIONAL INVESTMENTS HOLDING S.A. DE C.V", "iih"},
        {"Semiconductor Manufacturing International Corp", "smic"},
        {"Wuhan International Investments Holding", NULL},
        {"Development Bank", "bankdev"},
        {"Cyprus Development Bank", NULL}, /* bank: a generic word */
    };
    screen_kinds(T, c, sizeof c / sizeof c[0]);
}

NV_TEST(kind_brands_sister_parties_and_misdecoded_list_rows)
{
    static const struct kind_case c[] = {
        {"Abris", "abris"},
        {"Abris Technology", "abristech"},
        {"Wave Tech Group", "waveg"},
        {"Wave Tech Computers LLC", "wave"},
        {"Xi'an Research Institute of Navigation Technology", "xian"},
        {"Huawei do Brasil Telecomunica\xc3\xa7\xc3\xb5"
         "es Ltda",
         "brasil"},
        {"Huawei Technologies Co\xc3\xb6peratief U.A.", "coop"},
    };
    screen_kinds(T, c, sizeof c / sizeof c[0]);
}

NV_TEST(kind_innocent_names_sharing_generic_words_or_places)
{
    static const struct kind_case c[] = {
        {"Nordic Technology Group AB", NULL},
        {"Shenzhen Airport Technology Group", NULL},
        {"Summit Electronic Devices Industries", NULL},
        {"Emirates Overseas Electronics LLC", NULL},
        {"Pakistan Telecommunication Company Limited", NULL},
        {"Micron Technology Inc.", NULL},
        {"Positive Thinking Technologies Ltd", NULL},
        {"Moscow Dental Clinic", NULL},
    };
    screen_kinds(T, c, sizeof c / sizeof c[0]);
}

/* A numbered institute is one whether its number is an ordinal or comes
 * after "No." or "Nr"; another number is another institute. */
NV_TEST(kind_numbered_institutes)
{
    static const struct kind_case c[] = {
        {"CETC No. 14 Research Institute", "cetc14"},
        {"CETC Research Institute Nr 15", "cetc15"},
        {"CETC Research Institute 15th", "cetc15"},
        {"CETC No. 16 Research Institute", NULL},
    };
    screen_kinds(T, c, sizeof c / sizeof c[0]);
    ASSERT(normalises_to("No. 14 Research Institute", "14th research inst"));
    ASSERT(normalises_to("Plant Number 2", "plant 2nd"));
    ASSERT(normalises_to("Almacen N0. 3", "almacen 3rd"));
    ASSERT(normalises_to("Academy 11st, 2th", "academy 11th 2nd"));
    ASSERT(
        normalises_to("Unit 7, 12 Lenina Street", "unit 7 12 lenina street"));
}

/* The names of nm, each normalised, in t as acronyms: "name" alone, or
 * "name|alias" for two names of one party. */
static void define_acronyms(struct nv_t *T, struct nv_normalizer *nz,
                            struct nv_acronyms *t, const char *const *names,
                            size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct nv_name a, b;
        char name[256];
        const char *bar = strchr(names[i], '|');
        snprintf(name, sizeof name, "%.*s",
                 bar ? (int)(bar - names[i]) : (int)strlen(names[i]), names[i]);
        ASSERT_EQ(nv_normalize(nz, name, &a), NV_OK);
        if (bar)
            ASSERT_EQ(nv_normalize(nz, bar + 1, &b), NV_OK);
        ASSERT_EQ(nv_acronyms_add(t, &a, bar ? &b : NULL), NV_OK);
    }
}

/* Whether name reads as want with the acronyms of t contracted ("": no
 * expansion in it). */
static int contracts_to(struct nv_normalizer *nz, const struct nv_acronyms *t,
                        const char *name, const char *want)
{
    char joined[NV_NAME_TEXT] = "";
    struct nv_name in, out;
    int ok = nv_normalize(nz, name, &in) == NV_OK;

    if (ok && nv_acronyms_contract(t, &in, &out))
        nv_name_join(&out, joined, sizeof joined);
    ok = ok && strcmp(joined, want) == 0;
    if (!ok)
        fprintf(stderr, "  %s -> '%s' (want '%s')\n", name, joined, want);
    return ok;
}

/* Listed names define acronyms, in parentheses or as another name of
 * the party; a query's expansion reads as the acronym, the longest
 * first, with its legal forms; loose or shared acronyms define nothing. */
NV_TEST(acronyms_defined_and_contracted)
{
    static const char *const names[] = {
        "China Electronics Technology Group Corporation (CETC)",
        "Aviation Industry Corporation of China Ltd.|AVIC",
        "Parchin Chemical Industries|PCI",
        "Alpha Beta Gamma Holdings (ABG)",
        "Alpha Beta Gamma Delta Holdings (ABGD)",
        /* rejected: not half initials; a legal form first; two words;
         * a word of the name; one acronym of two names */
        "Information Technology Centre|Infotec",
        "K K International Traders (KKIT)",
        "Orion Systems (OS)",
        "Huawei Technologies Holdings (Huawei)",
        "Mines and Metals Engineering (MME)",
        "Machinery Master Enterprises (MME)",
    };
    struct nv_normalizer *nz = nv_normalizer_new();
    struct nv_acronyms t;

    ASSERT(nz);
    nv_acronyms_init(&t);
    define_acronyms(T, nz, &t, names, sizeof names / sizeof names[0]);
    ASSERT(contracts_to(nz, &t,
                        "15th Research Institute of China Electronics "
                        "Technology Group Corporation",
                        "15th research inst cetc"));
    ASSERT(contracts_to(
        nz, &t, "Aviation Industry Corporation of China Chengdu Aircraft",
        "avic chengdu aircraft"));
    ASSERT(contracts_to(nz, &t, "Parchin Chemical Industries Co.", "pci"));
    ASSERT(contracts_to(nz, &t, "Alpha Beta Gamma Delta Holdings Ltd", "abgd"));
    ASSERT(contracts_to(nz, &t, "Alpha Beta Gamma Holdings Inc", "abg"));
    ASSERT(contracts_to(nz, &t, "Acme Information Technology Centre", ""));
    ASSERT(contracts_to(nz, &t, "Acme International Traders", ""));
    ASSERT(contracts_to(nz, &t, "Orion Systems Ltd", ""));
    ASSERT(contracts_to(nz, &t, "Mines and Metals Engineering", ""));
    /* an expansion cut by a comma is not one */
    ASSERT(contracts_to(nz, &t, "Parchin Chemical, Industries", ""));
    nv_acronyms_release(&t);
    nv_normalizer_free(nz);
}

/* A number's other way of writing: digits as their ordinal, an ordinal
 * as its digits. */
NV_TEST(number_other_forms)
{
    static const char *const pairs[][2] = {
        {"31", "31st"},   {"12", "12th"}, {"22", "22nd"}, {"111", "111th"},
        {"703rd", "703"}, {"2th", "2"},   {"3", "3rd"},   {"0", "0th"},
    };
    char out[32];

    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        size_t n = nv_number_other(pairs[i][0], strlen(pairs[i][0]), out);
        ASSERT_EQ(n, strlen(pairs[i][1]));
        ASSERT(memcmp(out, pairs[i][1], n) == 0);
    }
    ASSERT_EQ(nv_number_other("abc", 3, out), 0);
    ASSERT_EQ(nv_number_other("3m", 2, out), 0);
    ASSERT_EQ(nv_number_other("", 0, out), 0);
    /* too long for out (32 bytes) either way */
    ASSERT_EQ(nv_number_other("123456789012345678901234567890", 30, out), 0);
    ASSERT_EQ(nv_number_other("12345678901234567890123456789012th", 34, out),
              0);
}

/* The hits of one query on the crafted list, best first: *n of them. */
static void screen_hits(struct nv_t *T, const char *query,
                        struct nv_match_hit *h, uint32_t max, uint32_t *n)
{
    struct nv_lists l;
    struct nv_matcher *mt = NULL;
    struct nv_err err = {0};

    nv_lists_init(&l);
    ASSERT_EQ(load_text(&l, kinds_list, &err), NV_OK);
    ASSERT_EQ(nv_lists_link(&l, &err), NV_OK);
    ASSERT_EQ(nv_matcher_new(&l, &mt, &err), NV_OK);
    ASSERT_EQ(nv_matcher_screen(mt, query, h, max, n, &err), NV_OK);
    nv_matcher_free(mt);
    nv_lists_release(&l);
}

/* A place of the query weighs little (it may be its address) unless a
 * listed name found for the query holds it too: then it names a
 * company of its own, and the parent without it is no match ("Huawei
 * Thailand" is not Huawei Technologies). */
NV_TEST(kind_places_that_listed_names_hold)
{
    static const struct kind_case c[] = {
        {"Huawei Thailand", "huaweith"},
        {"Huawei, Shenzhen", "huawei"},
        {"Huawei Technologies Co., Ltd., Bangkok", "huawei"},
    };
    struct nv_match_hit h[2];
    uint32_t n = 0;

    screen_kinds(T, c, sizeof c / sizeof c[0]);
    ASSERT(normalises_to("Acme, United Arab Emirates", "acme uae"));
    ASSERT(normalises_to("United Acme, Arab Emirates", "united acme uae"));
    screen_hits(T, "Huawei Thailand", h, 2, &n);
    ASSERT_EQ(n, 2);
    ASSERT(h[0].band == NV_BAND_MATCH && h[1].band == NV_BAND_REVIEW);
}

/* An acronym in parentheses alone only confirms a party that the rest
 * of the name found: the whole name holds the acronym, and finds the
 * party whose alias it is at the review band. */
NV_TEST(kind_acronyms_in_parentheses_confirm_the_rest)
{
    static const struct kind_case c[] = {
        {"Shanghai Aircraft Manufacturing (SAM)", "samc"},
        {"SAM", "saraya"},
        {"Saraya Al-Mukhtar (SAM)", "saraya"},
    };
    struct nv_match_hit h[4];
    uint32_t n = 0;

    screen_kinds(T, c, sizeof c / sizeof c[0]);
    screen_hits(T, "Shanghai Aircraft Manufacturing (SAM)", h, 4, &n);
    ASSERT(n >= 1 && h[0].band == NV_BAND_MATCH);
    for (uint32_t i = 1; i < n; i++)
        ASSERT(h[i].band != NV_BAND_MATCH);
}

/* Two listed words that make a listed word are screened both joined
 * and apart ("Sber Bank", an alias, and Sberbank; "Sky One", a listed
 * name, and Skyone); such a doubtful join does not keep a sure one,
 * with a half no list uses, from being made ("Al Cardinal", "Inve
 * stments"; "Sky One", "Construc tion"). */
NV_TEST(kind_doubtful_joins_are_screened_both_ways)
{
    static const struct kind_case c[] = {
        {"Sber Bank Europe AG", "sbereu"},
        {"SBER BANK", "bps"},
        {"Al Cardinal Inve stments Co. Ltd", "alcinv"},
        {"Banco Nac ional de Cuba", "bnc"}, /* nacional: a typo of national */
        {"Sky One Construc tion Company Limited", "skyc"},
        {"Aero Sky One Co. Limited", "skyone"},
    };
    screen_kinds(T, c, sizeof c / sizeof c[0]);
}

/* Short Latin words in another romanisation (y for i, w for v, c for
 * k) meet listed words of about their length only: their folded keys
 * are loose ("Elisa" and "Ellissa" both fold to eisa). */
NV_TEST(kind_short_latin_romanisations)
{
    static const struct kind_case c[] = {
        {"Olyd Ltd", "olid"},
        {"Elisa Holding", NULL},
        {"Ellisa Holding", "ellissa"},
    };
    screen_kinds(T, c, sizeof c / sizeof c[0]);
}

/* Dotted legal forms run together split into as many words of the
 * tables as they are ("S.C. R.L. C.V." is sc rl cv, the forms of
 * "S.C. de R.L. de C.V."); a stopword run into a word is split off
 * ("Raicesdel" is raices del). */
NV_TEST(kind_letter_runs_and_stopwords_run_in)
{
    static const struct kind_case c[] = {
        {"Acuaindustria Narciso Mendoza S.C. R.L. C.V.", "acua"},
        {"Bienes Raicesdel Caribe S.A.", "bienes"},
    };

    screen_kinds(T, c, sizeof c / sizeof c[0]);
    ASSERT(normalises_to("Mendoza S.C. R.L. C.V.", "mendoza sc rl cv"));
    ASSERT(normalises_to("Cuemir S.P.R. R.I.", "cuemir spr ri"));
    ASSERT(normalises_to("A.B.C.D.E. Ltd", "abcde ltd"));
}

/* A single letter joined by a hyphen to a word is one word with it:
 * "SoftBank" (soft bank once split) is not K-Soft. */
NV_TEST(kind_letters_hyphenated_to_a_word)
{
    static const struct kind_case c[] = {
        {"SoftBank Corp", NULL},
        {"K-Soft Enterprises Ltd", "ksoft"},
    };

    screen_kinds(T, c, sizeof c / sizeof c[0]);
    ASSERT(normalises_to("K-Soft E-Science Al-Haramain",
                         "ksoft escience al haramain"));
}

/* A quoted name that ends in line breaks is trimmed. */
NV_TEST(lists_trim_line_breaks_of_names)
{
    static const char text[] = "id,name\ngfs,\"Government Flying Service "
                               "\n\n\"\n";
    struct nv_lists l;
    struct nv_err err = {0};

    nv_lists_init(&l);
    ASSERT_EQ(load_text(&l, text, &err), NV_OK);
    ASSERT_EQ(l.n, 1);
    ASSERT_STREQ(l.v[0].name, "Government Flying Service");
    nv_lists_release(&l);
}

/* An acronym in parentheses made of more than initials is a short name
 * too: the name without it, and it alone, are aliases; a place is not. */
NV_TEST(lists_acronyms_beyond_initials)
{
    static const char text[] =
        "id,name\n"
        "s,Space and Upper Atmosphere Research Commission (SUPARCO)\n"
        "n,National Supercomputing Center Tianjin (NSCC-TJ)\n"
        "y,Yerevan Telecom Research Institute (YETRI) Closed Joint Stock "
        "Company\n"
        "d,Huawei Device (Dongguan)\n"
        "r,\"Tactical Missile Corporation, 711 Aircraft Repair Plant (711 "
        "ARZ)\"\n"
        "p,Scientific and Production Corporation of Precision Instruments "
        "(NPK-SPP)\n"
        "m,Mikron (Open-Joint)\n";
    struct nv_lists l;
    struct nv_err err = {0};

    nv_lists_init(&l);
    ASSERT_EQ(load_text(&l, text, &err), NV_OK);
    ASSERT_EQ(l.n, 7);
    ASSERT(
        has_alias(&l.v[0], "Space and Upper Atmosphere Research Commission"));
    ASSERT(has_alias(&l.v[0], "SUPARCO"));
    ASSERT(has_alias(&l.v[1], "National Supercomputing Center Tianjin"));
    ASSERT(has_alias(&l.v[2],
                     "Yerevan Telecom Research Institute Closed Joint Stock "
                     "Company"));
    ASSERT(!has_alias(&l.v[3], "Huawei Device"));
    /* codes of capitals, digits and hyphens, whatever their letters */
    ASSERT(has_alias(
        &l.v[4], "Tactical Missile Corporation, 711 Aircraft Repair Plant"));
    ASSERT(has_alias(&l.v[5], "Scientific and Production Corporation of "
                              "Precision Instruments"));
    ASSERT(!has_alias(&l.v[6], "Mikron"));
    nv_lists_release(&l);
}

/* ---- FollowTheMoney JSON lines, alias tables and groups ---- */

static const char ftm_text[] =
    "{\"id\":\"NK-hw\",\"schema\":\"Company\",\"properties\":{\"name\":"
    "[\"Huawei Technologies Co., Ltd.\"],\"alias\":[\"Huawei\"],"
    "\"weakAlias\":[\"HW\"],\"country\":[\"cn\"],\"topics\":"
    "[\"export.control\",\"sanction\"],\"sourceUrl\":[\"https://x/1\"]},"
    "\"datasets\":[\"us_bis_entity\"]}\n"
    "{\"id\":\"own-1\",\"schema\":\"Ownership\",\"properties\":{\"owner\":"
    "[\"NK-hw\"],\"asset\":[\"NK-hs\"],\"percentage\":[\"100\"]}}\n"
    "{\"id\":\"own-2\",\"schema\":\"Ownership\",\"properties\":{\"owner\":"
    "[\"NK-x\"],\"asset\":[\"NK-hs\"],\"percentage\":[\"5\"]}}\n"
    "{\"id\":\"NK-hs\",\"schema\":\"Company\",\"properties\":{\"name\":"
    "[\"HiSilicon Technologies Co., Ltd.\"],\"previousName\":"
    "[\"Huawei Integrated Circuit Design Center\"]}}\n"
    "\n"
    "{\"id\":\"NK-x\",\"schema\":\"Organization\",\"properties\":{\"name\":"
    "[\"Minor Holder\"]}}\n"
    "{\"id\":\"NK-p\",\"schema\":\"Person\",\"properties\":{\"name\":"
    "[\"Ren Zhengfei\"]}}\n";

static uint32_t party_named(const struct nv_lists *l, const char *name)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0)
            return i;
    return NV_NONE;
}

NV_TEST(ftm_reads_entities_names_and_ownership)
{
    struct nv_lists l;
    struct nv_err err = {0};
    uint32_t hw, hs;

    nv_lists_init(&l);
    ASSERT_EQ(load_text(&l, ftm_text, &err), NV_OK);
    ASSERT_EQ(nv_lists_link(&l, &err), NV_OK);
    ASSERT_EQ(l.n, 3); /* the person is skipped */
    hw = party_named(&l, "Huawei Technologies Co., Ltd.");
    hs = party_named(&l, "HiSilicon Technologies Co., Ltd.");
    ASSERT(hw != NV_NONE && hs != NV_NONE);
    ASSERT_STREQ(l.v[hw].list, "opensanctions");
    ASSERT_STREQ(l.v[hw].country, "CN");
    ASSERT_STREQ(l.v[hw].programs, "export.control; sanction");
    ASSERT_STREQ(l.v[hw].source, "us_bis_entity");
    ASSERT_STREQ(l.v[hw].citation, "https://x/1");
    ASSERT(has_alias(&l.v[hw], "Huawei"));
    ASSERT(!has_alias(&l.v[hw], "HW")); /* weak aliases are not matched */
    ASSERT(has_alias(&l.v[hs], "Huawei Integrated Circuit Design Center"));
    ASSERT_EQ(l.v[hs].parent, hw); /* 100% beats 5%, lines in any order */
    ASSERT_EQ(nv_lists_root(&l, hs), hw);
    nv_lists_release(&l);
}

NV_TEST(ftm_errors_have_positions)
{
    struct nv_lists l;
    struct nv_err err = {0};

    nv_lists_init(&l);
    ASSERT_EQ(load_text(&l,
                        "{\"id\":\"a\",\"schema\":\"Company\"}\n"
                        "{\"id\":\"b\",\"schema\":\"Company\",\n",
                        &err),
              NV_EPARSE);
    ASSERT_EQ(err.line, 2);
    ASSERT_EQ(load_text(&l, "{\"id\":\"a\"}\n", &err), NV_EPARSE);
    ASSERT_EQ(err.line, 1);
    ASSERT(strstr(err.msg, "schema") != NULL);
    ASSERT_EQ(
        load_text(&l, "{\"id\":\"a\",\"schema\":\"Company\"}\n[1]\n", &err),
        NV_EPARSE);
    ASSERT_EQ(err.line, 2);
    nv_lists_release(&l);
}

NV_TEST(ftm_survives_every_allocation_failure)
{
    for (long n = 0;; n++) {
        struct nv_lists l;
        struct nv_matcher *mt = NULL;
        struct nv_err err = {0};
        enum nv_rc rc;

        nv_lists_init(&l);
        nv_alloc_fail_after(n);
        rc = load_text(&l, ftm_text, &err);
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

NV_TEST(alias_tables_name_listed_parties)
{
    struct nv_lists l;
    struct nv_err err = {0};
    uint32_t p;

    nv_lists_init(&l);
    ASSERT_EQ(load_text(&l, kinds_list, &err), NV_OK);
    ASSERT_EQ(load_text(&l,
                        "alias_of,alias,source\n"
                        "PJSC Mikron,\xd0\x9c\xd0\xb8\xd0\xba\xd1\x80\xd0\xbe"
                        "\xd0\xbd,x\n"
                        "Nobody Listed,Nobody,x\n",
                        &err),
              NV_OK);
    ASSERT_EQ(nv_lists_link(&l, &err), NV_OK);
    p = party_named(&l, "PJSC Mikron");
    ASSERT(has_alias(&l.v[p], "\xd0\x9c\xd0\xb8\xd0\xba\xd1\x80\xd0\xbe"
                              "\xd0\xbd"));
    ASSERT_EQ(load_text(&l, "alias_of,alias\nPJSC Mikron,\n", &err), NV_EPARSE);
    ASSERT_EQ(err.line, 2);
    nv_lists_release(&l);
}

/* A company on several lists is one hit that names every listing; its
 * branch in another city and its affiliate are other hits. */
NV_TEST(groups_join_listings_of_one_company)
{
    static const char fcc[] = "name,parent,covered_items\n"
                              "Huawei Technologies Company,,equipment\n";
    static const char local[] =
        "id,name,aliases,country,designation,parent\n"
        "h,\"Huawei Technologies Co., Ltd. (Huawei)\",,CN,,\n"
        "u,\"Huawei Technologies (UK) Co., Ltd.\",,GB,,\n"
        "c,\"Huawei Technologies Co., Ltd., Chengdu\",,CN,,\n";
    struct nv_lists l;
    struct nv_matcher *mt = NULL;
    struct nv_err err = {0};
    struct nv_match_hit h[4];
    uint32_t n, members = 1;

    nv_lists_init(&l);
    ASSERT_EQ(load_text(&l, fcc, &err), NV_OK);
    ASSERT_EQ(load_text(&l, local, &err), NV_OK);
    ASSERT_EQ(nv_lists_link(&l, &err), NV_OK);
    ASSERT_EQ(nv_matcher_new(&l, &mt, &err), NV_OK);
    ASSERT_EQ(nv_matcher_group(mt, 0), nv_matcher_group(mt, 1));
    ASSERT(nv_matcher_group(mt, 2) != nv_matcher_group(mt, 0));
    ASSERT(nv_matcher_group(mt, 3) != nv_matcher_group(mt, 0));
    for (uint32_t q = nv_matcher_next_listing(mt, 0); q != 0;
         q = nv_matcher_next_listing(mt, q))
        members++;
    ASSERT_EQ(members, 2);
    ASSERT_EQ(
        nv_matcher_screen(mt, "Huawei Technologies Co Ltd", h, 4, &n, &err),
        NV_OK);
    for (uint32_t i = 1; i < n; i++) /* one hit per group */
        ASSERT(nv_matcher_group(mt, h[i].party) !=
               nv_matcher_group(mt, h[0].party));
    ASSERT_EQ(nv_matcher_group(mt, h[0].party), nv_matcher_group(mt, 0));
    nv_matcher_free(mt);
    nv_lists_release(&l);
}

/* The §1260H file keeps the rows of earlier tranches, with an end date
 * once a company left the list.  A company whose every row ended is
 * removed, on the latest end date, and a screen finds it as a review at
 * most, saying so first; one listed again, or still on another list,
 * stays a match, its listing still in force chosen first. */
NV_TEST(removed_parties_are_reviews_that_say_so)
{
    const char *dod =
        "Name,Clean Name,Alias,Previous Name,Parent Name,Note,Start date,"
        "End date,Source Url\n"
        "Gone Optics Co.*,Gone Optics Co.,,,,,2021-06-03,2024-01-31,\n"
        "Gone Optics Co.*,Gone Optics Co.,,,,,2024-01-31,2025-01-07,\n"
        "Back Radar Co.,Back Radar Co.,,,,,2021-06-03,2024-01-31,\n"
        "Back Radar Co.,Back Radar Co.,,,,,2025-01-07,,\n"
        "Twice Listed Corporation,Twice Listed Corporation,,,,,2021-06-03,"
        "2025-01-07,\n";
    const char *fcc = "name,parent,covered_items,date_of_inclusion\n"
                      "Twice Listed Corporation,,all,2022-03-25\n";
    struct nv_lists l;
    struct nv_matcher *mt;
    struct nv_err err = {0};
    struct nv_match_hit h;
    uint32_t got;

    nv_lists_init(&l);
    ASSERT_EQ(nv_lists_load_text(&l, "dod.csv", dod, strlen(dod), &err), NV_OK);
    ASSERT_EQ(nv_lists_load_text(&l, "fcc.csv", fcc, strlen(fcc), &err), NV_OK);
    ASSERT_EQ(nv_lists_link(&l, &err), NV_OK);
    ASSERT_EQ(l.n, 4);
    ASSERT_STREQ(l.v[0].removed, "2025-01-07");
    ASSERT(l.v[1].removed == NULL);
    ASSERT_STREQ(l.v[2].removed, "2025-01-07");
    ASSERT(l.v[3].removed == NULL);
    ASSERT_EQ(nv_matcher_new(&l, &mt, &err), NV_OK);

    ASSERT_EQ(nv_matcher_screen(mt, "Gone Optics Co", &h, 1, &got, &err),
              NV_OK);
    ASSERT(got == 1 && h.party == 0 && h.band == NV_BAND_REVIEW);
    ASSERT(strncmp(h.explain,
                   "no longer listed: removed from dod-1260h on 2025-01-07, "
                   "a review at most; ",
                   74) == 0);
    ASSERT_EQ(nv_matcher_screen(mt, "Back Radar Co", &h, 1, &got, &err), NV_OK);
    ASSERT(got == 1 && h.party == 1 && h.band == NV_BAND_MATCH);
    ASSERT_EQ(
        nv_matcher_screen(mt, "Twice Listed Corporation", &h, 1, &got, &err),
        NV_OK);
    ASSERT(got == 1 && h.party == 3 && h.band == NV_BAND_MATCH);
    ASSERT(strstr(h.explain, "no longer") == NULL);
    nv_matcher_free(mt);
    nv_lists_release(&l);
}
