/*
 * arena.c - bump allocation in growing blocks.
 *
 * Invariant: head->size - used bytes are free at the end of head; a request
 * larger than a quarter of the block size gets a block of its own, placed
 * behind head so that the free tail of head is not wasted.
 */
#include "core/arena.h"

#include "core/alloc.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#define BLOCK_MIN ((size_t)64 * 1024)
#define BLOCK_MAX ((size_t)16 * 1024 * 1024)
#define ALIGN alignof(max_align_t)

struct nv_arena_block {
    struct nv_arena_block *next;
    size_t size;
    alignas(max_align_t) unsigned char data[];
};

void nv_arena_init(struct nv_arena *a)
{
    a->head = NULL;
    a->used = 0;
    a->total = 0;
}

void nv_arena_release(struct nv_arena *a)
{
    struct nv_arena_block *b = a->head;

    while (b) {
        struct nv_arena_block *next = b->next;
        nv_free(b);
        b = next;
    }
    nv_arena_init(a);
}

void nv_arena_reset(struct nv_arena *a)
{
    struct nv_arena_block *keep = a->head;

    if (!keep)
        return;
    a->head = keep->next;
    nv_arena_release(a);
    keep->next = NULL;
    a->head = keep;
}

void nv_arena_adopt(struct nv_arena *dst, struct nv_arena *src)
{
    struct nv_arena_block *tail = src->head;

    if (!tail)
        return;
    while (tail->next)
        tail = tail->next;
    if (dst->head) {
        /* dst keeps filling its own head; src's blocks go behind it. */
        tail->next = dst->head->next;
        dst->head->next = src->head;
    } else {
        dst->head = src->head;
        dst->used = src->used;
    }
    dst->total += src->total;
    nv_arena_init(src);
}

static struct nv_arena_block *block_new(size_t size)
{
    struct nv_arena_block *b;

    if (size > SIZE_MAX - sizeof *b)
        return NULL;
    b = nv_malloc(sizeof *b + size);
    if (b) {
        b->next = NULL;
        b->size = size;
    }
    return b;
}

/* Blocks double with the data held, up to BLOCK_MAX. */
static size_t next_block_size(const struct nv_arena *a)
{
    size_t size = a->head ? a->head->size * 2 : BLOCK_MIN;
    return size > BLOCK_MAX ? BLOCK_MAX : size;
}

static void *alloc_large(struct nv_arena *a, size_t size)
{
    struct nv_arena_block *b = block_new(size);

    if (!b)
        return NULL;
    if (a->head) {
        b->next = a->head->next;
        a->head->next = b;
    } else {
        a->head = b;
        a->used = size;
    }
    return b->data;
}

void *nv_arena_alloc(struct nv_arena *a, size_t size)
{
    size_t need;
    void *p;

    if (size > SIZE_MAX - ALIGN)
        return NULL;
    need = (size + ALIGN - 1) & ~(ALIGN - 1);
    if (!a->head || a->head->size - a->used < need) {
        size_t bsize = next_block_size(a);
        struct nv_arena_block *b;

        if (need > bsize / 4) {
            p = alloc_large(a, need);
            if (p)
                a->total += need;
            return p;
        }
        b = block_new(bsize);
        if (!b)
            return NULL;
        b->next = a->head;
        a->head = b;
        a->used = 0;
    }
    p = a->head->data + a->used;
    a->used += need;
    a->total += need;
    return p;
}

void *nv_arena_calloc(struct nv_arena *a, size_t n, size_t size)
{
    size_t total;
    void *p;

    if (nv_mul_overflows(n, size, &total))
        return NULL;
    p = nv_arena_alloc(a, total);
    if (p)
        memset(p, 0, total);
    return p;
}

char *nv_arena_strndup(struct nv_arena *a, const char *s, size_t n)
{
    char *copy;

    if (n == SIZE_MAX)
        return NULL;
    copy = nv_arena_alloc(a, n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

char *nv_arena_strdup(struct nv_arena *a, const char *s)
{
    return nv_arena_strndup(a, s, strlen(s));
}
