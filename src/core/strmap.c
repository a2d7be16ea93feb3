/*
 * strmap.c - open-addressing hash map of borrowed byte-string keys.
 *
 * Invariant: count <= capacity / 2, so probes stay short and an empty slot
 * always ends a search.  A slot is empty when its key is NULL.
 */
#include "core/strmap.h"

#include "core/alloc.h"

#include <string.h>

struct nv_strmap_slot {
    const char *key;
    uint32_t len;
    uint32_t value;
    uint64_t hash;
};

void nv_strmap_init(struct nv_strmap *m)
{
    m->slots = NULL;
    m->mask = 0;
    m->count = 0;
}

void nv_strmap_release(struct nv_strmap *m)
{
    nv_free(m->slots);
    nv_strmap_init(m);
}

/* Eight bytes a step, then a final avalanche (the splitmix64 finaliser):
 * ids are short and similar ("ran-1234-gnb"), so every byte must count. */
uint64_t nv_hash_bytes(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ len, w;

    for (; len >= 8; p += 8, len -= 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 31;
    }
    w = 0;
    memcpy(&w, p, len);
    h = (h ^ w) * 0x94D049BB133111EBULL;
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 31);
}

static struct nv_strmap_slot *probe(struct nv_strmap_slot *slots, size_t mask,
                                    const char *key, size_t len, uint64_t h)
{
    size_t i = (size_t)h & mask;

    for (;; i = (i + 1) & mask) {
        struct nv_strmap_slot *s = &slots[i];
        if (!s->key ||
            (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
    }
}

/* Rehash into a table of cap slots (a power of two). */
static enum nv_rc resize(struct nv_strmap *m, size_t cap)
{
    struct nv_strmap_slot *slots = nv_calloc(cap, sizeof *slots);

    if (!slots)
        return NV_ENOMEM;
    for (size_t i = 0; m->slots && i <= m->mask; i++) {
        struct nv_strmap_slot *s = &m->slots[i];
        if (s->key)
            *probe(slots, cap - 1, s->key, s->len, s->hash) = *s;
    }
    nv_free(m->slots);
    m->slots = slots;
    m->mask = cap - 1;
    return NV_OK;
}

enum nv_rc nv_strmap_reserve(struct nv_strmap *m, size_t n)
{
    size_t cap = m->slots ? m->mask + 1 : 64;

    if (n > SIZE_MAX / 4 - m->count)
        return NV_ENOMEM;
    while ((m->count + n) * 2 > cap)
        cap *= 2;
    return cap > (m->slots ? m->mask + 1 : 0) ? resize(m, cap) : NV_OK;
}

enum nv_rc nv_strmap_put(struct nv_strmap *m, const char *key, size_t len,
                         uint32_t value, uint32_t *value_out, int *found)
{
    uint64_t h = nv_hash_bytes(key, len);
    struct nv_strmap_slot *s;

    if (len > UINT32_MAX)
        return NV_ELIMIT;
    if (!m->slots || (m->count + 1) * 2 > m->mask + 1) {
        enum nv_rc rc = resize(m, m->slots ? (m->mask + 1) * 2 : 64);
        if (rc)
            return rc;
    }
    s = probe(m->slots, m->mask, key, len, h);
    *found = s->key != NULL;
    if (!s->key) {
        s->key = key;
        s->len = (uint32_t)len;
        s->hash = h;
        s->value = value;
        m->count++;
    }
    *value_out = s->value;
    return NV_OK;
}

int64_t nv_strmap_get(const struct nv_strmap *m, const char *key, size_t len)
{
    const char *stored;

    return nv_strmap_find(m, key, len, &stored);
}

int64_t nv_strmap_find(const struct nv_strmap *m, const char *key, size_t len,
                       const char **stored)
{
    struct nv_strmap_slot *s;

    if (!m->slots || len > UINT32_MAX)
        return -1;
    s = probe(m->slots, m->mask, key, len, nv_hash_bytes(key, len));
    *stored = s->key;
    return s->key ? (int64_t)s->value : -1;
}
