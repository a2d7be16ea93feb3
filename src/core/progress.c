/*
 * progress.c - when to tell how far a job has got (progress.h).
 *
 * Ticks come from worker threads in the middle of hot loops, so a tick
 * that is not due costs a clock read and an atomic load; the thread that
 * wins the busy flag draws, the others go on without waiting.
 */
#include "core/progress.h"

#include <stdio.h>
#include <time.h>

static uint64_t now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

void nv_progress_init(struct nv_progress *p, nv_progress_fn draw, void *ctx,
                      uint64_t after_ms, uint64_t every_ms)
{
    p->draw = draw;
    p->ctx = ctx;
    p->after_ns = after_ms * 1000000u;
    p->every_ns = every_ms * 1000000u;
    p->what[0] = '\0';
    p->start_ns = 0;
    atomic_init(&p->total, 0);
    atomic_init(&p->done, 0);
    atomic_init(&p->next_ns, 0);
    atomic_init(&p->busy, 0);
    p->running = p->shown = 0;
}

void nv_progress_begin(struct nv_progress *p, const char *what,
                       const char *name, uint64_t total)
{
    if (!p || !p->draw)
        return;
    if (!p->running) {
        p->start_ns = now_ns();
        atomic_store(&p->next_ns, p->start_ns + p->after_ns);
        p->running = 1;
    }
    snprintf(p->what, sizeof p->what, "%s%s%s", what, name ? " " : "",
             name ? name : "");
    atomic_store(&p->total, total);
    atomic_store(&p->done, 0);
}

void nv_progress_total(struct nv_progress *p, uint64_t total)
{
    if (p && p->draw && p->running)
        atomic_store(&p->total, total);
}

/* Draw if the job has run long enough and the last drawing is old
 * enough; another thread drawing just now is as good. */
static void tick(struct nv_progress *p)
{
    uint64_t t = now_ns();

    if (t < atomic_load(&p->next_ns) || atomic_exchange(&p->busy, 1))
        return;
    if (t >= atomic_load(&p->next_ns)) {
        p->draw(p->ctx, p->what, atomic_load(&p->done), atomic_load(&p->total));
        p->shown = 1;
        atomic_store(&p->next_ns, t + p->every_ns);
    }
    atomic_store(&p->busy, 0);
}

void nv_progress_set(struct nv_progress *p, uint64_t done)
{
    if (!p || !p->draw || !p->running)
        return;
    atomic_store(&p->done, done);
    tick(p);
}

void nv_progress_add(struct nv_progress *p, uint64_t n)
{
    if (!p || !p->draw || !p->running)
        return;
    atomic_fetch_add(&p->done, n);
    tick(p);
}

void nv_progress_end(struct nv_progress *p)
{
    if (!p || !p->draw || !p->running)
        return;
    if (p->shown)
        p->draw(p->ctx, NULL, 0, 0);
    p->running = p->shown = 0;
}
