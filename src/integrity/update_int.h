/*
 * update_int.h - what update.c (the checks) and update_doc.c (the three
 * documents: trust root, targets metadata, state) share.
 */
#ifndef NV_UPDATE_INT_H
#define NV_UPDATE_INT_H

#include "core/arena.h"
#include "core/json.h"
#include "integrity/update.h"

struct nv_update_root {
    struct nv_key *keys[NV_UPDATE_MAX_KEYS];
    size_t n, threshold;
    char id[NV_SHA256_HEX];
};

/* One entry of "targets". */
struct nv_update_target {
    int64_t length;
    unsigned char sha256[NV_SHA256_LEN];
    const struct nv_json *hardware; /* array of strings; NULL: any */
};

struct nv_update_meta {
    int64_t version, expires;
    const char *expires_text;
    size_t ntargets;
    int found; /* whether the target asked for is listed */
    struct nv_update_target target;
};

/*
 * Parse and check targets metadata text[0..len) (name for messages) in
 * the arena a; when target is not NULL, look its entry up.  NV_EPARSE
 * with the position for anything not well-formed.
 */
enum nv_rc nv_update_meta_parse(const char *text, size_t len, const char *name,
                                const char *target, struct nv_arena *a,
                                struct nv_update_meta *m,
                                struct nv_err *err) NV_WUR;

/* The state of one trust root: its last accepted metadata. */
struct nv_update_state {
    int64_t version; /* 0: nothing accepted yet */
    char meta_sha256[NV_SHA256_HEX];
};

/* Parse a state file text[0..len); NV_EPARSE with the position. */
enum nv_rc nv_update_state_parse(const char *text, size_t len, const char *name,
                                 struct nv_update_state *s,
                                 struct nv_err *err) NV_WUR;

/* The state file's text into out (size bytes); returns its length, as
 * snprintf does. */
int nv_update_state_format(const struct nv_update_state *s, char *out,
                           size_t size);

#endif
