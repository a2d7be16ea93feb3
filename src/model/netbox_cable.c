/*
 * netbox_cable.c - circuits to transport assets, and cables to links.
 *
 * A link joins the two devices at the ends of a connected cable path: a
 * cable from an interface may end at a patch panel's front port, go on
 * from the panel's rear port over a trunk to another panel's rear port
 * and leave by the front port of the same position, and so on until it
 * reaches an interface or a circuit termination.  Every cable on the way
 * must be connected.  A path is followed from both of its ends; the link
 * is made from the end whose port key sorts first.
 */
#include "model/netbox_int.h"

#include "core/alloc.h"

#include <stdio.h>
#include <string.h>

#define MAX_HOPS 64 /* cables on one path; longer ones are loops */

#define T_INTERFACE "dcim.interface"
#define T_FRONT "dcim.frontport"
#define T_REAR "dcim.rearport"
#define T_CIRCUIT "circuits.circuittermination"

/* The side of a NetBox or Nautobot circuit termination's site. */
static const struct nv_json *term_site(const struct nv_netbox *nb,
                                       const struct nv_json *t)
{
    const struct nv_json *s = nv_json_get(t, "site");
    const char *type = nb_str(t, "termination_type");

    (void)nb;
    if (!s || s->type != NV_JSON_OBJECT)
        s = nv_json_get(t, "location");
    if ((!s || s->type != NV_JSON_OBJECT) && type &&
        (!strcmp(type, "dcim.site") || !strcmp(type, "dcim.location")))
        s = nv_json_get(t, "termination");
    return s && s->type == NV_JSON_OBJECT ? s : NULL;
}

static const struct nv_json *circuit_term(const struct nv_netbox *nb,
                                          const struct nv_json *c, int z)
{
    const struct nv_json *t =
        nb_ref(nb, c, z ? "termination_z" : "termination_a");
    return t ? t
             : nb_ref(nb, c,
                      z ? "circuit_termination_z" : "circuit_termination_a");
}

static enum nv_rc remember_term(struct nb_build *b, const char *prefix,
                                const char *id, const char *asset)
{
    const char *key =
        id ? nb_join(b, (const char *const[]){prefix, "#", id, NULL}) : NULL;

    if (id && !key)
        return b->err->rc;
    return key ? nb_remember(b, &b->terms, &b->term_ids, &b->nterms,
                             &b->term_cap, key, asset)
               : NV_OK;
}

static const char *circuit_id(struct nb_build *b, const struct nv_json *c)
{
    const char *cid = nb_str(c, "cid");
    const char *id = nb_join(
        b, (const char *const[]){"circuit/", cid ? cid : nb_id(c), NULL});

    if (id && nv_model_find(b->m, NV_T_ASSET, id) != NV_NONE)
        id = nb_join(b, (const char *const[]){id, "#", nb_id(c), NULL});
    return id;
}

static enum nv_rc add_circuit(struct nb_build *b, const struct nb_obj *o)
{
    const struct nv_json *c = o->v, *type = nb_ref(b->nb, c, "type");
    const char *id, *site;
    const char *pairs[] = {"id",   NULL, "vendor", NULL,        "model", NULL,
                           "site", NULL, "layer",  "transport", NULL};
    enum nv_rc rc;

    if (!nb_id(c) || !nb_map_status(b->map, nb_choice(b->nb, c, "status")))
        return NV_OK;
    if (!type)
        type = nb_ref(b->nb, c, "circuit_type");
    id = circuit_id(b, c);
    if (!id)
        return b->err->rc;
    rc = nb_site(b, o, term_site(b->nb, circuit_term(b->nb, c, 0)), &site);
    pairs[1] = id;
    pairs[3] = nb_str(nb_ref(b->nb, c, "provider"), "name");
    pairs[5] = nb_str(type, "name");
    pairs[7] = site;
    if (!rc)
        rc = nb_add(b, NV_T_ASSET, o, pairs);
    if (!rc)
        rc = remember_term(b, "c", nb_id(c), id);
    for (int z = 0; z < 2 && !rc; z++)
        rc = remember_term(b, "t", nb_id(circuit_term(b->nb, c, z)), id);
    if (!rc)
        b->st->circuits++;
    return rc;
}

/* The value of key "X#Y" in m, or -1; built on the stack, since a
 * lookup must not fail for want of memory. */
static int64_t find2(const struct nv_strmap *m, const char *x, const char *y)
{
    char key[1024];
    int n = snprintf(key, sizeof key, "%s%s%s", x, y ? "#" : "", y ? y : "");

    return n < 0 || (size_t)n >= sizeof key ? -1
                                            : nv_strmap_get(m, key, (size_t)n);
}

enum nv_rc nb_build_circuits(struct nb_build *b)
{
    const struct nb_list *l = &b->nb->kind[NB_CIRCUIT];
    const struct nb_list *t = &b->nb->kind[NB_CIRCUITTERM];
    enum nv_rc rc = NV_OK;

    for (size_t i = 0; i < l->n && !rc; i++)
        rc = add_circuit(b, &l->v[i]);
    /* Terminations listed on their own name their circuit. */
    for (size_t i = 0; i < t->n && !rc; i++) {
        const struct nv_json *c =
            nb_resolve(b->nb, nv_json_get(t->v[i].v, "circuit"));
        int64_t k = nb_id(c) ? find2(&b->terms, "c", nb_id(c)) : -1;
        if (k >= 0)
            rc = remember_term(b, "t", nb_id(t->v[i].v), b->term_ids[k]);
    }
    return rc;
}

/* One end of a cable: the first termination of that side. */
struct end {
    const char *type, *id;
    const struct nv_json *obj;
};

/* The text of a number or string member, or NULL. */
static const char *scalar(const struct nv_json *o, const char *key)
{
    const struct nv_json *v = nv_json_get(o, key);

    if (v && (v->type == NV_JSON_NUMBER || v->type == NV_JSON_STRING))
        return v->len ? v->u.str : NULL;
    return NULL;
}

/* NetBox 3.3 on: {a,b}_terminations [{object_type, object_id, object}];
 * Nautobot and older NetBox: termination_{a,b}_type, _id, and the
 * object termination_{a,b}. */
static struct end cable_end(const struct nv_json *cable, int side)
{
    const struct nv_json *l =
        nv_json_get(cable, side ? "b_terminations" : "a_terminations");
    struct end e = {NULL, NULL, NULL};

    if (l && l->type == NV_JSON_ARRAY && l->len) {
        e.type = nb_str(&l->u.items[0], "object_type");
        e.id = scalar(&l->u.items[0], "object_id");
        e.obj = nv_json_get(&l->u.items[0], "object");
    } else {
        e.type =
            nb_str(cable, side ? "termination_b_type" : "termination_a_type");
        e.id = scalar(cable, side ? "termination_b_id" : "termination_a_id");
        e.obj = nv_json_get(cable, side ? "termination_b" : "termination_a");
    }
    if (!e.id)
        e.id = nb_id(e.obj);
    return e;
}

static int connected(const struct nv_netbox *nb, const struct nv_json *cable)
{
    const char *s = nb_choice(nb, cable, "status");
    return !s || !strcasecmp(s, "connected");
}

/* The ports of the collection: where each cable ends, and how the front
 * ports of panels map to positions of their rear ports. */
struct fmap {
    const char *front, *rear, *pos; /* NetBox ids; pos "1" when not given */
};

struct ports {
    struct nv_strmap at;    /* "TYPE#ID" -> 2 * cable + side */
    struct nv_strmap front; /* front port id -> index in map */
    struct nv_strmap rear;  /* "REAR#POS" -> index in map */
    struct fmap *map;
    size_t n, cap;
};

static const char *key2(struct nb_build *b, const char *x, const char *y)
{
    return nb_join(b, (const char *const[]){x, "#", y, NULL});
}

static enum nv_rc put(struct nb_build *b, struct nv_strmap *m, const char *key,
                      size_t value)
{
    uint32_t v;
    int found;

    if (!key)
        return b->err->rc;
    if (nv_strmap_put(m, key, strlen(key), (uint32_t)value, &v, &found))
        return nv_err_set(b->err, NV_ENOMEM, "out of memory");
    return NV_OK;
}

static enum nv_rc index_cables(struct nb_build *b, struct ports *p)
{
    const struct nb_list *l = &b->nb->kind[NB_CABLE];
    enum nv_rc rc = NV_OK;

    for (size_t i = 0; i < l->n && !rc; i++)
        for (int s = 0; s < 2 && !rc; s++) {
            struct end e = cable_end(l->v[i].v, s);
            if (e.type && e.id)
                rc = put(b, &p->at, key2(b, e.type, e.id), 2 * i + (size_t)s);
        }
    return rc;
}

/* A front port's rear port and position: NetBox up to 4.4 and Nautobot
 * give rear_port and rear_port_position, later NetBox a list rear_ports
 * of {position, rear_port, rear_port_position}. */
static struct fmap front_map(const struct nv_json *fp)
{
    const struct nv_json *l = nv_json_get(fp, "rear_ports");
    const struct nv_json *rp = nv_json_get(fp, "rear_port");
    struct fmap f = {nb_id(fp), NULL, scalar(fp, "rear_port_position")};

    if (l && l->type == NV_JSON_ARRAY && l->len) {
        f.rear = scalar(&l->u.items[0], "rear_port");
        f.pos = scalar(&l->u.items[0], "rear_port_position");
    } else if (rp && rp->type == NV_JSON_OBJECT) {
        f.rear = nb_id(rp);
    } else {
        f.rear = scalar(fp, "rear_port");
    }
    if (!f.pos)
        f.pos = "1";
    return f;
}

static enum nv_rc index_fronts(struct nb_build *b, struct ports *p)
{
    const struct nb_list *l = &b->nb->kind[NB_FRONTPORT];
    enum nv_rc rc = NV_OK;

    for (size_t i = 0; i < l->n && !rc; i++) {
        struct fmap f = front_map(l->v[i].v);
        if (!f.front || !f.rear)
            continue;
        if (nv_array_reserve(&p->map, &p->cap, p->n + 1, sizeof *p->map))
            return nv_err_set(b->err, NV_ENOMEM, "out of memory");
        p->map[p->n] = f;
        rc = put(b, &p->front, f.front, p->n);
        if (!rc)
            rc = put(b, &p->rear, key2(b, f.rear, f.pos), p->n);
        p->n++;
    }
    return rc;
}

/* The model asset at a path's end e: an imported device's interface or a
 * circuit's termination; NULL when it is neither. */
static const char *end_asset(struct nb_build *b, const struct end *e)
{
    int64_t i;

    if (!strcmp(e->type, T_INTERFACE)) {
        const struct nv_json *o = nb_resolve(b->nb, e->obj);
        return nb_device(b, nv_json_get(o, "device"));
    }
    i = strcmp(e->type, T_CIRCUIT) ? -1 : find2(&b->terms, "t", e->id);
    return i < 0 ? NULL : b->term_ids[i];
}

/* The cable end (2 * cable + side) the path goes on from after arriving
 * at panel port e, or -1 when the panel's mapping is unknown. */
static int64_t pass_panel(const struct ports *p, const struct end *e,
                          const char **pos)
{
    int64_t i;

    if (!strcmp(e->type, T_FRONT)) {
        i = find2(&p->front, e->id, NULL);
        if (i < 0)
            return -1;
        *pos = p->map[i].pos;
        return find2(&p->at, T_REAR, p->map[i].rear);
    }
    i = find2(&p->rear, e->id, *pos);
    *pos = "1";
    return i < 0 ? -1 : find2(&p->at, T_FRONT, p->map[i].front);
}

/* Follow the path that leaves by side `side` of cable c to its far end
 * *far: 1 when it ends at an interface or a circuit, 0 when a cable on
 * the way is not connected, -1 when it cannot be followed. */
static int trace(struct nb_build *b, const struct ports *p, size_t c, int side,
                 struct end *far)
{
    const struct nb_list *l = &b->nb->kind[NB_CABLE];
    const char *pos = "1";

    for (int hop = 0; hop < MAX_HOPS; hop++) {
        int64_t k;
        if (!connected(b->nb, l->v[c].v))
            return 0;
        *far = cable_end(l->v[c].v, !side);
        if (!far->type || !far->id)
            return -1;
        if (!strcmp(far->type, T_INTERFACE) || !strcmp(far->type, T_CIRCUIT))
            return 1;
        if (strcmp(far->type, T_FRONT) && strcmp(far->type, T_REAR))
            return -1;
        k = pass_panel(p, far, &pos);
        if (k < 0)
            return -1;
        c = (size_t)k / 2;
        side = (int)(k % 2);
    }
    return -1;
}

/* Ports in a total order, so each path is made a link from one end. */
static int port_cmp(const struct end *x, const struct end *y)
{
    int c = strcmp(x->type, y->type);
    return c ? c : strcmp(x->id, y->id);
}

static int path_start(const struct end *e)
{
    return e->type && e->id &&
           (!strcmp(e->type, T_INTERFACE) || !strcmp(e->type, T_CIRCUIT));
}

static enum nv_rc link_from(struct nb_build *b, const struct ports *p, size_t c,
                            int side)
{
    const struct nb_obj *o = &b->nb->kind[NB_CABLE].v[c];
    struct end e = cable_end(o->v, side), far;
    const char *a, *z;
    int r;

    if (!path_start(&e))
        return NV_OK;
    r = trace(b, p, c, side, &far);
    b->st->untraced += r < 0;
    if (r <= 0 || port_cmp(&e, &far) > 0)
        return NV_OK;
    a = end_asset(b, &e);
    z = end_asset(b, &far);
    if (!a || !z)
        return NV_OK;
    b->st->links++;
    return nb_add(b, NV_T_LINK, o, (const char *const[]){"a", a, "b", z, NULL});
}

enum nv_rc nb_build_cables(struct nb_build *b)
{
    struct ports p = {0};
    enum nv_rc rc;

    nv_strmap_init(&p.at);
    nv_strmap_init(&p.front);
    nv_strmap_init(&p.rear);
    rc = index_cables(b, &p);
    if (!rc)
        rc = index_fronts(b, &p);
    for (size_t c = 0; c < b->nb->kind[NB_CABLE].n && !rc; c++)
        for (int s = 0; s < 2 && !rc; s++)
            rc = link_from(b, &p, c, s);
    nv_strmap_release(&p.at);
    nv_strmap_release(&p.front);
    nv_strmap_release(&p.rear);
    nv_free(p.map);
    return rc;
}
