/*
 * parse.h - checked number parsing and text positions.
 *
 * Numbers come from hostile files: every parser here takes an explicit
 * length, accepts the whole text or nothing, and checks range.
 */
#ifndef NV_PARSE_H
#define NV_PARSE_H

#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

/* A decimal integer in [min, max] ("-12"; no blanks, no "+", no hex). */
enum nv_rc nv_parse_i64(const char *s, size_t n, int64_t min, int64_t max,
                        int64_t *out) NV_WUR;

/* A finite decimal number ("1", "-2.5", "3e4"); no blanks, inf or nan. */
enum nv_rc nv_parse_double(const char *s, size_t n, double *out) NV_WUR;

/* The shortest text that reads back as exactly v ("0.97", "1e+20");
 * v must be finite.  Returns the length written into out. */
int nv_format_double(double v, char out[32]);

/* Whether s[0..n) equals the NUL-terminated word. */
int nv_str_eq(const char *s, size_t n, const char *word);

/*
 * The 1-based line and column (counted in UTF-8 characters) of byte offset
 * off in text[0..len).  Costs a scan from the start: for error reports.
 */
void nv_text_pos(const char *text, size_t len, size_t off, unsigned long *line,
                 unsigned long *col);

#endif
