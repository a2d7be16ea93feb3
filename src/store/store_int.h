/*
 * store_int.h - what the store's files share: the SQLite connection of a
 * store and the mapping of SQLite's errors to ours.
 */
#ifndef NV_STORE_INT_H
#define NV_STORE_INT_H

#include "store/store.h"

#include <sqlite3.h>

/* The connection of s (borrowed). */
sqlite3 *nv_store_db(struct nv_store *s);

/* err filled from SQLite's code src and message, about s's file. */
enum nv_rc nv_store_fail(struct nv_store *s, int src, struct nv_err *err);

#endif
