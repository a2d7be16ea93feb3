/*
 * margin.h - vendor margin: how many groups of one kind (vendors, or
 * countries) must act together, or fail together, to cut or read a flow.
 *
 * margin(f, kind) is the smallest number of groups of that kind whose
 * transit assets together lie on every path of f from s to t.  The
 * flow's own ends never count (a path always has them): their groups are
 * reported beside the margin.  Margin 1 is a MUST of one group other
 * than through the ends; 2 means two suppliers together can cut or read
 * f.  A path passes through transit assets only (model.h), so only
 * those can be in a cut; a non-transit asset is never in a path's
 * middle.  Exact up to 3; above, "more than 3".  (Minimum label cut is
 * NP-hard in general; here the groups are few and each set tried is one
 * pass of connected components, as for MUST.)
 */
#ifndef NV_MARGIN_H
#define NV_MARGIN_H

#include "exposure/exposure.h"

#define NV_MARGIN_MAX 3 /* margins are exact up to this */

struct nv_margin {
    /* 0: the ends are not connected at all; 1 to NV_MARGIN_MAX: the
     * margin; NV_MARGIN_MAX + 1: more than NV_MARGIN_MAX (also when s
     * and t are one asset or neighbours: nothing between them to cut). */
    unsigned char k;
    uint32_t witness[NV_MARGIN_MAX]; /* k groups that cut f, when k <= 3 */
};

/*
 * The margin of every flow of m for the groups of kind (vendor or
 * country) in x (computed for m): out[f] for each of x->nflows flows.
 * Only the groups that reach a flow at MAY or above are tried for it.
 * Uses up to threads threads (0: one per core); the result does not
 * depend on their number.  NV_ELIMIT when so many groups touch the flows
 * that the sets of three cannot be listed.
 */
enum nv_rc nv_margin_compute(const struct nv_model *m,
                             const struct nv_exposure *x,
                             enum nv_group_kind kind, int threads,
                             struct nv_margin *out, struct nv_err *err) NV_WUR;

#endif
