/*
 * statement.h - a manifest as an in-toto Statement v1.
 *
 * The subjects are the regular files (name: escaped path, digest:
 * sha256).  The predicate, of type NV_PREDICATE_TYPE, holds the evaluated
 * build's metadata, the image, every entry with its metadata and section
 * digests, and the issues (format in docs/integrity.md).  Paths are
 * escaped as pathesc.h says.  Reading checks the subjects against the
 * files, so the two can never tell different stories.
 */
#ifndef NV_STATEMENT_H
#define NV_STATEMENT_H

#include "integrity/manifest.h"

#include <stdio.h>

#define NV_STATEMENT_TYPE "https://in-toto.io/Statement/v1"
#define NV_PREDICATE_TYPE "https://netvet.dev/evaluated-build/v1"
#define NV_STATEMENT_PAYLOAD_TYPE "application/vnd.in-toto+json"

/* About how many bytes the statement of m takes, a little more when no
 * path needs escaping: room to reserve for writing it to memory. */
size_t nv_statement_size(const struct nv_manifest *m);

/* Write finished manifest m as a statement. */
enum nv_rc nv_statement_write(const struct nv_manifest *m, FILE *out,
                              struct nv_err *err) NV_WUR;

/* Read a statement from text[0..len) (name for messages) into m
 * (initialised, empty), finished. */
enum nv_rc nv_statement_read(const char *text, size_t len, const char *name,
                             struct nv_manifest *m, struct nv_err *err) NV_WUR;

#endif
