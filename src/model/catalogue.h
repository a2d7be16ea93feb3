/*
 * catalogue.h - the built-in catalogue of equipment makers.
 *
 * Network, radio, optical, IT and surveillance-equipment makers that
 * inventories name, with their legal name, common aliases and brands,
 * country of headquarters and parent, each row citing a public source.
 * The catalogue says who a maker is, never how far it may be trusted:
 * designations come from restricted-party lists and policy packs.  It
 * is used for vendor strings that no entity of the model names (the
 * model's entities win).
 */
#ifndef NV_CATALOGUE_H
#define NV_CATALOGUE_H

#include <stddef.h>

struct nv_catalogue_row {
    const char *id;      /* short and stable: "huawei", "nokia" */
    const char *name;    /* legal name */
    const char *aliases; /* other names and brands, separated by '|' */
    const char *country; /* ISO 3166 alpha-2 of the headquarters */
    const char *parent;  /* id of the parent row, or NULL */
    const char *source;  /* a public page that supports the row */
};

/* The rows, and how many there are. */
const struct nv_catalogue_row *nv_catalogue(size_t *n);

#endif
