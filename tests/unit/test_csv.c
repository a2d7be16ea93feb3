/*
 * test_csv.c - RFC 4180 reading.
 */
#include "core/csv.h"
#include "test.h"

static int field_is(const struct nv_csv *c, size_t i, const char *want)
{
    return i < c->nfields && c->fields[i].len == strlen(want) &&
           memcmp(c->fields[i].s, want, c->fields[i].len) == 0;
}

NV_TEST(csv_quotes_newlines_and_crlf)
{
    const char *t = "\xEF\xBB\xBFid,name\r\n1,\"a, \"\"b\"\"\nc\"\r\n\r\n2,\n";
    struct nv_csv c;
    struct nv_err err = {0};
    int got;

    nv_csv_init(&c, t, strlen(t), "t.csv");
    ASSERT_EQ(nv_csv_next(&c, &got, &err), NV_OK);
    ASSERT(got && field_is(&c, 0, "id") && field_is(&c, 1, "name"));
    ASSERT_EQ(nv_csv_find(&c, "name"), 1);
    ASSERT_EQ(nv_csv_next(&c, &got, &err), NV_OK);
    ASSERT(got);
    ASSERT_EQ(c.nfields, 2);
    ASSERT(field_is(&c, 1, "a, \"b\"\nc"));
    ASSERT_EQ(nv_csv_next(&c, &got, &err), NV_OK);
    ASSERT(got && c.nfields == 2 && field_is(&c, 0, "2") &&
           field_is(&c, 1, ""));
    ASSERT_EQ(nv_csv_next(&c, &got, &err), NV_OK);
    ASSERT(!got);
    nv_csv_release(&c);
}

NV_TEST(csv_errors_have_positions)
{
    const char *t = "a,b\n1,\"x\"y\n";
    struct nv_csv c;
    struct nv_err err = {0};
    int got;

    nv_err_clear(&err);
    nv_csv_init(&c, t, strlen(t), "t.csv");
    ASSERT_EQ(nv_csv_next(&c, &got, &err), NV_OK);
    ASSERT_EQ(nv_csv_next(&c, &got, &err), NV_EPARSE);
    ASSERT_EQ(err.line, 2);
    ASSERT_EQ(err.col, 6);
    nv_csv_release(&c);

    nv_csv_init(&c, "a,\"open\n", 8, "t.csv");
    ASSERT_EQ(nv_csv_next(&c, &got, &err), NV_EPARSE);
    ASSERT_EQ(err.col, 3);
    nv_csv_release(&c);

    nv_csv_init(&c, "a,\xc3\x28\n", 5, "t.csv");
    ASSERT_EQ(nv_csv_next(&c, &got, &err), NV_EPARSE);
    nv_csv_release(&c);
}

NV_TEST(csv_separator_sniffed_from_header)
{
    const char *semi = "\xEF\xBB\xBFid;name;;\r\na;\"x;y\";;\r\n";
    struct nv_csv c;
    struct nv_err err = {0};
    int got;

    ASSERT_EQ(nv_csv_sniff("a,b,c\n1;2;3;4;5\n", 16), ',');
    ASSERT_EQ(nv_csv_sniff("a;b;c\n", 6), ';');
    ASSERT_EQ(nv_csv_sniff("a\tb\tc", 5), '\t');
    ASSERT_EQ(nv_csv_sniff("\"a;b;c\",d\n", 10), ',');
    ASSERT_EQ(nv_csv_sniff("single\n", 7), ',');
    ASSERT_EQ(nv_csv_sniff("", 0), ',');
    nv_csv_init(&c, semi, strlen(semi), "t.csv");
    c.sep = nv_csv_sniff(semi, strlen(semi));
    ASSERT_EQ(c.sep, ';');
    ASSERT_EQ(nv_csv_next(&c, &got, &err), NV_OK);
    ASSERT(got && c.nfields == 4 && field_is(&c, 1, "name"));
    ASSERT_EQ(nv_csv_next(&c, &got, &err), NV_OK);
    ASSERT(got && c.nfields == 4 && field_is(&c, 1, "x;y"));
    nv_csv_release(&c);
}
