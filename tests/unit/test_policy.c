/*
 * test_policy.c - the policy language, every rule of every shipped pack
 * broken and kept, dated rules, and release thresholds.
 */
#include "core/alloc.h"
#include "exposure/exposure.h"
#include "core/file.h"
#include "model/load.h"
#include "policy/policy.h"
#include "test.h"

#include <dirent.h>
#include <stdio.h>

static struct nv_policy *load_pack(const char *path, struct nv_err *err)
{
    struct nv_policy *p = nv_policy_new();
    struct nv_file f;

    nv_err_clear(err);
    if (!p || nv_file_read(&f, path, (size_t)1 << 20, err)) {
        nv_policy_free(p);
        return NULL;
    }
    if (nv_policy_parse(p, path, f.data, f.len, err)) {
        nv_policy_free(p);
        p = NULL;
    }
    nv_file_release(&f);
    return p;
}

/* The number of violations of each rule of p on model path at date. */
static int violations(struct nv_t *T, const struct nv_policy *p,
                      const char *path, const char *date, uint32_t *per_rule)
{
    struct nv_model *m = NULL;
    struct nv_exposure x;
    struct nv_violation *v = NULL;
    struct nv_err err = {0};
    uint32_t n = 0;

    if (nv_load_model(&path, 1, &m, &err) ||
        nv_exposure_compute(m, 1, &x, &err)) {
        nv_t_fail(T, __FILE__, __LINE__, "%s: %s", path, err.msg);
        nv_model_free(m);
        return 0;
    }
    memset(per_rule, 0, nv_policy_rules(p) * sizeof *per_rule);
    if (nv_policy_check(p, m, &x, date, &v, &n, &err) == NV_OK)
        for (uint32_t i = 0; i < n; i++)
            per_rule[v[i].rule]++;
    nv_free(v);
    nv_exposure_release(&x);
    nv_model_free(m);
    return 1;
}

/* Every rule of every pack in policies/ is broken by one model and kept
 * by another (dated rules checked in 2030, when all are in force). */
NV_TEST(policy_every_pack_rule_broken_and_kept)
{
    DIR *d = opendir("policies");
    struct dirent *de;
    int packs = 0;

    ASSERT(d != NULL);
    while ((de = readdir(d)) != NULL) {
        char path[512];
        uint32_t bad[64], good[64];
        struct nv_err err = {0};
        struct nv_policy *p;
        if (!strstr(de->d_name, ".nvp"))
            continue;
        snprintf(path, sizeof path, "policies/%s", de->d_name);
        p = load_pack(path, &err);
        if (!p)
            nv_t_fail(T, __FILE__, __LINE__, "%s: %s", path, err.msg);
        ASSERT(p != NULL && nv_policy_rules(p) <= 64);
        ASSERT(violations(T, p, "tests/data/policy/violates.json", "2030-01-01",
                          bad));
        ASSERT(violations(T, p, "tests/data/policy/clean.json", "2030-01-01",
                          good));
        for (uint32_t r = 0; r < nv_policy_rules(p); r++) {
            struct nv_rule_info info;
            nv_policy_rule(p, r, &info);
            if (!bad[r] || good[r])
                nv_t_fail(T, __FILE__, __LINE__, "%s %s: %u and %u", path,
                          info.id, bad[r], good[r]);
            ASSERT(bad[r] > 0 && good[r] == 0);
        }
        nv_policy_free(p);
        packs++;
    }
    closedir(d);
    ASSERT_EQ(packs, 3);
}

static enum nv_rc parse_text(struct nv_policy *p, const char *text,
                             struct nv_err *err)
{
    nv_err_clear(err);
    return nv_policy_parse(p, "t.nvp", text, strlen(text), err);
}

NV_TEST(policy_errors_say_where_and_what)
{
    static const struct {
        const char *text;
        unsigned long line, col;
        const char *says;
    } cases[] = {
        {"rule A error \"m\"\n  deny assets where layer = kore\n", 2, 29,
         "expected a layer (core, ran"},
        {"rule A fatal \"m\" deny assets where layer = core", 1, 8,
         "expected a severity"},
        {"rule A error \"m\" deny assets where classification = secret", 1, 36,
         "expected a condition on assets"},
        {"rule A error \"m\" deny flows where sector = defence and", 1, 55,
         "expected a condition on flows, found the end of the file"},
        {"rule A error \"m\" from 2028-13-01 deny assets where layer = core", 1,
         23, "expected a date"},
        {"rule A error \"unclosed\n", 1, 14, "string is not closed"},
        {"release secret tolerate sometimes", 1, 25, "expected a level"},
        {"limit everything", 1, 1, "expected 'rule', 'release' or 'pack'"},
        {"rule A error \"m\" deny assets where layer >= core", 1, 42,
         "only designation and classification are ordered"},
        {"rule A error \"m\" deny flows where margin(site) < 2", 1, 42,
         "expected a kind of group (vendor, country)"},
        {"rule A error \"m\" deny flows where margin(vendor) < 5", 1, 52,
         "a margin is a number from 0 to 4"},
        {"rule A error \"m\" deny flows where margin(vendor) in 2", 1, 50,
         "compare a margin with a number"},
        {"rule A error \"m\" deny assets where margin(vendor) < 2", 1, 36,
         "expected a condition on assets"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct nv_policy *p = nv_policy_new();
        struct nv_err err = {0};
        ASSERT(p != NULL);
        ASSERT_EQ(parse_text(p, cases[i].text, &err), NV_EPARSE);
        if (err.line != cases[i].line || err.col != cases[i].col ||
            !strstr(err.msg, cases[i].says))
            nv_t_fail(T, __FILE__, __LINE__, "case %zu: %lu:%lu: %s", i,
                      err.line, err.col, err.msg);
        ASSERT(err.line == cases[i].line && err.col == cases[i].col);
        nv_policy_free(p);
    }
}

NV_TEST(policy_depth_is_bounded)
{
    char text[512] = "rule A error \"m\" deny assets where ";
    struct nv_policy *p = nv_policy_new();
    struct nv_err err = {0};

    memset(text + strlen(text), '(', 40); /* text is zeroed beyond */
    ASSERT_EQ(parse_text(p, text, &err), NV_EPARSE);
    ASSERT(strstr(err.msg, "nested") != NULL);
    nv_policy_free(p);
}

/* A dated rule is not in force before its date. */
NV_TEST(policy_dated_rule_waits_for_its_date)
{
    struct nv_err err = {0};
    struct nv_policy *p = load_pack("policies/uk-2020.nvp", &err);
    uint32_t before[64], after[64], dated = NV_NONE;

    ASSERT(p != NULL);
    for (uint32_t r = 0; r < nv_policy_rules(p); r++) {
        struct nv_rule_info info;
        nv_policy_rule(p, r, &info);
        if (info.from)
            dated = r;
    }
    ASSERT(dated != NV_NONE);
    ASSERT(violations(T, p, "tests/data/policy/violates.json", "2027-12-31",
                      before));
    ASSERT(violations(T, p, "tests/data/policy/violates.json", "2028-01-01",
                      after));
    ASSERT_EQ(before[dated], 0);
    ASSERT(after[dated] > 0);
    nv_policy_free(p);
}

NV_TEST(policy_release_thresholds)
{
    struct nv_policy *p = nv_policy_new();
    struct nv_err err = {0};

    ASSERT_EQ(parse_text(p,
                         "release secret tolerate none encrypted may\n"
                         "release restricted tolerate routed\n",
                         &err),
              NV_OK);
    ASSERT_EQ(nv_policy_tolerates(p, NV_CLASS_SECRET, 0), NV_LEVEL_NONE);
    ASSERT_EQ(nv_policy_tolerates(p, NV_CLASS_SECRET, 1), NV_LEVEL_MAY);
    ASSERT_EQ(nv_policy_tolerates(p, NV_CLASS_RESTRICTED, 1), NV_LEVEL_ROUTED);
    ASSERT_EQ(nv_policy_tolerates(p, NV_CLASS_TOP_SECRET, 0), -1);
    nv_policy_free(p);
}

NV_TEST(policy_parse_survives_every_allocation_failure)
{
    struct nv_file f;
    struct nv_err err = {0};

    ASSERT_EQ(nv_file_read(&f, "policies/eu-5g-toolbox.nvp", 1 << 20, &err),
              NV_OK);
    for (long n = 0;; n++) {
        struct nv_policy *p;
        enum nv_rc rc;
        nv_alloc_fail_after(n);
        p = nv_policy_new();
        rc = p ? nv_policy_parse(p, "eu", f.data, f.len, &err) : NV_ENOMEM;
        nv_alloc_fail_after(-1);
        nv_policy_free(p);
        if (rc == NV_OK)
            break;
        ASSERT_EQ(rc, NV_ENOMEM);
        ASSERT(n < 10000);
    }
    nv_file_release(&f);
}

/* A new policy parsed from text, or NULL. */
static struct nv_policy *policy_of(const char *text, struct nv_err *err)
{
    struct nv_policy *p = nv_policy_new();

    if (p && parse_text(p, text, err)) {
        nv_policy_free(p);
        p = NULL;
    }
    return p;
}

/* Whether one of v[0..n) is about asset id of m. */
static int violated(const struct nv_model *m, const struct nv_violation *v,
                    uint32_t n, const char *id)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(nv_violation_item(m, &v[i]), id) == 0)
            return 1;
    return 0;
}

/* within() measures the ground: sites 300 m and 900 m from the military
 * site are inside 1 km, 1.1 km and 20 km are not, and a site without
 * coordinates is reported as unknown rather than passed. */
NV_TEST(policy_within_either_side_of_the_limit)
{
    const char *path = "tests/data/policy/sites.json";
    struct nv_err err = {0};
    struct nv_policy *p =
        policy_of("rule W error \"w\"\n"
                  "  deny assets where within(tag = military, 1 km)\n",
                  &err);
    struct nv_model *m = NULL;
    struct nv_violation *v = NULL;
    uint32_t n = 0;

    ASSERT(p);
    ASSERT_EQ(nv_load_model(&path, 1, &m, &err), NV_OK);
    ASSERT_EQ(nv_policy_check(p, m, NULL, "2030-01-01", &v, &n, &err), NV_OK);
    ASSERT(violated(m, v, n, "radio-300m"));
    ASSERT(violated(m, v, n, "radio-900m"));
    ASSERT(violated(m, v, n, "base-gw")); /* at the site itself */
    ASSERT(violated(m, v, n, "radio-unknown"));
    ASSERT(strstr(v[n - 1].why, "distance unknown"));
    ASSERT(!violated(m, v, n, "radio-1100m"));
    ASSERT(!violated(m, v, n, "radio-20km"));
    ASSERT(!violated(m, v, n, "router")); /* 5 km */
    ASSERT_EQ(n, 4);
    nv_free(v);
    nv_model_free(m);
    nv_policy_free(p);
}

NV_TEST(policy_within_distance_in_metres)
{
    const char *path = "tests/data/policy/sites.json";
    struct nv_err err = {0};
    struct nv_policy *p =
        policy_of("rule W error \"w\"\n  deny assets where layer = ran and "
                  "within(tag = military, 301 m)\n",
                  &err);
    struct nv_model *m = NULL;
    struct nv_violation *v = NULL;
    uint32_t n = 0;

    ASSERT(p);
    ASSERT_EQ(nv_load_model(&path, 1, &m, &err), NV_OK);
    ASSERT_EQ(nv_policy_check(p, m, NULL, "2030-01-01", &v, &n, &err), NV_OK);
    ASSERT(violated(m, v, n, "radio-300m"));
    ASSERT(!violated(m, v, n, "radio-900m"));
    nv_free(v);
    nv_model_free(m);
    nv_policy_free(p);
    ASSERT(!policy_of("rule W error \"w\" deny assets where "
                      "within(tag = military, 3 miles)\n",
                      &err));
    ASSERT_EQ(err.line, 1);
}

/* References are resolved against the model: capitalised and legal
 * names bind; unknown ones warn with where and what was meant. */
NV_TEST(policy_bind_resolves_and_warns)
{
    const char *path = "tests/data/policy/violates.json";
    struct nv_err err = {0};
    struct nv_policy *caps = load_pack("tests/data/policy/capitals.nvp", &err);
    struct nv_policy *typos = load_pack("tests/data/policy/typos.nvp", &err);
    struct nv_policy_warning *w = NULL;
    struct nv_model *m = NULL;
    uint32_t n = 9;

    ASSERT(caps && typos);
    ASSERT_EQ(nv_load_model(&path, 1, &m, &err), NV_OK);
    ASSERT_EQ(nv_policy_bind(caps, m, &w, &n, &err), NV_OK);
    ASSERT_EQ(n, 0);
    nv_free(w);
    ASSERT_EQ(nv_policy_bind(typos, m, &w, &n, &err), NV_OK);
    ASSERT_EQ(n, 3);
    ASSERT_EQ(w[0].line, 2);
    ASSERT_EQ(w[0].col, 32);
    ASSERT(strcmp(w[0].rule, "TYPO") == 0);
    ASSERT(strstr(w[0].msg, "did you mean vendor huawei?"));
    ASSERT(strstr(w[1].msg, "did you mean tag military?"));
    ASSERT(strstr(w[2].msg, "ISO 3166"));
    nv_free(w);
    nv_model_free(m);
    nv_policy_free(caps);
    nv_policy_free(typos);
}

NV_TEST(policy_bind_survives_every_allocation_failure)
{
    const char *path = "tests/data/policy/violates.json";
    struct nv_err err = {0};
    struct nv_model *m = NULL;

    ASSERT_EQ(nv_load_model(&path, 1, &m, &err), NV_OK);
    for (long k = 0;; k++) {
        struct nv_policy *p = load_pack("tests/data/policy/typos.nvp", &err);
        struct nv_policy_warning *w = NULL;
        uint32_t n = 0;
        enum nv_rc rc;
        ASSERT(p);
        nv_alloc_fail_after(k);
        rc = nv_policy_bind(p, m, &w, &n, &err);
        nv_alloc_fail_after(-1);
        nv_free(w);
        nv_policy_free(p);
        if (rc == NV_OK)
            break;
        ASSERT_EQ(rc, NV_ENOMEM);
        ASSERT(k < 10000);
    }
    nv_model_free(m);
}
