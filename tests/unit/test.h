/*
 * test.h - the unit test harness.
 *
 * A test is `NV_TEST(name) { ... }` in any tests/unit/test_*.c file; the
 * build collects the names into the runner's table.  Assertions print both
 * values with file:line and end the test; the runner goes on with the next.
 */
#ifndef NV_TEST_H
#define NV_TEST_H

#include <stdint.h>
#include <string.h>

struct nv_t {
    const char *name;
    int failed;
};

void nv_t_fail(struct nv_t *t, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The directory of the shared real data ("../shared/data" by default). */
const char *nv_t_data(void);

/* A new empty directory, removed with everything in it when the run
 * ends; in a static buffer overwritten each call. */
const char *nv_t_tmpdir(void);

/* path joined under nv_t_data(), in a static buffer overwritten each call. */
const char *nv_t_data_path(const char *rel);

#define NV_TEST(name)                                                          \
    void test_##name(struct nv_t *T);                                          \
    void test_##name(struct nv_t *T)

#define ASSERT(cond)                                                           \
    do {                                                                       \
        if (!(cond)) {                                                         \
            nv_t_fail(T, __FILE__, __LINE__, "assertion failed: %s", #cond);   \
            return;                                                            \
        }                                                                      \
    } while (0)

#define ASSERT_EQ(a, b)                                                        \
    do {                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                    \
        if (a_ != b_) {                                                        \
            nv_t_fail(T, __FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, \
                      a_, b_);                                                 \
            return;                                                            \
        }                                                                      \
    } while (0)

#define ASSERT_NEAR(a, b, eps)                                                 \
    do {                                                                       \
        double a_ = (double)(a), b_ = (double)(b);                             \
        if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps))) {                         \
            nv_t_fail(T, __FILE__, __LINE__, "%s ~= %s: %.17g != %.17g", #a,   \
                      #b, a_, b_);                                             \
            return;                                                            \
        }                                                                      \
    } while (0)

#define ASSERT_STREQ(a, b)                                                     \
    do {                                                                       \
        const char *a_ = (a), *b_ = (b);                                       \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                               \
            nv_t_fail(T, __FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, \
                      #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");             \
            return;                                                            \
        }                                                                      \
    } while (0)

#endif
