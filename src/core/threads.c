/*
 * threads.c - POSIX threads behind threads.h.
 */
#include "core/threads.h"

#include <pthread.h>
#include <unistd.h>

int nv_threads_count(int threads)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    if (threads <= 0)
        threads = cores > 0 ? (int)cores : 1;
    return threads > NV_MAX_THREADS ? NV_MAX_THREADS : threads;
}

void nv_threads_run(int n, void *(*fn)(void *), void *ctx)
{
    pthread_t tid[NV_MAX_THREADS];
    int started = 0;

    for (int i = 1; i < n && i < NV_MAX_THREADS; i++)
        if (pthread_create(&tid[started], NULL, fn, ctx) == 0)
            started++;
    fn(ctx);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
}
