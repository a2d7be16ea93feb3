/*
 * run.c - a child process with pipes for its three standard streams,
 * read with poll() until it ends or its time is up.  Input is written as
 * the child reads it, so a child that does not read cannot block us; a
 * child that outlives its time, or prints more than is kept, is killed
 * with SIGKILL and reaped.
 */
#define _GNU_SOURCE /* posix_spawn_file_actions_addchdir_np, prlimit */
#include "serve/run.h"

#include "core/alloc.h"
#include "core/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The most of stderr kept: the message is at its end. */
#define MAX_ERRS 4096
/* How much one read asks for. */
#define CHUNK ((size_t)1 << 16)

struct pipes {
    int in[2], out[2], err[2];
};

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void close_all(struct pipes *p)
{
    for (int i = 0; i < 2; i++) {
        close_fd(&p->in[i]);
        close_fd(&p->out[i]);
        close_fd(&p->err[i]);
    }
}

static enum nv_rc spawn(const struct nv_run *r, struct pipes *p, pid_t *pid,
                        struct nv_err *err)
{
    posix_spawn_file_actions_t fa;
    int e;

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p->in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, p->out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, p->err[1], 2);
    if (r->cwd)
        posix_spawn_file_actions_addchdir_np(&fa, r->cwd);
    e = posix_spawn(pid, r->exe, &fa, NULL, (char *const *)r->argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (e)
        return nv_err_set(err, NV_EIO, "cannot start %s: %s", r->exe,
                          strerror(e));
    if (r->seconds > 0) {
        struct rlimit cpu = {(rlim_t)r->seconds, (rlim_t)r->seconds + 1};
        prlimit(*pid, RLIMIT_CPU, &cpu, NULL);
    }
    return NV_OK;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read what fd has into b; keep only the last MAX_ERRS bytes when tail.
 * Closes fd at its end. */
static enum nv_rc drain(int *fd, struct nv_buf *b, int tail)
{
    size_t room = b->limit - b->len < CHUNK ? b->limit - b->len : CHUNK;
    enum nv_rc rc = NV_OK;
    ssize_t n;
    char probe;

    if (!room && tail) {
        nv_buf_reset(b); /* keep the end of stderr only */
        room = CHUNK;
    }
    /* Straight into the buffer: worker threads have small stacks. */
    if (room)
        rc = nv_buf_reserve(b, room);
    if (rc)
        return rc;
    n = read(*fd, room ? b->data + b->len : &probe, room ? room : 1);
    if (n > 0 && !room)
        return NV_ELIMIT; /* one byte more than may be kept */
    if (n <= 0) {
        if (n == 0 || (errno != EINTR && errno != EAGAIN))
            close_fd(fd);
        return NV_OK;
    }
    b->len += (size_t)n;
    b->data[b->len] = '\0';
    return NV_OK;
}

/* Feed the input; close the pipe once it is all written or refused. */
static void feed(int *fd, const struct nv_run *r, size_t *done)
{
    ssize_t n = write(*fd, r->input + *done, r->input_len - *done);

    if (n > 0)
        *done += (size_t)n;
    if ((n < 0 && errno != EINTR && errno != EAGAIN) || *done == r->input_len)
        close_fd(fd);
}

struct io {
    struct nv_buf out, errs;
    size_t fed;
};

/* Move data until stdout and stderr are closed or time is up. */
static enum nv_rc pump(const struct nv_run *r, struct pipes *p, struct io *io,
                       int *timed_out)
{
    double end = now() + (r->seconds > 0 ? r->seconds : 1e9);
    enum nv_rc rc = NV_OK;

    while (!rc && (p->out[0] >= 0 || p->err[0] >= 0)) {
        struct pollfd fds[3] = {{p->out[0], POLLIN, 0},
                                {p->err[0], POLLIN, 0},
                                {p->in[1], POLLOUT, 0}};
        double left = end - now();
        if (left <= 0) {
            *timed_out = 1;
            break;
        }
        if (poll(fds, 3, (int)(left * 1000) + 1) < 0 && errno != EINTR)
            return NV_EIO;
        if (fds[0].revents)
            rc = drain(&p->out[0], &io->out, 0);
        if (!rc && fds[1].revents)
            rc = drain(&p->err[0], &io->errs, 1);
        if (fds[2].revents)
            feed(&p->in[1], r, &io->fed);
    }
    return rc;
}

static int open_pipes(struct pipes *p)
{
    int ok = pipe2(p->in, O_CLOEXEC) == 0 && pipe2(p->out, O_CLOEXEC) == 0 &&
             pipe2(p->err, O_CLOEXEC) == 0;

    if (ok) {
        fcntl(p->in[1], F_SETFL, O_NONBLOCK);
        fcntl(p->out[0], F_SETFL, O_NONBLOCK);
        fcntl(p->err[0], F_SETFL, O_NONBLOCK);
    }
    return ok;
}

/* Reap pid, killing it first when it is to stop; its status in res. */
static void reap(pid_t pid, int kill_it, struct nv_run_result *res)
{
    int ws = 0;

    if (kill_it)
        kill(pid, SIGKILL);
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    res->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

enum nv_rc nv_run(const struct nv_run *r, struct nv_run_result *res,
                  struct nv_err *err)
{
    struct pipes p = {{-1, -1}, {-1, -1}, {-1, -1}};
    struct io io = {{0}, {0}, 0};
    pid_t pid = 0;
    int timed_out = 0;
    enum nv_rc rc =
        open_pipes(&p) ? NV_OK : nv_err_set(err, NV_EIO, "no pipes left");

    nv_buf_init(&io.out, r->max_output);
    nv_buf_init(&io.errs, MAX_ERRS * 2);
    if (!rc)
        rc = spawn(r, &p, &pid, err);
    close_fd(&p.in[0]);
    close_fd(&p.out[1]);
    close_fd(&p.err[1]);
    if (!rc && !r->input_len)
        close_fd(&p.in[1]);
    if (!rc && (rc = pump(r, &p, &io, &timed_out)) != NV_OK)
        nv_err_set(err, rc,
                   rc == NV_ELIMIT ? "the output is too large"
                                   : "cannot read the output");
    close_all(&p);
    if (pid > 0)
        reap(pid, rc || timed_out, res);
    if (rc) {
        nv_buf_release(&io.out);
        nv_buf_release(&io.errs);
        return rc;
    }
    res->timed_out = timed_out;
    res->out_len = io.out.len;
    res->out = nv_buf_take(&io.out);
    res->errs_len = io.errs.len;
    res->errs = nv_buf_take(&io.errs);
    return NV_OK;
}

void nv_run_result_release(struct nv_run_result *res)
{
    nv_free(res->out);
    nv_free(res->errs);
    res->out = res->errs = NULL;
}
