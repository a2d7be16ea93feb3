/*
 * test_core.c - errors, allocation failure, arena, buffers, numbers, map.
 */
#include "core/alloc.h"
#include "core/compress.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "core/parse.h"
#include "core/strmap.h"
#include "test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

NV_TEST(err_format_has_position)
{
    struct nv_err err = {0};
    char line[600];

    nv_err_clear(&err);
    ASSERT_EQ(nv_err_at(&err, NV_EPARSE, "m.json", 3, 7, "bad %s", "x"),
              NV_EPARSE);
    nv_err_format(&err, line, sizeof line);
    ASSERT_STREQ(line, "m.json:3:7: bad x");
    ASSERT_STREQ(nv_rc_name(NV_ELIMIT), "ELIMIT");
    ASSERT_STREQ(nv_strerror(NV_ENOMEM), "out of memory");
}

NV_TEST(file_remove_dir_takes_its_files_and_itself)
{
    char dir[] = "/tmp/nv-test-rmdir-XXXXXX", path[64];
    struct stat st;
    FILE *f;

    ASSERT(mkdtemp(dir) != NULL);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/f%d", dir, i);
        f = fopen(path, "w");
        ASSERT(f != NULL);
        fputs("x", f);
        fclose(f);
    }
    nv_file_remove_dir(dir);
    ASSERT(stat(dir, &st) != 0);
    nv_file_remove_dir(dir); /* gone already: nothing happens */
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

/* A stream into a buffer holds every byte written, across stdio's
 * 64 KB flushes; past the buffer's limit its close fails. */
NV_TEST(buf_stream_keeps_every_byte_and_its_limit)
{
    struct nv_buf b;
    nv_buf_init(&b, 1 << 20);
    FILE *f = nv_buf_stream(&b);
    ASSERT(f);
    for (int i = 0; i < 100000; i++)
        fprintf(f, "%d,", i % 10);
    ASSERT_EQ(fclose(f), 0);
    ASSERT_EQ(b.len, 200000);
    for (size_t i = 0; i < b.len; i += 2)
        ASSERT(b.data[i] == '0' + (char)(i / 2 % 10) && b.data[i + 1] == ',');
    ASSERT_EQ(b.data[b.len], '\0');
    nv_buf_release(&b);

    nv_buf_init(&b, 1000);
    ASSERT((f = nv_buf_stream(&b)) != NULL);
    for (int i = 0; i < 2000; i++)
        fputc('x', f);
    ASSERT(fclose(f) != 0);
    ASSERT(b.len <= 1000);
    nv_buf_release(&b);
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
    for (int i = 0; i < 5000; i += 7) {
        const char *stored = NULL;
        char again[16];
        snprintf(again, sizeof again, "k%d", i);
        ASSERT_EQ(nv_strmap_find(&m, again, strlen(again), &stored), i);
        ASSERT(stored == keys[i]); /* the key put, not the one asked */
    }
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

/* The whole-number path writes what printf's "%.15g" writes. */
NV_TEST(format_double_matches_printf)
{
    static const double edge[] = {0,
                                  -0.0,
                                  1,
                                  -1,
                                  9,
                                  10,
                                  1e14,
                                  1e15,
                                  -1e15,
                                  999999999999999.0,
                                  -999999999999999.0,
                                  9007199254740992.0,
                                  0.5,
                                  -2.5,
                                  1e300,
                                  4.9e-324,
                                  123456.75,
                                  1e-5};
    uint64_t x = 0x9e3779b97f4a7c15ULL;

    for (int i = 0; i < 200000 + (int)(sizeof edge / sizeof edge[0]); i++) {
        char fast[32], slow[32];
        double v;
        if (i < (int)(sizeof edge / sizeof edge[0]))
            v = edge[i];
        else {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            v = (double)(int64_t)(x >> (x % 60)) * (x & 1 ? -1 : 1);
        }
        int n = nv_format_double(v, fast);
        snprintf(slow, sizeof slow, "%.15g", v);
        if (strtod(slow, NULL) != v)
            snprintf(slow, sizeof slow, "%.17g", v);
        if (strcmp(fast, slow) != 0)
            nv_t_fail(T, __FILE__, __LINE__, "%s != %s", fast, slow);
        ASSERT_STREQ(fast, slow);
        ASSERT_EQ((size_t)n, strlen(fast));
    }
}

/* A text of n bytes: repetitive (as model JSON is) or not. */
static void some_text(char *t, size_t n, uint64_t seed, int repetitive)
{
    for (size_t i = 0; i < n; i++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        t[i] = repetitive ? "{\"id\": \"a\"}\n"[i % 11 + (seed % 7 == 0)]
                          : (char)seed;
    }
}

NV_TEST(compress_round_trips_and_refuses_damage)
{
    static const size_t sizes[] = {0, 1, 100, 70000, 300000};

    for (int r = 0; r < 2; r++)
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            size_t n = sizes[k], len = 0;
            char *t = malloc(n + 1), *back = NULL, *bad = NULL;
            const void *z;
            struct nv_compress *c = nv_compress_new((size_t)1 << 30);
            ASSERT(t && c);
            some_text(t, n, k + 1, r);
            /* In uneven pieces, as a writer hands them over. */
            for (size_t at = 0; at < n; at += 1 + at % 5000)
                ASSERT_EQ(nv_compress_add(
                              c, t + at,
                              n - at < 1 + at % 5000 ? n - at : 1 + at % 5000),
                          NV_OK);
            ASSERT_EQ(nv_compress_end(c, &z, &len), NV_OK);
            ASSERT(!r || n < 1000 || len < n / 4);
            ASSERT_EQ(nv_decompress(z, len, n, &back), NV_OK);
            ASSERT(memcmp(back, t, n) == 0 && back[n] == '\0');
            nv_free(back);
            /* Another length, a cut frame, bytes after it: refused. */
            ASSERT_EQ(nv_decompress(z, len, n + 1, &back), NV_EPARSE);
            if (n)
                ASSERT_EQ(nv_decompress(z, len, n - 1, &back), NV_EPARSE);
            ASSERT_EQ(nv_decompress(z, len - 1, n, &back), NV_EPARSE);
            bad = malloc(len + 1);
            ASSERT(bad);
            memcpy(bad, z, len);
            bad[len] = 'x';
            ASSERT_EQ(nv_decompress(bad, len + 1, n, &back), NV_EPARSE);
            ASSERT_EQ(nv_decompress(t, n, n, &back), NV_EPARSE);
            free(bad);
            free(t);
            nv_compress_free(c);
        }
}

NV_TEST(compress_survives_every_allocation_failure)
{
    char t[5000], *back = NULL;
    const void *z;
    size_t len;

    some_text(t, sizeof t, 3, 1);
    for (long n = 0;; n++) {
        nv_alloc_fail_after(n);
        struct nv_compress *c = nv_compress_new((size_t)1 << 20);
        enum nv_rc rc = c ? nv_compress_add(c, t, sizeof t) : NV_ENOMEM;
        if (!rc)
            rc = nv_compress_end(c, &z, &len);
        if (!rc)
            rc = nv_decompress(z, len, sizeof t, &back);
        int failed = nv_alloc_failed();
        nv_alloc_fail_after(-1);
        nv_compress_free(c);
        if (!failed) {
            ASSERT_EQ(rc, NV_OK);
            ASSERT(memcmp(back, t, sizeof t) == 0);
            nv_free(back);
            break;
        }
        ASSERT_EQ(rc, NV_ENOMEM);
    }
}
