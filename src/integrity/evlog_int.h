/*
 * evlog_int.h - what the reading (evlog.c) and appending (evappend.c)
 * halves of the evidence log share; not for other modules.
 */
#ifndef NV_EVLOG_INT_H
#define NV_EVLOG_INT_H

#include "integrity/evlog.h"
#include "integrity/evstate.h"

#define NV_EVLOG_PATH_SIZE 4096

/* dir/name into out; NV_ELIMIT if it does not fit. */
enum nv_rc nv_evlog_join(const char *dir, const char *name,
                         char out[NV_EVLOG_PATH_SIZE], struct nv_err *err);

/* NV_EIO naming path, what failed and errno. */
enum nv_rc nv_evlog_io_fail(const char *path, const char *what,
                            struct nv_err *err);

/* Read and parse the checkpoint at path if there is one (*found says). */
enum nv_rc nv_evlog_read_checkpoint(const char *path, struct nv_checkpoint *cp,
                                    int *found, struct nv_err *err) NV_WUR;

/* The tree state of the records log read (all of them: check the log
 * first). */
void nv_evlog_state(const struct nv_evlog *log, struct nv_evstate *st);

/* A record's length field. */
static inline uint32_t nv_evlog_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

#endif
