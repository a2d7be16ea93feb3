/*
 * import.c - `netvet import netbox`: a native model from NetBox or
 * Nautobot, from saved API pages or from the server.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/parse.h"
#include "model/netbox.h"
#include "model/netbox_fetch.h"
#include "model/save.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static const char about[] =
    "Build a native model from a NetBox or Nautobot inventory: devices\n"
    "(maker, type, role as layer, platform, serial, tags), sites or\n"
    "locations with their regions, cables traced through patch panels,\n"
    "provider circuits, modules and inventory items (docs/formats.md).\n"
    "Either from saved API pages (--pages DIR: every *.json file in DIR is\n"
    "one page of any endpoint, whatever its name) or from the server\n"
    "(--url, --token-file: a v1 token or NetBox 4.5's nbt_ token).  What\n"
    "was imported and left out is summarised on standard error.\n"
    "\n"
    "Exit status: 0 imported; 2 bad input (arguments, a malformed page, a\n"
    "refused token, an unreachable server); 3 out of memory or the model\n"
    "cannot be written.";

static const char examples[] =
    "  netvet import netbox --pages export/ -o model.json\n"
    "  netvet import netbox --url https://netbox.example.net \\\n"
    "      --token-file ~/.netbox-token --map roles.map -o model.json\n"
    "  netvet check model.json --policy uk-2020\n";

#define MAX_TOKEN_FILE 4096
#define MAX_MAP_FILE ((size_t)1 << 20)

struct import_args {
    const char *pages, *url, *token_file, *map, *cacert, *page_size, *retries,
        *retry_delay, *output;
    int insecure, quiet;
};

static int cmp_names(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int is_json_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* The *.json files of dir, sorted, as "dir/name" strings to nv_free. */
static int list_pages(const char *dir, struct nv_strlist *out)
{
    DIR *d = opendir(dir);
    const struct dirent *e;
    int rc = NV_EXIT_OK;

    if (!d) {
        struct nv_err err = {0};
        nv_err_at(&err, NV_EIO, dir, 0, 0, "cannot open the directory");
        return nv_cli_fail(&err);
    }
    while (rc == NV_EXIT_OK && (e = readdir(d)) != NULL) {
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *path = is_json_name(e->d_name) ? nv_malloc(n) : NULL;
        if (path)
            snprintf(path, n, "%s/%s", dir, e->d_name);
        if (is_json_name(e->d_name) && (!path || nv_strlist_add(out, path))) {
            nv_free(path);
            rc = NV_EXIT_INTERNAL;
        }
    }
    closedir(d);
    if (out->n)
        qsort(out->items, out->n, sizeof *out->items, cmp_names);
    return rc;
}

static void free_pages(struct nv_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        nv_free((void *)l->items[i]);
    nv_strlist_release(l);
}

static int read_page(struct nv_netbox *nb, const char *path)
{
    struct nv_file f;
    struct nv_err err = {0};
    const char *next;
    enum nv_rc rc;

    nv_err_clear(&err);
    if (nv_file_read(&f, path, (size_t)1 << 30, &err))
        return nv_cli_fail(&err);
    rc = nv_netbox_add_page(nb, f.data ? f.data : "", f.len, path, &next, &err);
    nv_file_release(&f);
    return rc ? nv_cli_fail(&err) : NV_EXIT_OK;
}

static int read_pages(struct nv_netbox *nb, const char *dir)
{
    struct nv_strlist files = {0};
    int rc = list_pages(dir, &files);

    if (rc == NV_EXIT_OK && files.n == 0) {
        struct nv_err err = {0};
        nv_err_at(&err, NV_ENOENT, dir, 0, 0, "no *.json API pages");
        rc = nv_cli_fail(&err);
    }
    for (size_t i = 0; i < files.n && rc == NV_EXIT_OK; i++)
        rc = read_page(nb, files.items[i]);
    free_pages(&files);
    return rc;
}

static int read_small(const char *path, size_t limit, struct nv_file *f)
{
    struct nv_err err = {0};

    nv_err_clear(&err);
    return nv_file_read(f, path, limit, &err) ? nv_cli_fail(&err) : NV_EXIT_OK;
}

static int token(const char *path, char *auth, size_t size)
{
    struct nv_file f;
    struct nv_err err = {0};
    int rc = read_small(path, MAX_TOKEN_FILE, &f);

    if (rc)
        return rc;
    nv_err_clear(&err);
    if (nv_netbox_auth(f.data ? f.data : "", f.len, auth, size, &err)) {
        nv_err_file(&err, path);
        rc = nv_cli_fail(&err);
    }
    nv_file_release(&f);
    return rc;
}

static int server_opts(const struct nv_cmd_spec *spec,
                       const struct import_args *a, struct nv_netbox_server *s)
{
    uint32_t size = 1000, retries = 5, delay = 1000;
    int rc = nv_cli_number(spec, "page-size", a->page_size, 100000, &size);

    if (!rc)
        rc = nv_cli_number(spec, "retries", a->retries, 20, &retries);
    if (!rc)
        rc = nv_cli_number(spec, "retry-delay", a->retry_delay, 600000, &delay);
    if (!rc && size == 0)
        rc = nv_cli_usage_error(spec, "--page-size is at least 1");
    nv_http_opts_init(&s->http);
    s->url = a->url;
    s->page_size = size;
    s->http.retries = retries;
    s->http.delay_ms = delay;
    s->http.insecure = a->insecure;
    s->http.cafile = a->cacert;
    return rc;
}

/* The server's URL without the trailing slashes users often type. */
static char *trim_url(const char *url)
{
    size_t n = strlen(url);

    while (n > 1 && url[n - 1] == '/')
        n--;
    return nv_strndup(url, n);
}

static int fetch(const struct nv_cmd_spec *spec, struct nv_netbox *nb,
                 const struct import_args *a)
{
    struct nv_netbox_server s;
    char auth[MAX_TOKEN_FILE + 16];
    struct nv_err err = {0};
    char *url = trim_url(a->url);
    int rc = url ? server_opts(spec, a, &s) : NV_EXIT_INTERNAL;

    if (!rc)
        rc = token(a->token_file, auth, sizeof auth);
    s.url = url;
    s.auth = auth;
    nv_err_clear(&err);
    if (!rc && nv_netbox_fetch(nb, &s, &err))
        rc = nv_cli_fail(&err);
    nv_free(url);
    return rc;
}

static int read_map(struct nv_netbox_map *map, const char *path)
{
    struct nv_file f;
    struct nv_err err = {0};
    int rc;

    if (!path)
        return NV_EXIT_OK;
    rc = read_small(path, MAX_MAP_FILE, &f);
    if (rc)
        return rc;
    nv_err_clear(&err);
    if (nv_netbox_map_parse(map, f.data ? f.data : "", f.len, path, &err))
        rc = nv_cli_fail(&err);
    nv_file_release(&f);
    return rc;
}

static void summary(const struct nv_netbox_stats *st)
{
    fprintf(
        stderr,
        "netvet: imported %zu devices at %zu sites, %zu links from cables, %zu "
        "circuits, %zu sub-assets\n",
        st->devices, st->sites, st->links, st->circuits, st->subassets);
    if (st->filtered || st->passive)
        fprintf(stderr,
                "netvet: left out %zu devices by status and %zu passive "
                "ones (patch panels)\n",
                st->filtered, st->passive);
    if (st->untraced)
        fprintf(stderr,
                "netvet: %zu cable paths could not be followed (a port or "
                "panel mapping is missing from the pages)\n",
                st->untraced);
}

static int build_and_write(struct nv_netbox *nb,
                           const struct nv_netbox_map *map,
                           const struct import_args *a)
{
    struct nv_netbox_stats st;
    struct nv_model *m = nv_model_new();
    struct nv_cli_out out;
    struct nv_err err = {0};
    int rc = m ? NV_EXIT_OK : NV_EXIT_INTERNAL;

    nv_err_clear(&err);
    if (!rc &&
        (nv_netbox_build(nb, map, m, &st, &err) || nv_model_finish(m, &err)))
        rc = nv_cli_fail(&err);
    if (!rc && !a->quiet)
        summary(&st);
    if (!rc)
        rc = nv_cli_out_open(&out, a->output);
    if (!rc && nv_save_json(m, out.f, &err))
        rc = nv_cli_out_fail(&out, &err);
    else if (!rc)
        rc = nv_cli_out_close(&out, 1);
    nv_model_free(m);
    return rc;
}

static int check_args(const struct nv_cmd_spec *spec,
                      const struct nv_strlist *args,
                      const struct import_args *a)
{
    if (args->n != 1 || strcmp(args->items[0], "netbox") != 0)
        return nv_cli_usage_error(spec, "the source is 'netbox' (NetBox or "
                                        "Nautobot)");
    if (!a->pages == !a->url)
        return nv_cli_usage_error(spec, "give --pages DIR or --url URL");
    if (a->url && !a->token_file)
        return nv_cli_usage_error(spec, "--url needs --token-file FILE");
    return NV_EXIT_OK;
}

static int run(const struct nv_cmd_spec *spec, const struct import_args *a)
{
    struct nv_netbox *nb = nv_netbox_new();
    struct nv_netbox_map *map = nv_netbox_map_new();
    int rc = nb && map ? read_map(map, a->map) : NV_EXIT_INTERNAL;

    if (!rc)
        rc = a->pages ? read_pages(nb, a->pages) : fetch(spec, nb, a);
    if (!rc)
        rc = build_and_write(nb, map, a);
    nv_netbox_map_free(map);
    nv_netbox_free(nb);
    return rc;
}

int cmd_import(int argc, char **argv)
{
    struct import_args a = {0};
    const struct nv_opt opts[] = {
        {"pages", NV_OPT_STRING, &a.pages, "DIR",
         "saved API pages: every *.json file in DIR"},
        {"url", NV_OPT_STRING, &a.url, "URL", "the NetBox or Nautobot server"},
        {"token-file", NV_OPT_STRING, &a.token_file, "FILE",
         "the API token (v1, or NetBox 4.5 nbt_KEY.TOKEN)"},
        {"map", NV_OPT_STRING, &a.map, "FILE",
         "role to layer rules, statuses, region depth"},
        {"cacert", NV_OPT_STRING, &a.cacert, "FILE",
         "CA certificates to trust (default: the system's)"},
        {"insecure", NV_OPT_FLAG, &a.insecure, NULL,
         "do not verify the server's certificate"},
        {"page-size", NV_OPT_STRING, &a.page_size, "N",
         "results per request (1000)"},
        {"retries", NV_OPT_STRING, &a.retries, "N",
         "tries again after 429 or 5xx (5)"},
        {"retry-delay", NV_OPT_STRING, &a.retry_delay, "MS",
         "first back-off, doubled each time (1000)"},
        {"quiet", NV_OPT_FLAG, &a.quiet, NULL, "no summary, no progress line"},
        {"output", NV_OPT_STRING, &a.output, "FILE",
         "the model (default: standard output)"},
    };
    const struct nv_cmd_spec spec = {"import", "netbox",
                                     about,    examples,
                                     opts,     sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == NV_EXIT_OK)
        rc = check_args(&spec, &args, &a);
    if (rc == NV_EXIT_OK)
        rc = run(&spec, &a);
    nv_strlist_release(&args);
    return rc < 0 ? NV_EXIT_OK : rc;
}
