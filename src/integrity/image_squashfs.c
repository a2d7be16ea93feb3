/*
 * image_squashfs.c - squashfs file systems through libsquashfs
 * (squashfs-tools-ng): the directory tree is read whole, then each file's
 * data block by block.
 */
#include "integrity/image_int.h"

#include "core/alloc.h"
#include "core/buf.h"

#include <sqfs/compressor.h>
#include <sqfs/data_reader.h>
#include <sqfs/dir_reader.h>
#include <sqfs/error.h>
#include <sqfs/id_table.h>
#include <sqfs/inode.h>
#include <sqfs/io.h>
#include <sqfs/super.h>
#include <sqfs/xattr.h>
#include <sqfs/xattr_reader.h>

#include <string.h>

#define BLOCK (128 * 1024)
#define MAX_DEPTH 256

struct squash {
    struct nv_manifest *m;
    struct image_budget budget;
    sqfs_file_t *file;
    sqfs_super_t super;
    sqfs_compressor_t *cmp;
    sqfs_id_table_t *ids;
    sqfs_dir_reader_t *dirs;
    sqfs_data_reader_t *data;
    sqfs_xattr_reader_t *xattrs; /* NULL when the image has none */
    sqfs_tree_node_t *root;
    struct nv_content_stream *cs;
    struct nv_buf path;
    unsigned char buf[BLOCK];
};

static enum nv_rc squash_fail(struct squash *s, const char *what, int code,
                              struct nv_err *err)
{
    nv_err_file(err, s->budget.path);
    return nv_err_set(err, code == SQFS_ERROR_ALLOC ? NV_ENOMEM : NV_EPARSE,
                      "%s%s (squashfs error %d)", what,
                      s->path.len ? s->path.data : "", code);
}

static enum nv_ftype type_of(const sqfs_inode_generic_t *in)
{
    switch (in->base.type) {
    case SQFS_INODE_DIR:
    case SQFS_INODE_EXT_DIR:
        return NV_FT_DIR;
    case SQFS_INODE_SLINK:
    case SQFS_INODE_EXT_SLINK:
        return NV_FT_SYMLINK;
    case SQFS_INODE_BDEV:
    case SQFS_INODE_EXT_BDEV:
        return NV_FT_BLOCK;
    case SQFS_INODE_CDEV:
    case SQFS_INODE_EXT_CDEV:
        return NV_FT_CHAR;
    case SQFS_INODE_FIFO:
    case SQFS_INODE_EXT_FIFO:
        return NV_FT_FIFO;
    case SQFS_INODE_SOCKET:
    case SQFS_INODE_EXT_SOCKET:
        return NV_FT_SOCKET;
    default:
        return NV_FT_FILE;
    }
}

static enum nv_rc read_file(struct squash *s, const sqfs_inode_generic_t *in,
                            struct nv_mfile *f, struct nv_err *err)
{
    sqfs_u64 size = 0, off = 0;
    nv_content_stream_reset(s->cs);
    if (sqfs_inode_get_file_size(in, &size) != 0)
        return squash_fail(s, "bad file inode: ", 0, err);
    while (off < size) {
        sqfs_u32 want = size - off < BLOCK ? (sqfs_u32)(size - off) : BLOCK;
        sqfs_s32 got = sqfs_data_reader_read(s->data, in, off, s->buf, want);
        if (got <= 0)
            return squash_fail(s, "cannot read ", got, err);
        if (image_charge_bytes(&s->budget, (uint64_t)got, s->super.bytes_used,
                               err) ||
            nv_content_stream_add(s->cs, s->buf, (size_t)got, err))
            return err->rc;
        off += (sqfs_u64)got;
    }
    return nv_content_stream_end(s->cs, &s->m->a, &f->content, err);
}

/* Whether key is security.capability; value is then copied to caps. */
static int take_caps(const sqfs_xattr_entry_t *key,
                     const sqfs_xattr_value_t *value, unsigned char *caps,
                     struct nv_mfile *f)
{
    /* The reader decodes a key with its prefix and a NUL ("security."
     * included), while size still counts the name without the prefix. */
    if ((key->type & SQFS_XATTR_PREFIX_MASK) != SQFS_XATTR_SECURITY ||
        strcmp((const char *)key->key, "security.capability") != 0 ||
        value->size == 0 || value->size > NV_CAPS_MAX)
        return 0;
    memcpy(caps, value->value, value->size);
    f->caps = caps;
    f->caps_len = value->size;
    return 1;
}

/* File capabilities, from the inode's extended attributes. */
static enum nv_rc read_caps(struct squash *s, const sqfs_inode_generic_t *in,
                            unsigned char *caps, struct nv_mfile *f,
                            struct nv_err *err)
{
    sqfs_u32 idx = 0xFFFFFFFF;
    sqfs_xattr_id_t desc;
    int code;
    if (!s->xattrs || sqfs_inode_get_xattr_index(in, &idx) || idx == 0xFFFFFFFF)
        return NV_OK;
    if ((code = sqfs_xattr_reader_get_desc(s->xattrs, idx, &desc)) ||
        (code = sqfs_xattr_reader_seek_kv(s->xattrs, &desc)))
        return squash_fail(s, "bad extended attributes of ", code, err);
    for (sqfs_u32 i = 0, found = 0; i < desc.count && !found; i++) {
        sqfs_xattr_entry_t *key = NULL;
        sqfs_xattr_value_t *value = NULL;
        if ((code = sqfs_xattr_reader_read_key(s->xattrs, &key)) ||
            (code = sqfs_xattr_reader_read_value(s->xattrs, key, &value))) {
            sqfs_free(key);
            return squash_fail(s, "bad extended attributes of ", code, err);
        }
        found = (sqfs_u32)take_caps(key, value, caps, f);
        sqfs_free(key);
        sqfs_free(value);
    }
    return NV_OK;
}

static enum nv_rc add_node(struct squash *s, const sqfs_tree_node_t *node,
                           struct nv_err *err)
{
    const sqfs_inode_generic_t *in = node->inode;
    struct nv_mfile f = {0};
    f.path = s->path.data;
    f.path_len = s->path.len;
    f.type = type_of(in);
    f.mode = in->base.mode & 07777;
    f.uid = node->uid;
    f.gid = node->gid;
    if (f.type == NV_FT_SYMLINK) {
        f.link = (const char *)in->extra;
        f.link_len = in->base.type == SQFS_INODE_SLINK
                         ? in->data.slink.target_size
                         : in->data.slink_ext.target_size;
    }
    unsigned char caps[NV_CAPS_MAX];
    if (image_charge_entry(&s->budget, err) ||
        (f.type == NV_FT_FILE && read_caps(s, in, caps, &f, err)) ||
        (f.type == NV_FT_FILE && read_file(s, in, &f, err)))
        return err->rc;
    return nv_manifest_add(s->m, &f, err);
}

static enum nv_rc walk(struct squash *s, const sqfs_tree_node_t *dir, int depth,
                       struct nv_err *err)
{
    if (depth > MAX_DEPTH)
        return squash_fail(s, "too deep: ", 0, err);
    size_t base = s->path.len;
    for (const sqfs_tree_node_t *n = dir->children; n; n = n->next) {
        if (image_path_push(&s->path, (const char *)n->name, err) ||
            add_node(s, n, err) || (n->children && walk(s, n, depth + 1, err)))
            return err->rc;
        s->path.len = base;
        s->path.data[base] = '\0';
    }
    return NV_OK;
}

/* libsquashfs sizes its tables from the super block: a hostile one could
 * make it allocate gigabytes.  Each fragment serves a file, each file is
 * an inode, and the image holds what it says it does. */
static int plausible(const struct squash *s)
{
    const sqfs_super_t *sb = &s->super;
    return sb->bytes_used <= s->file->get_size(s->file) &&
           sb->inode_count <= s->budget.l->max_entries &&
           sb->fragment_entry_count <= sb->inode_count;
}

/* Open the file system: super block, compressor, id table, readers. */
static enum nv_rc open_squash(struct squash *s, const char *path,
                              struct nv_err *err)
{
    sqfs_compressor_config_t cfg;
    int code;
    s->file = sqfs_open_file(path, SQFS_FILE_OPEN_READ_ONLY);
    if (!s->file)
        return squash_fail(s, "cannot open", 0, err);
    if ((code = sqfs_super_read(&s->super, s->file)) ||
        (code = sqfs_compressor_config_init(&cfg, s->super.compression_id,
                                            s->super.block_size,
                                            SQFS_COMP_FLAG_UNCOMPRESS)) ||
        (code = sqfs_compressor_create(&cfg, &s->cmp)))
        return squash_fail(s, "bad super block", code, err);
    if (!plausible(s))
        return squash_fail(s, "implausible super block", 0, err);
    s->ids = sqfs_id_table_create(0);
    s->dirs = sqfs_dir_reader_create(&s->super, s->cmp, s->file, 0);
    s->data = sqfs_data_reader_create(s->file, s->super.block_size, s->cmp, 0);
    if (!s->ids || !s->dirs || !s->data)
        return squash_fail(s, "", SQFS_ERROR_ALLOC, err);
    if (!(s->super.flags & SQFS_FLAG_NO_XATTRS) &&
        s->super.xattr_id_table_start != 0xFFFFFFFFFFFFFFFFULL &&
        (!(s->xattrs = sqfs_xattr_reader_create(0)) ||
         (code =
              sqfs_xattr_reader_load(s->xattrs, &s->super, s->file, s->cmp))))
        return squash_fail(s, "bad extended attribute table",
                           s->xattrs ? code : SQFS_ERROR_ALLOC, err);
    if ((code = sqfs_id_table_read(s->ids, s->file, &s->super, s->cmp)) ||
        (code = sqfs_data_reader_load_fragment_table(s->data, &s->super)) ||
        (code = sqfs_dir_reader_get_full_hierarchy(s->dirs, s->ids, NULL, 0,
                                                   &s->root)))
        return squash_fail(s, "bad tables", code, err);
    return NV_OK;
}

static void close_squash(struct squash *s)
{
    sqfs_dir_tree_destroy(s->root);
    sqfs_destroy(s->data);
    if (s->xattrs)
        sqfs_destroy(s->xattrs);
    sqfs_destroy(s->dirs);
    sqfs_destroy(s->ids);
    sqfs_destroy(s->cmp);
    sqfs_destroy(s->file);
    nv_content_stream_free(s->cs);
    nv_buf_release(&s->path);
}

enum nv_rc image_read_squashfs(const char *path,
                               const struct nv_image_limits *l,
                               struct nv_manifest *m, struct nv_err *err)
{
    struct squash *s = nv_calloc(1, sizeof *s);
    if (!s)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    s->m = m;
    s->budget = (struct image_budget){l, path, 0, 0};
    nv_buf_init(&s->path, 65536);
    m->format = "squashfs";
    enum nv_rc rc = (s->cs = nv_content_stream_new())
                        ? open_squash(s, path, err)
                        : nv_err_set(err, NV_ENOMEM, "out of memory");
    if (!rc)
        rc = walk(s, s->root, 0, err);
    close_squash(s);
    nv_free(s);
    return rc;
}
