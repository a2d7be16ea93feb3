/*
 * csv.h - an RFC 4180 record reader over text in memory.
 *
 * Fields are separated by commas (or another separator, such as the ';'
 * of spreadsheets in many locales) and may be quoted, contain separators,
 * doubled quotes and line breaks; lines end in LF or CRLF; a UTF-8 byte-order
 * mark is skipped; blank lines are skipped.  The text must be valid UTF-8.
 * Every field keeps its byte offset, so callers can report FILE:LINE:COL about
 * a bad value.
 */
#ifndef NV_CSV_H
#define NV_CSV_H

#include "core/err.h"

#include <stddef.h>

#define NV_CSV_MAX_FIELDS 1024
#define NV_CSV_MAX_FIELD ((size_t)1 << 20)

struct nv_csv_field {
    const char *s; /* not NUL-terminated; valid until the next record */
    size_t len;
    size_t off; /* byte offset of the field's first character */
};

struct nv_csv {
    const char *text, *name;
    size_t len, pos;
    struct nv_csv_field *fields; /* the current record */
    size_t nfields, cap;
    char *scratch; /* unescaped copies of quoted fields */
    size_t nscratch, scratch_cap;
    size_t record_off; /* offset of the current record */
    int checked;       /* the text is known to be UTF-8 (a caller that
                          checked it may set this) */
    char sep;          /* the field separator: ',' unless set */
};

/* A reader over text[0..len); name is used in errors.  Borrowed. */
void nv_csv_init(struct nv_csv *c, const char *text, size_t len,
                 const char *name);

/* Free the reader's buffers (not the text). */
void nv_csv_release(struct nv_csv *c);

/* Read the next record into c->fields; *got is 0 at the end of input. */
enum nv_rc nv_csv_next(struct nv_csv *c, int *got, struct nv_err *err) NV_WUR;

/* Read only the records in [start, end) of the text; start must be where
 * a record begins (see nv_csv_split). */
void nv_csv_limit(struct nv_csv *c, size_t start, size_t end);

/*
 * Where a record begins at or after the middle of text[start..len), for
 * reading the two halves apart; len if there is no such place.  Quotes
 * are counted from start, which must itself begin a record.
 */
size_t nv_csv_split(const char *text, size_t start, size_t len);

/*
 * The separator a spreadsheet export uses, told by its first line (after
 * a byte-order mark): whichever of ',', ';' and tab occurs most outside
 * quotes; ',' when none does.
 */
char nv_csv_sniff(const char *text, size_t len);

/* Index of the field equal to name in the current record, or -1. */
int nv_csv_find(const struct nv_csv *c, const char *name);

/* Record an error at byte offset off of the text. */
enum nv_rc nv_csv_error_at(const struct nv_csv *c, struct nv_err *err,
                           enum nv_rc rc, size_t off, const char *fmt, ...)
    NV_PRINTF(5, 6);

/* Whether s[0..n) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int nv_utf8_valid(const char *s, size_t n);

/* The length of the longest valid UTF-8 prefix of s[0..n): n when all of
 * it is valid, else the offset of the first bad sequence. */
size_t nv_utf8_prefix(const char *s, size_t n);

#endif
