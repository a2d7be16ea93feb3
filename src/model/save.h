/*
 * save.h - writing a model in the formats the loaders read back: the
 * native JSON model and the CSV bundle.  Driven by the same field tables
 * as the loaders (schema.h), so what is written is what is read.
 */
#ifndef NV_SAVE_H
#define NV_SAVE_H

#include "model/model.h"

#include <stdio.h>

/* Write m as a native JSON model to out (pretty: one record a line),
 * with the "netvet_version" that wrote it. */
enum nv_rc nv_save_json(const struct nv_model *m, FILE *out,
                        struct nv_err *err) NV_WUR;

/* Write m's canonical text: nv_save_json without "netvet_version", so
 * that its SHA-256, which names a snapshot, is the same whichever version
 * of netvet wrote it. */
enum nv_rc nv_save_json_canonical(const struct nv_model *m, FILE *out,
                                  struct nv_err *err) NV_WUR;

/* m's canonical text in memory.  *text is NUL-terminated; free it with
 * nv_free. */
enum nv_rc nv_save_json_text(const struct nv_model *m, char **text, size_t *len,
                             struct nv_err *err) NV_WUR;

/* Write m as a CSV bundle into directory dir (created if missing);
 * tables with no records are left out. */
enum nv_rc nv_save_csv(const struct nv_model *m, const char *dir,
                       struct nv_err *err) NV_WUR;

#endif
