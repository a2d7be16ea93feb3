/*
 * alloc.h - every heap allocation of netvet goes through here.
 *
 * In test builds (NV_TESTING) an allocation can be made to fail after a
 * given number of successes, so that tests walk every failure path of a
 * loader in turn.  In normal builds these are thin wrappers.
 */
#ifndef NV_ALLOC_H
#define NV_ALLOC_H

#include "core/err.h"

#include <stddef.h>

/* malloc(size); NULL when memory is exhausted (or a test says so). */
void *nv_malloc(size_t size);

/* calloc(n, size), NULL on overflow of n * size. */
void *nv_calloc(size_t n, size_t size);

/* realloc(p, n * size), NULL on overflow; p is untouched on failure. */
void *nv_reallocarray(void *p, size_t n, size_t size);

/* A heap copy of the n bytes at s, NUL-terminated; free with nv_free. */
char *nv_strndup(const char *s, size_t n);

/* free(p); p may be NULL. */
void nv_free(void *p);

/*
 * Make room for need elements of size bytes in the array *pp, which has
 * room for *cap; capacity grows by doubling.  NV_ENOMEM leaves both as
 * they were.  (pp is a pointer to the array pointer, of any type.)
 */
enum nv_rc nv_array_reserve(void *pp, size_t *cap, size_t need, size_t size);

/* Whether a * b overflows size_t; else store it in *out. */
int nv_mul_overflows(size_t a, size_t b, size_t *out);

#ifdef NV_TESTING
/*
 * Make the allocation after n more successful ones fail (n = 0: the very
 * next one); a negative n turns failures off.  Test-only, process-wide.
 */
void nv_alloc_fail_after(long n);

/* Whether an injected failure has happened since the last fail_after. */
int nv_alloc_failed(void);
#endif

#endif
