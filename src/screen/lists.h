/*
 * lists.h - restricted-party lists, loaded from their published formats.
 *
 * Formats, recognised by their header row (docs/screening.md):
 *   US Consolidated Screening List CSV (consolidated.csv, entity_list.csv)
 *   FCC Covered List entities (name, parent, covered_items, ...)
 *   OpenSanctions / FollowTheMoney CSV (schema, name, aliases, ...), as
 *     used for NDAA section 889
 *   DoD section 1260H list (Name, Clean Name, Alias, Parent Name, ...)
 *   a local CSV of national designations and extra aliases, in the
 *     entities.csv form (id, name, aliases, country, designation, parent)
 *   an alias table (alias_of, alias, ..., source): other names, such as
 *     the Chinese legal names of listed companies (data/screen/)
 *   FollowTheMoney JSON lines, the OpenSanctions entity export (ftm.c)
 * Rows naming the same party twice (the CSL repeats a party per address
 * block) become one party.  Parents are linked by name after loading.
 */
#ifndef NV_LISTS_H
#define NV_LISTS_H

#include "core/arena.h"
#include "model/model.h"
#include "core/strmap.h"

struct nv_party {
    const char *name;   /* primary name as the list gives it, trimmed */
    const char *list;   /* short id of the list: "us-entity-list" ... */
    const char *source; /* the list's own name of its source */
    const char *programs, *license, *country, *addresses, *citation;
    const char *removed;  /* the date the list removed it (every row of it
                             ended), or NULL while it is listed */
    const char **aliases; /* other names, trimmed */
    uint32_t naliases;
    const char *match_name; /* the name to match when it differs from the
                               primary one (an affiliate of a compound
                               "X. Affiliated Entity: Y" row), or NULL */
    const char *parent_name;
    uint32_t parent;  /* index of the parent party, or NV_NONE */
    int designation;  /* enum nv_designation, or -1: by list */
    const char *file; /* the list file it came from */
};

/* The name party p is matched by: its match_name, else its name. */
static inline const char *nv_party_match_name(const struct nv_party *p)
{
    return p->match_name ? p->match_name : p->name;
}

/* A row of an alias table: another name of the party listed as of. */
struct nv_alias_row {
    const char *of, *alias;
};

struct nv_lists {
    struct nv_arena arena;
    struct nv_party *v;
    uint32_t n;
    size_t cap;
    struct nv_alias_row *extra; /* alias tables' rows, attached by link */
    uint32_t nextra;
    size_t extracap;
    struct nv_strmap seen; /* "list\x1fname" -> party: a party named
                              twice, in one file or two, is one party */
};

void nv_lists_init(struct nv_lists *l);
void nv_lists_release(struct nv_lists *l);

/* Add the parties of the list file at path. */
enum nv_rc nv_lists_load(struct nv_lists *l, const char *path,
                         struct nv_err *err) NV_WUR;

/* Add the parties of a list held in memory (name is used in errors). */
enum nv_rc nv_lists_load_text(struct nv_lists *l, const char *name,
                              const char *text, size_t len,
                              struct nv_err *err) NV_WUR;

/*
 * Add the parties of FollowTheMoney JSON lines (one entity a line, the
 * OpenSanctions export): organisations (Company, Organization,
 * LegalEntity, PublicBody) become parties of list "opensanctions" named
 * by properties.name, with alias and previousName as aliases (weakAlias
 * is not matched), country, topics as programmes, datasets as source,
 * sourceUrl as citation; Ownership entities (owner, asset, percentage)
 * make the owner with the largest share the asset's parent.  Other
 * schemas are skipped.  NV_EPARSE with file, line and column for a line
 * that is not a JSON object or an entity without id or schema.
 */
enum nv_rc nv_lists_load_ftm(struct nv_lists *l, const char *name,
                             const char *text, size_t len,
                             struct nv_err *err) NV_WUR;

/* The party called name on list (file: where it was read), added if
 * new; *idx receives it and *fresh whether it is new.  NV_ENOMEM. */
enum nv_rc nv_lists_add_party(struct nv_lists *l, const char *list,
                              const char *name, const char *file, uint32_t *idx,
                              int *fresh) NV_WUR;

/* Another name of party (trimmed, copied; duplicates ignored). */
enum nv_rc nv_lists_add_alias(struct nv_lists *l, uint32_t party,
                              const char *alias) NV_WUR;

/* Link every party's parent_name to a party (by normalised name), and
 * give the rows of alias tables to the parties they name; call once
 * after loading every file. */
enum nv_rc nv_lists_link(struct nv_lists *l, struct nv_err *err) NV_WUR;

/* The ultimate parent of party i (itself if it has none). */
uint32_t nv_lists_root(const struct nv_lists *l, uint32_t i);

/* The designation a match on party i implies: a local designation if the
 * party (or its root) has one; else prohibited for the Entity List, the
 * FCC Covered List and NDAA section 889 and the sanctions lists, and
 * high-risk for the others. */
enum nv_designation nv_lists_designation(const struct nv_lists *l, uint32_t i);

#endif
