/*
 * libjrunc, seccomp part: the filter is compiled here, in jrunc's process, with libseccomp, into
 * a classic BPF program that the plan carries; jrunc-init only loads it (seccomp(2)) and needs no
 * libseccomp. Plus the two calls of the SCMP_ACT_NOTIFY flow: receiving the listener fd from the
 * init, handing it to the seccomp agent. Conventions: see jrunc.h.
 */
#define _GNU_SOURCE
#include "jrunc.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#define FAIL() (errno > 0 ? -errno : -EIO)
#define RETRY(expr) ({ long r_; do { r_ = (long) (expr); } while (r_ == -1 && errno == EINTR); r_; })

/* A bounds-checked reader of the flat filter encoding (see jrunc.h). */
struct rd {
    const unsigned char *p;
    size_t left;
    int bad;
};

static uint32_t rd_u32(struct rd *r)
{
    if (r->bad || r->left < 4) {
        r->bad = 1;
        return 0;
    }
    uint32_t v = (uint32_t) r->p[0] | (uint32_t) r->p[1] << 8 | (uint32_t) r->p[2] << 16 | (uint32_t) r->p[3] << 24;
    r->p += 4;
    r->left -= 4;
    return v;
}

static uint64_t rd_u64(struct rd *r)
{
    uint64_t lo = rd_u32(r);
    return lo | (uint64_t) rd_u32(r) << 32;
}

/* A NUL-terminated string in place; NULL (and r->bad) when it runs past the end. */
static const char *rd_str(struct rd *r)
{
    const unsigned char *nul = r->bad ? NULL : memchr(r->p, 0, r->left);
    if (!nul) {
        r->bad = 1;
        return NULL;
    }
    const char *s = (const char *) r->p;
    r->left -= (size_t) (nul - r->p) + 1;
    r->p = nul + 1;
    return s;
}

static int failed(int *where, int stage, int index, int err)
{
    where[0] = stage;
    where[1] = index;
    return err < 0 ? err : -EINVAL;
}

int jrunc_seccomp_compile(const char *filter, int len, char *out, int cap, int *where)
{
    if (filter == NULL || out == NULL || where == NULL || len < 0 || cap < 0)
        return -EFAULT;
    where[0] = JRUNC_SC_OK;
    where[1] = -1;

    struct rd r = { (const unsigned char *) filter, (size_t) len, 0 };
    uint32_t def = rd_u32(&r);
    uint32_t attrs = rd_u32(&r);
    if (r.bad)
        return failed(where, JRUNC_SC_ENCODING, -1, -EINVAL);

    scmp_filter_ctx ctx = seccomp_init(def);
    if (ctx == NULL)
        return failed(where, JRUNC_SC_INIT, -1, -EINVAL);
    int rc;
    /* The plan's own no_new_privs op decides NNP; libseccomp only builds the program. */
    if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0) {
        rc = failed(where, JRUNC_SC_INIT, -1, rc);
        goto out;
    }
    if ((attrs & JRUNC_SC_ATTR_OPTIMIZE_TREE) && seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0) {
        /* older libseccomp: a linear program, slower but the same verdicts (as runc, not fatal) */
    }

    uint32_t narch = rd_u32(&r);
    for (uint32_t i = 0; i < narch && !r.bad; i++) {
        const char *name = rd_str(&r);
        if (name == NULL)
            break;
        uint32_t token = seccomp_arch_resolve_name(name);
        if (token == 0) {
            rc = failed(where, JRUNC_SC_ARCH_UNKNOWN, (int) i, -EINVAL);
            goto out;
        }
        rc = seccomp_arch_add(ctx, token);
        if (rc < 0 && rc != -EEXIST) { /* the native arch is in already */
            rc = failed(where, JRUNC_SC_ARCH, (int) i, rc);
            goto out;
        }
    }

    uint32_t nrules = rd_u32(&r);
    for (uint32_t i = 0; i < nrules && !r.bad; i++) {
        uint32_t action = rd_u32(&r);
        const char *name = rd_str(&r);
        uint32_t nargs = rd_u32(&r);
        if (r.bad)
            break;
        if (nargs > 6) {
            rc = failed(where, JRUNC_SC_RULE, (int) i, -EINVAL);
            goto out;
        }
        struct scmp_arg_cmp cmp[6];
        for (uint32_t a = 0; a < nargs; a++) {
            cmp[a].arg = rd_u32(&r);
            cmp[a].op = (enum scmp_compare) rd_u32(&r);
            cmp[a].datum_a = rd_u64(&r);
            cmp[a].datum_b = rd_u64(&r);
        }
        if (r.bad)
            break;
        /* runc: a name libseccomp does not know is a syscall this kernel lacks; skipped */
        int nr = seccomp_syscall_resolve_name(name);
        if (nr == __NR_SCMP_ERROR)
            continue;
        rc = seccomp_rule_add_array(ctx, action, nr, nargs, cmp);
        if (rc < 0) {
            rc = failed(where, JRUNC_SC_RULE, (int) i, rc);
            goto out;
        }
    }
    if (r.bad || r.left != 0) {
        rc = failed(where, JRUNC_SC_ENCODING, -1, -EINVAL);
        goto out;
    }

    /* libseccomp 2.5 exports to an fd only: a memfd, read back. */
    int fd = (int) syscall(SYS_memfd_create, "jrunc-seccomp", MFD_CLOEXEC);
    if (fd < 0) {
        rc = failed(where, JRUNC_SC_EXPORT, -1, FAIL());
        goto out;
    }
    rc = seccomp_export_bpf(ctx, fd);
    if (rc < 0) {
        close(fd);
        rc = failed(where, JRUNC_SC_EXPORT, -1, rc);
        goto out;
    }
    off_t size = lseek(fd, 0, SEEK_END);
    if (size < 0 || lseek(fd, 0, SEEK_SET) < 0) {
        rc = failed(where, JRUNC_SC_EXPORT, -1, FAIL());
        close(fd);
        goto out;
    }
    if (size > cap) {
        close(fd);
        rc = failed(where, JRUNC_SC_SPACE, size > INT32_MAX ? INT32_MAX : (int) size, -ENOSPC);
        goto out;
    }
    size_t got = 0;
    while (got < (size_t) size) {
        long n = RETRY(read(fd, out + got, (size_t) size - got));
        if (n <= 0) {
            rc = failed(where, JRUNC_SC_EXPORT, -1, n < 0 ? FAIL() : -EIO);
            close(fd);
            goto out;
        }
        got += (size_t) n;
    }
    close(fd);
    rc = (int) size;
out:
    seccomp_release(ctx);
    return rc;
}

#ifndef SECCOMP_SET_MODE_FILTER
#define SECCOMP_SET_MODE_FILTER 1
#endif

int jrunc_seccomp_flag_supported(unsigned int flags)
{
    /* libseccomp's probe: with a NULL program the kernel checks the flags first (EINVAL for an
     * unknown one), then faults on the copy (EFAULT). Nothing is ever installed. */
    long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, NULL);
    if (r == 0)
        return -EIO; /* cannot happen with a NULL program */
    return errno == EFAULT ? 0 : FAIL();
}
