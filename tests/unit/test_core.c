/*
 * test_core.c - errors, allocation failure, arena, buffers, numbers, map.
 */
#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/parse.h"
#include "core/strmap.h"
#include "test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

NV_TEST(err_format_has_position)
{
    struct nv_err err;
    char line[600];

    nv_err_clear(&err);
    ASSERT_EQ(nv_err_at(&err, NV_EPARSE, "m.json", 3, 7, "bad %s", "x"),
              NV_EPARSE);
    nv_err_format(&err, line, sizeof line);
    ASSERT_STREQ(line, "m.json:3:7: bad x");
    ASSERT_STREQ(nv_rc_name(NV_ELIMIT), "ELIMIT");
    ASSERT_STREQ(nv_strerror(NV_ENOMEM), "out of memory");
}

NV_TEST(alloc_fail_after)
{
    void *a, *b;

    nv_alloc_fail_after(1);
    a = nv_malloc(8);
    b = nv_malloc(8);
    ASSERT(a != NULL);
    ASSERT(b == NULL);
    ASSERT(nv_alloc_failed());
    nv_free(a);
    ASSERT(nv_calloc((size_t)-1, 16) == NULL);
}

NV_TEST(arena_strings_and_large_blocks)
{
    struct nv_arena a;
    char *s, *big;

    nv_arena_init(&a);
    s = nv_arena_strndup(&a, "hello world", 5);
    ASSERT_STREQ(s, "hello");
    big = nv_arena_alloc(&a, 1 << 20);
    ASSERT(big != NULL);
    big[(1 << 20) - 1] = 1;
    ASSERT_STREQ(s, "hello");
    for (int i = 0; i < 10000; i++)
        ASSERT(nv_arena_alloc(&a, 100) != NULL);
    nv_arena_release(&a);
}

NV_TEST(buf_limit_leaves_buffer_unchanged)
{
    struct nv_buf b;
    char *s;

    nv_buf_init(&b, 8);
    ASSERT_EQ(nv_buf_adds(&b, "abcd"), NV_OK);
    ASSERT_EQ(nv_buf_addf(&b, "%d", 12345), NV_ELIMIT);
    ASSERT_STREQ(b.data, "abcd");
    ASSERT_EQ(nv_buf_addf(&b, "%d", 123), NV_OK);
    s = nv_buf_take(&b);
    ASSERT_STREQ(s, "abcd123");
    ASSERT_EQ(b.len, 0);
    nv_free(s);
}

NV_TEST(parse_numbers_strictly)
{
    int64_t v;
    double d;

    ASSERT_EQ(nv_parse_i64("-42", 3, -100, 100, &v), NV_OK);
    ASSERT_EQ(v, -42);
    ASSERT_EQ(nv_parse_i64("101", 3, -100, 100, &v), NV_ELIMIT);
    ASSERT_EQ(nv_parse_i64("1x", 2, 0, 100, &v), NV_EPARSE);
    ASSERT_EQ(nv_parse_i64("", 0, 0, 100, &v), NV_EPARSE);
    ASSERT_EQ(
        nv_parse_i64("-9223372036854775808", 20, INT64_MIN, INT64_MAX, &v),
        NV_OK);
    ASSERT(v == INT64_MIN);
    ASSERT_EQ(nv_parse_i64("9223372036854775808", 19, INT64_MIN, INT64_MAX, &v),
              NV_ELIMIT);
    ASSERT_EQ(nv_parse_double("2.5e1", 5, &d), NV_OK);
    ASSERT_NEAR(d, 25.0, 0);
    ASSERT_EQ(nv_parse_double("nan", 3, &d), NV_EPARSE);
    ASSERT_EQ(nv_parse_double("1e999", 5, &d), NV_ELIMIT);
    ASSERT_EQ(nv_parse_double(" 1", 2, &d), NV_EPARSE);
}

NV_TEST(text_pos_counts_characters)
{
    unsigned long line, col;
    const char *t = "ab\n\xc3\xa9x";

    nv_text_pos(t, 6, 5, &line, &col);
    ASSERT_EQ(line, 2);
    ASSERT_EQ(col, 2);
}

NV_TEST(strmap_many_keys)
{
    struct nv_strmap m;
    static char keys[5000][16];
    uint32_t v;
    int found;

    nv_strmap_init(&m);
    for (int i = 0; i < 5000; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        ASSERT_EQ(nv_strmap_put(&m, keys[i], strlen(keys[i]), (uint32_t)i, &v,
                                &found),
                  NV_OK);
        ASSERT(!found);
    }
    ASSERT_EQ(nv_strmap_put(&m, "k77", 3, 1, &v, &found), NV_OK);
    ASSERT(found);
    ASSERT_EQ(v, 77);
    ASSERT_EQ(nv_strmap_get(&m, "k4999", 5), 4999);
    ASSERT_EQ(nv_strmap_get(&m, "k5000", 5), -1);
    nv_strmap_release(&m);
}

/* The fast path for plain decimals gives exactly what strtod gives. */
NV_TEST(parse_double_matches_strtod)
{
    uint64_t x = 88172645463325252ULL;

    for (int i = 0; i < 200000; i++) {
        char text[40];
        double fast, slow;
        int n;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        n = snprintf(text, sizeof text, "%s%llu.%0*llu", x & 1 ? "-" : "",
                     (unsigned long long)(x >> 40), (int)(x % 9) + 1,
                     (unsigned long long)((x >> 8) % 1000000000ULL) %
                         (unsigned long long)pow(10, (double)(x % 9) + 1));
        ASSERT_EQ(nv_parse_double(text, (size_t)n, &fast), NV_OK);
        slow = strtod(text, NULL);
        if (fast != slow)
            nv_t_fail(T, __FILE__, __LINE__, "%s: %.17g != %.17g", text, fast,
                      slow);
        ASSERT(fast == slow);
    }
}
