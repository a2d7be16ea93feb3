/*
 * arena.h - a bump allocator for everything one loaded dataset owns.
 *
 * Loaders put nodes, edges and strings in the dataset's arena; releasing
 * the arena frees them all at once, so error paths cannot leak.
 */
#ifndef NV_ARENA_H
#define NV_ARENA_H

#include <stddef.h>

struct nv_arena_block;

struct nv_arena {
    struct nv_arena_block *head; /* block being filled; older ones follow */
    size_t used;                 /* bytes used in head */
    size_t total;                /* bytes handed out, for reports */
};

/* An empty arena; allocates nothing until the first nv_arena_alloc. */
void nv_arena_init(struct nv_arena *a);

/* Free every block; the arena is empty and reusable afterwards. */
void nv_arena_release(struct nv_arena *a);

/* Forget everything allocated but keep the newest block for reuse: for
 * scratch arenas refilled over and over. */
void nv_arena_reset(struct nv_arena *a);

/* Move every block of src into dst, which frees them when it is
 * released; src is left empty.  Allocations from either stay valid. */
void nv_arena_adopt(struct nv_arena *dst, struct nv_arena *src);

/* size bytes aligned for any type, or NULL when memory is exhausted. */
void *nv_arena_alloc(struct nv_arena *a, size_t size);

/* n elements of size bytes, zeroed; NULL on overflow or exhaustion. */
void *nv_arena_calloc(struct nv_arena *a, size_t n, size_t size);

/* A NUL-terminated copy of the n bytes at s, or NULL. */
char *nv_arena_strndup(struct nv_arena *a, const char *s, size_t n);

/* nv_arena_strndup of a NUL-terminated string. */
char *nv_arena_strdup(struct nv_arena *a, const char *s);

#endif
