/*
 * progress.h - how far a long job has got, told to whoever shows it.
 *
 * The library never prints: a loader, the exposure phases, screening and
 * hashing tick a struct nv_progress, and the front end that set its draw
 * function decides what the user sees (src/cmd: a line on a terminal's
 * standard error).  Ticking is cheap and safe from several threads at
 * once; draw is called from one thread at a time, never before the work
 * has taken after_ms, and at most once every every_ms.
 *
 * Every function takes NULL for "no progress wanted", so code that does
 * the work calls them unconditionally.
 */
#ifndef NV_PROGRESS_H
#define NV_PROGRESS_H

#include <stdatomic.h>
#include <stdint.h>

/* Show that what has done done of total items (total 0: unknown).  what
 * NULL: the work has ended; take away what was shown. */
typedef void (*nv_progress_fn)(void *ctx, const char *what, uint64_t done,
                               uint64_t total);

struct nv_progress {
    nv_progress_fn draw; /* NULL: nothing is shown */
    void *ctx;
    uint64_t after_ns, every_ns;
    /* The job under way, set by nv_progress_begin. */
    char what[160];
    uint64_t start_ns;
    _Atomic uint64_t total, done, next_ns; /* next_ns: no draw before then */
    atomic_int busy;                       /* a thread is drawing */
    int running, shown;
};

/* Set p up to call draw(ctx, ...) once a job has run for after_ms, then at
 * most every every_ms. */
void nv_progress_init(struct nv_progress *p, nv_progress_fn draw, void *ctx,
                      uint64_t after_ms, uint64_t every_ms);

/*
 * A job (or the next phase of one) of total items starts, shown as what
 * followed by name when name is not NULL ("loading" "big.json").  A phase
 * keeps the clock of the job it continues: the delay counts from the
 * first begin after an end.  Call from one thread, while no other ticks
 * p.
 */
void nv_progress_begin(struct nv_progress *p, const char *what,
                       const char *name, uint64_t total);

/* The job's total, unknown when it began, is now known (from any
 * thread): a walk has counted the files it will hash. */
void nv_progress_total(struct nv_progress *p, uint64_t total);

/* done items of the job are finished (from any thread). */
void nv_progress_set(struct nv_progress *p, uint64_t done);

/* n more items are finished (from any thread). */
void nv_progress_add(struct nv_progress *p, uint64_t n);

/* The job is over: draw(ctx, NULL, 0, 0) if anything was drawn. */
void nv_progress_end(struct nv_progress *p);

#endif
