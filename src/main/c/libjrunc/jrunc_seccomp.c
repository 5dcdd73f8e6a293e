/*
 * libjrunc, seccomp part: the filter is compiled here, in jrunc's process, with libseccomp, into
 * a classic BPF program that the plan carries; jrunc-init only loads it (seccomp(2)) and needs no
 * libseccomp. Plus the two calls of the SCMP_ACT_NOTIFY flow: receiving the listener fd from the
 * init, handing it to the seccomp agent. Conventions: see jrunc.h.
 */
#define _GNU_SOURCE
#include "jrunc.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
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

/*
 * runc's -ENOSYS stub (libcontainer/seccomp/patchbpf), written here from its description: a
 * syscall numbered above the highest one the profile names for its architecture returns
 * ENOSYS, so that a program newer than the profile falls back (glibc: clone3 to clone)
 * instead of failing with the default action's errno. Forward jumps only; every far jump is a
 * `ja` (32-bit offset), conditions skip zero or one instruction, so no size limit applies.
 */
#define STUB_MAX_ARCHS 24
#define STUB_MAX 256
#define X32_BIT 0x40000000u

struct stub_arch {
    uint32_t audit;   /* AUDIT_ARCH_* the kernel reports in seccomp_data.arch */
    int64_t max;      /* highest syscall number named, -1: none */
    int64_t max_x32;  /* x86_64 only: the highest x32 number (X32_BIT set), -1: none */
};

struct stub {
    struct sock_filter insn[STUB_MAX];
    int n;
    int fix_at[STUB_MAX], fix_to[STUB_MAX], nfix;
    int label[2 * STUB_MAX_ARCHS + 2];
    int bad;
};

enum { L_ENOSYS = 0, L_FILTER = 1 }; /* section i: 2 + 2i, its x32 part: 3 + 2i */

static void st_emit(struct stub *s, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
    if (s->n >= STUB_MAX) {
        s->bad = 1;
        return;
    }
    s->insn[s->n++] = (struct sock_filter) BPF_JUMP(code, k, jt, jf);
}

static void st_jump(struct stub *s, int label)
{
    if (s->nfix < STUB_MAX) {
        s->fix_at[s->nfix] = s->n;
        s->fix_to[s->nfix++] = label;
    } else {
        s->bad = 1;
    }
    st_emit(s, BPF_JMP | BPF_JA, 0, 0, 0);
}

/* if (A <cond> k) goto label */
static void st_jump_if(struct stub *s, uint16_t cond, uint32_t k, int label)
{
    st_emit(s, BPF_JMP | cond | BPF_K, 0, 1, k);
    st_jump(s, label);
}

static int stub_build(struct stub *s, const struct stub_arch *a, int na)
{
    memset(s, 0, sizeof(*s));
    st_emit(s, BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t) offsetof(struct seccomp_data, arch));
    for (int i = 0; i < na; i++)
        st_jump_if(s, BPF_JEQ, a[i].audit, 2 + 2 * i);
    st_jump(s, L_FILTER); /* an architecture not in the list: the filter's bad-arch action */
    for (int i = 0; i < na; i++) {
        s->label[2 + 2 * i] = s->n;
        st_emit(s, BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t) offsetof(struct seccomp_data, nr));
        if (a[i].audit == AUDIT_ARCH_S390 || a[i].audit == AUDIT_ARCH_S390X)
            st_jump_if(s, BPF_JEQ, 0, L_ENOSYS); /* setup(2): where s390 puts numbers it does not know */
        if (a[i].audit == AUDIT_ARCH_X86_64) {
            st_jump_if(s, BPF_JSET, X32_BIT, 3 + 2 * i);
            if (a[i].max >= 0)
                st_jump_if(s, BPF_JGT, (uint32_t) a[i].max, L_ENOSYS);
            st_jump(s, L_FILTER);
            s->label[3 + 2 * i] = s->n;
            if (a[i].max_x32 >= 0)
                st_jump_if(s, BPF_JGT, (uint32_t) a[i].max_x32, L_ENOSYS);
        } else {
            st_jump_if(s, BPF_JGT, (uint32_t) a[i].max, L_ENOSYS);
        }
        st_jump(s, L_FILTER);
    }
    s->label[L_ENOSYS] = s->n;
    st_emit(s, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
    s->label[L_FILTER] = s->n;
    if (s->bad)
        return -ENOSPC;
    for (int f = 0; f < s->nfix; f++)
        s->insn[s->fix_at[f]].k = (uint32_t) (s->label[s->fix_to[f]] - s->fix_at[f] - 1);
    return s->n;
}

/* The highest number of the names per architecture of the filter (runc's findLastSyscalls):
 * x32 shares x86_64's AUDIT_ARCH and is told apart by X32_BIT. Architectures none of the names
 * resolves on get no section. */
static int stub_archs(const uint32_t *tokens, int ntok, const char **names, uint32_t nnames,
                      struct stub_arch *out)
{
    int na = 0;
    for (int t = 0; t < ntok; t++) {
        int x32 = tokens[t] == SCMP_ARCH_X32;
        uint32_t audit = x32 ? AUDIT_ARCH_X86_64 : tokens[t];
        int64_t max = -1;
        for (uint32_t i = 0; i < nnames; i++) {
            int nr = seccomp_syscall_resolve_name_arch(tokens[t], names[i]);
            if (nr >= 0 && nr > max)
                max = nr;
        }
        if (max < 0)
            continue;
        int j = 0;
        while (j < na && out[j].audit != audit)
            j++;
        if (j == na) {
            if (na == STUB_MAX_ARCHS)
                return -ENOSPC;
            out[na++] = (struct stub_arch) { audit, -1, -1 };
        }
        if (x32)
            out[j].max_x32 = max;
        else
            out[j].max = max;
    }
    return na;
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
    uint32_t tokens[STUB_MAX_ARCHS];
    int ntok = 0;
    for (uint32_t i = 0; i < narch && !r.bad; i++) {
        const char *name = rd_str(&r);
        if (name == NULL)
            break;
        uint32_t token = seccomp_arch_resolve_name(name);
        if (token == 0) {
            rc = failed(where, JRUNC_SC_ARCH_UNKNOWN, (int) i, -EINVAL);
            goto out;
        }
        if (ntok < STUB_MAX_ARCHS)
            tokens[ntok++] = token;
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
    uint32_t nnames = rd_u32(&r);
    const char *names[4096];
    if (nnames > sizeof(names) / sizeof(names[0])) {
        rc = failed(where, JRUNC_SC_ENCODING, -1, -EINVAL);
        goto out;
    }
    for (uint32_t i = 0; i < nnames && !r.bad; i++)
        names[i] = rd_str(&r);
    if (r.bad || r.left != 0) {
        rc = failed(where, JRUNC_SC_ENCODING, -1, -EINVAL);
        goto out;
    }
    struct stub stub;
    int stub_len = 0;
    if (attrs & JRUNC_SC_ATTR_ENOSYS_STUB) {
        struct stub_arch archs[STUB_MAX_ARCHS];
        int na = stub_archs(tokens, ntok, names, nnames, archs);
        if (na > 0)
            stub_len = stub_build(&stub, archs, na);
        if (stub_len < 0) {
            rc = failed(where, JRUNC_SC_EXPORT, -1, stub_len);
            goto out;
        }
    }
    size_t stub_bytes = (size_t) stub_len * sizeof(struct sock_filter);

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
    if (size + (off_t) stub_bytes > cap) {
        close(fd);
        size += (off_t) stub_bytes;
        rc = failed(where, JRUNC_SC_SPACE, size > INT32_MAX ? INT32_MAX : (int) size, -ENOSPC);
        goto out;
    }
    memcpy(out, stub.insn, stub_bytes);
    size_t got = 0;
    while (got < (size_t) size) {
        long n = RETRY(read(fd, out + stub_bytes + got, (size_t) size - got));
        if (n <= 0) {
            rc = failed(where, JRUNC_SC_EXPORT, -1, n < 0 ? FAIL() : -EIO);
            close(fd);
            goto out;
        }
        got += (size_t) n;
    }
    close(fd);
    rc = (int) (size + (off_t) stub_bytes);
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
