/*
 * dsse.h - Dead Simple Signing Envelopes (DSSE v1).
 *
 * An envelope carries a payload, its type, and signatures over the
 * pre-authentication encoding PAE(type, payload) =
 *   "DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload
 * so that a signature can never be replayed for another type.  Opening an
 * envelope checks the signatures first and hands out the payload only when
 * enough distinct trusted keys signed it: nothing unverified is parsed.
 */
#ifndef NV_DSSE_H
#define NV_DSSE_H

#include "core/crypto.h"

#include <stdio.h>

/* Write an envelope of payload[0..n) signed by each of keys (JSON). */
enum nv_rc nv_dsse_write(FILE *out, const char *type, const void *payload,
                         size_t n, const struct nv_key *const *keys,
                         size_t nkeys, struct nv_err *err) NV_WUR;

/* The bytes nv_dsse_write_in_place needs free before its payload. */
#define NV_DSSE_HEAD_ROOM 128

/* The same for a payload with NV_DSSE_HEAD_ROOM bytes of the caller's free
 * before it: the encoding's head is written there and the payload signed
 * where it lies, so a large one is not copied. */
enum nv_rc nv_dsse_write_in_place(FILE *out, const char *type,
                                  unsigned char *payload, size_t n,
                                  const struct nv_key *const *keys,
                                  size_t nkeys, struct nv_err *err) NV_WUR;

struct nv_dsse {
    char *type;             /* the payload type */
    unsigned char *payload; /* n bytes and a NUL */
    size_t n;
    size_t valid; /* distinct trusted keys with a valid signature */
};

/*
 * Parse the envelope text[0..len) (name is for messages) and check its
 * signatures against trust[0..ntrust): a key counts once, however many
 * times it signed; signatures by other keys are ignored.  Fewer than
 * threshold (at least 1) valid keys, or a payload type other than type
 * (when not NULL), fail with NV_ECRYPTO and no payload.
 */
enum nv_rc nv_dsse_open(const char *text, size_t len, const char *name,
                        const char *type, const struct nv_key *const *trust,
                        size_t ntrust, size_t threshold, struct nv_dsse *out,
                        struct nv_err *err) NV_WUR;

void nv_dsse_release(struct nv_dsse *d);

#endif
