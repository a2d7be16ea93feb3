/*
 * alloc.c - allocation wrappers and, in test builds, failure injection.
 *
 * The failure counter is the only mutable process-wide state of the
 * library, and it exists only when NV_TESTING is defined.
 *
 * Large blocks (a model's tables and id maps, arena blocks) are asked to
 * be backed by huge pages: a 1M-asset model fills about a gigabyte, and on
 * virtual machines each 4 KiB page first touched costs a fault of several
 * microseconds, which made up a third of loading it.
 */
#include "core/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Blocks from this size on are worth huge pages (which are 2 MiB). */
#define HUGE_MIN ((size_t)4 << 20)

#ifdef NV_TESTING
#include <stdatomic.h>

static _Atomic long fail_countdown = -1;
static _Atomic int fail_happened;

void nv_alloc_fail_after(long n)
{
    fail_countdown = n;
    fail_happened = 0;
}

int nv_alloc_failed(void)
{
    return fail_happened;
}

/* Whether this allocation is the one a test asked to fail. */
static int injected_failure(void)
{
    long left = atomic_load(&fail_countdown);

    while (left >= 0) {
        if (atomic_compare_exchange_weak(&fail_countdown, &left, left - 1)) {
            if (left == 0) {
                fail_happened = 1;
                fail_countdown = -1;
                return 1;
            }
            return 0;
        }
    }
    return 0;
}
#else
static int injected_failure(void)
{
    return 0;
}
#endif

int nv_mul_overflows(size_t a, size_t b, size_t *out)
{
    if (b && a > SIZE_MAX / b)
        return 1;
    *out = a * b;
    return 0;
}

/*
 * Ask for huge pages under the size bytes at p, a large block just
 * allocated; a hint, whose failure changes nothing.  The range is widened
 * to whole pages: malloc maps a large block by itself, with its header in
 * the first page, so the hint covers that mapping exactly and does not
 * split it (a split mapping could no longer grow in place on realloc).
 */
static void *huge_pages(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);

    if (p && size >= HUGE_MIN && page && (page & (page - 1)) == 0) {
        uintptr_t start = (uintptr_t)p & ~(page - 1);
        uintptr_t end = ((uintptr_t)p + size + page - 1) & ~(page - 1);
        madvise((void *)start, end - start, MADV_HUGEPAGE);
    }
#else
    (void)size;
#endif
    return p;
}

void *nv_malloc(size_t size)
{
    if (injected_failure())
        return NULL;
    return huge_pages(malloc(size ? size : 1), size);
}

void *nv_calloc(size_t n, size_t size)
{
    size_t total;

    if (nv_mul_overflows(n, size, &total) || injected_failure())
        return NULL;
    return huge_pages(calloc(total ? total : 1, 1), total);
}

void *nv_reallocarray(void *p, size_t n, size_t size)
{
    size_t total;

    if (nv_mul_overflows(n, size, &total) || injected_failure())
        return NULL;
    return huge_pages(realloc(p, total ? total : 1), total);
}

char *nv_strndup(const char *s, size_t n)
{
    char *copy;

    if (n == SIZE_MAX)
        return NULL;
    copy = nv_malloc(n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

void nv_free(void *p)
{
    free(p);
}

enum nv_rc nv_array_reserve(void *pp, size_t *cap, size_t need, size_t size)
{
    size_t n = *cap ? *cap : 16;
    void *grown;

    if (need <= *cap)
        return NV_OK;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    grown = nv_reallocarray(*(void **)pp, n, size);
    if (!grown)
        return NV_ENOMEM;
    *(void **)pp = grown;
    *cap = n;
    return NV_OK;
}
