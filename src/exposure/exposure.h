/*
 * exposure.h - who can intercept or cut which critical flow.
 *
 * For a flow f from s to t and a group X of assets (groups.h); a path
 * never passes through a non-transit asset (model.h), which can only be
 * its first or last:
 *   must     every s-t path contains an asset of X (s or t in X counts):
 *            X sees all of f's traffic and can cut f on its own;
 *   routed   an asset of X is on f's route: its declared path if it has
 *            one, else any least-cost path by link cost (equal-cost paths
 *            all count);
 *   failover an asset of X is on f's route with one element failed (any
 *            single link, or any single asset other than s and t) or
 *            none; a declared path is left only when the failure breaks
 *            it, for the least-cost paths avoiding the failed element;
 *   may      an asset of X is on some simple s-t path.
 * must implies routed implies failover implies may.  Each flow gets, for
 * each group, the highest level reached.  Flows whose ends are not
 * connected get none and are flagged, never dropped.  The assets that
 * give a level are culprits.h's.  docs/algorithms.md gives the
 * algorithms and their costs.
 */
#ifndef NV_EXPOSURE_H
#define NV_EXPOSURE_H

#include "exposure/groups.h"
#include "model/model.h"

enum nv_level {
    NV_LEVEL_NONE,
    NV_LEVEL_MAY,
    NV_LEVEL_FAILOVER,
    NV_LEVEL_ROUTED,
    NV_LEVEL_MUST,
    NV_LEVEL_COUNT
};

/* "none", "may", "failover", "routed", "must". */
extern const char *const nv_level_names[NV_LEVEL_COUNT];

struct nv_exposure {
    struct nv_groups groups;
    uint32_t nflows;
    unsigned char *level;        /* nflows rows of groups.n levels */
    unsigned char *connected;    /* per flow: do its ends meet at all? */
    enum nv_class failover_from; /* failover was worked out for flows of
                                    this class and above only */
    double seconds[4]; /* wall time of the must, may, routed and failover
                          phases (benchmarks) */
    double cpu[4];     /* their processor time, all threads together: on a
                          shared machine, wall time says little */
};

struct nv_progress;

struct nv_exposure_opts {
    int threads; /* 0: one per online core */
    /* Work out failover only for flows of this classification and above
     * (the others stop at routed or may): failover costs a search per
     * failure that moves a route, so on very large models it can be kept
     * to the flows that need it.  NV_CLASS_COUNT: for none. */
    enum nv_class failover_from;
    struct nv_progress *progress; /* borrowed; ticked per item of each phase
                                     (group, source, flow); NULL: none */
    /* Per asset: the core the routed level's overlay cuts the network at
     * (overlay.h), which then serves every flow it can, however few
     * sources there are (tests).  NULL: the best-connected assets, when
     * the flows have many sources. */
    const unsigned char *core;
};

/*
 * Compute the exposure of every flow of m (finished) to every group, on
 * up to threads threads (0: one per online core), failover for every
 * flow.  Release with nv_exposure_release.
 */
enum nv_rc nv_exposure_compute(const struct nv_model *m, int threads,
                               struct nv_exposure *x,
                               struct nv_err *err) NV_WUR;

/* The same, with options. */
enum nv_rc nv_exposure_compute_opts(const struct nv_model *m,
                                    const struct nv_exposure_opts *o,
                                    struct nv_exposure *x,
                                    struct nv_err *err) NV_WUR;

void nv_exposure_release(struct nv_exposure *x);

/* Whether flow f's failover level was worked out: its ends meet, are
 * apart, and it is classified failover_from or above. */
static inline int nv_exposure_wants_failover(const struct nv_exposure *x,
                                             const struct nv_model *m,
                                             uint32_t f)
{
    const struct nv_flow *fl = &NV_FLOWS(m)[f];

    return x->connected[f] && fl->src.idx != fl->dst.idx &&
           fl->classification >= x->failover_from;
}

static inline enum nv_level nv_exposure_level(const struct nv_exposure *x,
                                              uint32_t flow, uint32_t group)
{
    return (enum nv_level)x->level[(size_t)flow * x->groups.n + group];
}

#endif
