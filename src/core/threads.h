/*
 * threads.h - running one function on several threads at once.
 *
 * The workers share a context and take items from it themselves (an
 * atomic counter); this only starts them and waits.
 */
#ifndef NV_THREADS_H
#define NV_THREADS_H

#define NV_MAX_THREADS 16

/* threads when positive, else one per online core; at most
 * NV_MAX_THREADS. */
int nv_threads_count(int threads);

/* Run fn(ctx) on n threads, this one included, and wait for them all.  A
 * thread that cannot be started is simply not there: fn must cope with
 * fewer workers, as a shared counter does. */
void nv_threads_run(int n, void *(*fn)(void *), void *ctx);

#endif
