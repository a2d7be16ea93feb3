/*
 * strmap.h - a hash map from byte strings to 32-bit values.
 *
 * Used to turn the string ids found in files into dense integer ids.  Keys
 * are borrowed: the caller keeps them alive (usually in a dataset arena) as
 * long as the map is used.
 */
#ifndef NV_STRMAP_H
#define NV_STRMAP_H

#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

struct nv_strmap_slot;

struct nv_strmap {
    struct nv_strmap_slot *slots; /* open addressing, linear probing */
    size_t mask;                  /* capacity - 1; capacity a power of 2 */
    size_t count;
};

/* An empty map; allocates on first insertion. */
void nv_strmap_init(struct nv_strmap *m);

/* Free the slots (not the keys). */
void nv_strmap_release(struct nv_strmap *m);

/* Make room for n more keys without rehashing, when a caller knows
 * roughly how many are coming; NV_ENOMEM leaves the map as it was. */
enum nv_rc nv_strmap_reserve(struct nv_strmap *m, size_t n) NV_WUR;

/*
 * Find key; if absent, insert it with value.  *found says which happened
 * and *value_out receives the value now stored.  NV_ENOMEM leaves the map
 * unchanged.
 */
enum nv_rc nv_strmap_put(struct nv_strmap *m, const char *key, size_t len,
                         uint32_t value, uint32_t *value_out,
                         int *found) NV_WUR;

/* The value stored for key, or -1 if none. */
int64_t nv_strmap_get(const struct nv_strmap *m, const char *key, size_t len);

/* The same; when found, *stored receives the key as it was put (the copy
 * the map borrows), which spares callers whose values index records
 * that hold that key a look at the record. */
int64_t nv_strmap_find(const struct nv_strmap *m, const char *key, size_t len,
                       const char **stored);

/* The hash used by the map (64-bit); exposed for other indexes. */
uint64_t nv_hash_bytes(const void *data, size_t len);

#endif
