/*
 * test_costs.c - the replacement costs file of `netvet plan --costs`:
 * which cost wins, errors with their positions, and allocation failures.
 */
#include "core/alloc.h"
#include "model/load_int.h"
#include "plan/costs.h"
#include "plan/plan.h"
#include "test.h"

#include <string.h>

/* Six assets: a1 a ran device, a2 a core nf of its own cost 7, a3 a
 * transport device, a4 an endpoint of its own cost 9, a5 a core nf, a6
 * an edge nf. */
static struct nv_model *six_assets(void)
{
    static const char text[] =
        "{\"netvet\": 1, \"assets\": [{\"id\": \"a1\", \"layer\": \"ran\"},"
        " {\"id\": \"a2\", \"kind\": \"nf\", \"layer\": \"core\","
        " \"replacement_cost\": 7},"
        " {\"id\": \"a3\", \"layer\": \"transport\"},"
        " {\"id\": \"a4\", \"layer\": \"endpoint\", \"replacement_cost\": 9},"
        " {\"id\": \"a5\", \"kind\": \"nf\", \"layer\": \"core\"},"
        " {\"id\": \"a6\", \"kind\": \"nf\", \"layer\": \"edge\"}]}";
    struct nv_model *m = nv_model_new();
    struct nv_err err = {0};
    uint32_t src;

    if (!m || nv_model_add_source(m, "six.json", &src, &err) ||
        nv_load_native(m, src, text, strlen(text), &err) ||
        nv_model_finish(m, &err)) {
        nv_model_free(m);
        return NULL;
    }
    return m;
}

static const char good[] = "asset,kind,layer,cost\n"
                           ",,ran,45000\n"
                           ",nf,core,120000\n"
                           ",nf,,3\n"
                           ",,,1000\n"
                           "a4,,,15\n";

/* The asset's row, then its own cost, then kind and layer, layer, kind,
 * the row for every asset, and the layer's default. */
NV_TEST(costs_most_specific_wins)
{
    static const double want[] = {45000, 7, 1000, 15, 120000, 3};
    struct nv_model *m = six_assets();
    struct nv_costs *c = NULL;
    struct nv_err err = {0};

    ASSERT(m != NULL);
    ASSERT_EQ(nv_costs_load(m, "c.csv", good, strlen(good), &c, &err), NV_OK);
    for (uint32_t a = 0; a < 6; a++)
        ASSERT_NEAR(nv_costs_of(c, m, a), want[a], 1e-9);
    ASSERT_NEAR(nv_costs_of(NULL, m, 0), nv_plan_default_cost(NV_LAYER_RAN),
                1e-9);
    ASSERT_NEAR(nv_costs_of(NULL, m, 1), 7, 1e-9);
    nv_costs_free(c);
    nv_model_free(m);
}

/* Spreadsheet exports: a byte-order mark, semicolons, CRLF, quotes, and
 * only the columns needed. */
NV_TEST(costs_read_spreadsheet_exports)
{
    static const char text[] = "\xEF\xBB\xBFlayer;cost\r\n"
                               "ran;\"45000\"\r\n"
                               "edge;12.5\r\n";
    struct nv_model *m = six_assets();
    struct nv_costs *c = NULL;
    struct nv_err err = {0};

    ASSERT(m != NULL);
    ASSERT_EQ(nv_costs_load(m, "c.csv", text, strlen(text), &c, &err), NV_OK);
    ASSERT_NEAR(nv_costs_of(c, m, 0), 45000, 1e-9);
    ASSERT_NEAR(nv_costs_of(c, m, 5), 12.5, 1e-9);
    ASSERT_NEAR(nv_costs_of(c, m, 2), nv_plan_default_cost(NV_LAYER_TRANSPORT),
                1e-9);
    nv_costs_free(c);
    nv_model_free(m);
}

NV_TEST(costs_errors_say_where)
{
    static const struct {
        const char *text;
        unsigned long line, col;
        const char *msg;
    } bad[] = {
        {"", 1, 1, "no header"},
        {"layer,costs\n", 1, 7, "unknown column \"costs\""},
        {"layer\nran\n", 1, 1, "no \"cost\" column"},
        {"cost,layer,cost\n", 1, 12, "column \"cost\" twice"},
        {"layer,cost\nrna,4\n", 2, 1, "unknown layer \"rna\""},
        {"kind,cost\nbox,4\n", 2, 1, "unknown kind \"box\""},
        {"asset,cost\nnope,4\n", 2, 1, "no asset \"nope\" in the model"},
        {"asset,kind,cost\na1,nf,4\n", 2, 1, "a row for one asset has no"},
        {"layer,cost\nran,-1\n", 2, 5, "cost \"-1\" is not a number"},
        {"layer,cost\nran,1e99\n", 2, 5, "is not a number from 0"},
        {"layer,cost\nran,nan\n", 2, 5, "is not a number"},
        {"layer,cost\nran\n", 2, 1, "1 field where the header has 2"},
        {"layer,cost\nran,4\ncore,5\nran,6\n", 4, 1, "a second row"},
        {"asset,cost\na1,4\na1,5\n", 3, 1, "a second row"},
    };
    struct nv_model *m = six_assets();

    ASSERT(m != NULL);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct nv_costs *c = NULL;
        struct nv_err err = {0};
        nv_err_clear(&err);
        ASSERT_EQ(nv_costs_load(m, "c.csv", bad[i].text, strlen(bad[i].text),
                                &c, &err),
                  NV_EPARSE);
        ASSERT(c == NULL);
        ASSERT_STREQ(err.file, "c.csv");
        ASSERT_EQ(err.line, bad[i].line);
        ASSERT_EQ(err.col, bad[i].col);
        if (!strstr(err.msg, bad[i].msg))
            nv_t_fail(T, __FILE__, __LINE__, "case %zu: \"%s\"", i, err.msg);
    }
    nv_model_free(m);
}

/* Reading fails cleanly, with NV_ENOMEM and nothing leaked, whichever
 * allocation fails. */
NV_TEST(costs_survive_every_allocation_failure)
{
    struct nv_model *m = six_assets();

    ASSERT(m != NULL);
    for (long n = 0;; n++) {
        struct nv_costs *c = NULL;
        struct nv_err err = {0};
        enum nv_rc rc;
        nv_alloc_fail_after(n);
        rc = nv_costs_load(m, "c.csv", good, strlen(good), &c, &err);
        nv_alloc_fail_after(-1);
        nv_costs_free(c);
        if (rc == NV_OK)
            break;
        ASSERT_EQ(rc, NV_ENOMEM);
        ASSERT(c == NULL);
        ASSERT(n < 1000);
    }
    nv_model_free(m);
}
