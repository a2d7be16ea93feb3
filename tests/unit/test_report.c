/*
 * test_report.c - the HTML report: one mark per placed site, escaping,
 * allocation failures and write errors.
 */
#include "core/alloc.h"
#include "exposure/exposure.h"
#include "model/load.h"
#include "report/report.h"
#include "test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

struct fixture {
    struct nv_model *m;
    struct nv_exposure x;
    struct nv_report r;
};

static int setup(struct fixture *f, const char *path, const char *group)
{
    struct nv_err err = {0};

    memset(f, 0, sizeof *f);
    if (nv_load_model(&path, 1, &f->m, &err) ||
        nv_exposure_compute(f->m, 1, &f->x, &err))
        return 0;
    f->r = (struct nv_report){
        .m = f->m,
        .x = &f->x,
        .date = "2026-01-01",
        .group = nv_groups_find(&f->x.groups, group),
    };
    return 1;
}

static void teardown(struct fixture *f)
{
    nv_exposure_release(&f->x);
    nv_model_free(f->m);
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;

    for (s = strstr(s, what); s; s = strstr(s + 1, what))
        n++;
    return n;
}

NV_TEST(report_marks_each_placed_site_once_and_escapes)
{
    struct fixture f;
    struct nv_err err = {0};
    char *html = NULL;
    size_t len = 0, placed = 0;
    FILE *out = open_memstream(&html, &len);

    ASSERT(out);
    ASSERT(setup(&f, "tests/data/models/report-escape.json", "vendor:huawei"));
    ASSERT_EQ(nv_report_html(&f.r, out, &err), NV_OK);
    ASSERT_EQ(fclose(out), 0);
    for (uint32_t i = 0; i < NV_COUNT(f.m, NV_T_SITE); i++)
        placed += isfinite(NV_SITES(f.m)[i].lat);
    ASSERT_EQ(placed, 2);
    ASSERT_EQ(count(html, "class=\"site\""), placed);
    ASSERT_EQ(count(html, "<script"), 1);
    ASSERT(count(html, "&lt;script&gt;alert(1)&lt;/script&gt;") >= 1);
    ASSERT_EQ(count(html, "<script>alert"), 0);
    ASSERT_EQ(count(html, "class=\"ring dark\""), 0);
    ASSERT_EQ(count(html, "</html>"), 1);
    free(html);
    teardown(&f);
}

NV_TEST(report_survives_every_allocation_failure)
{
    struct fixture f;
    struct nv_err err = {0};

    ASSERT(setup(&f, "tests/data/models/small.json", "vendor:huawei"));
    for (long n = 0;; n++) {
        FILE *out = fopen("/dev/null", "w");
        enum nv_rc rc;
        ASSERT(out);
        nv_alloc_fail_after(n);
        rc = nv_report_html(&f.r, out, &err);
        nv_alloc_fail_after(-1);
        fclose(out);
        if (rc == NV_OK)
            break;
        ASSERT_EQ(rc, NV_ENOMEM);
        ASSERT(n < 1000);
    }
    teardown(&f);
}

NV_TEST(report_write_error_is_eio)
{
    struct fixture f;
    struct nv_err err = {0};
    FILE *out = fopen("/dev/full", "w");

    ASSERT(out);
    setvbuf(out, NULL, _IONBF, 0);
    ASSERT(setup(&f, "tests/data/models/small.json", "none"));
    ASSERT_EQ(nv_report_html(&f.r, out, &err), NV_EIO);
    fclose(out);
    teardown(&f);
}
