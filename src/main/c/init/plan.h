/* plan.h - the init plan: binary format, opcode table, decoder. See PLAN.md. */
#ifndef JRUNC_PLAN_H
#define JRUNC_PLAN_H

#include <stddef.h>
#include <stdint.h>

#define PLAN_MAGIC "JRPL"
#define PLAN_VERSION 1
#define PLAN_HEADER_SIZE 16
#define PLAN_MAX_SIZE (16u << 20) /* 16 MiB: far above any real config */

enum arg_type { ARG_INT = 1, ARG_STR = 2, ARG_LIST = 3, ARG_BLOB = 4 };

/* One decoded argument: points into the plan buffer, already validated. */
struct arg {
	uint8_t type;
	uint32_t len;      /* payload length */
	const uint8_t *p;  /* payload */
};

struct op {
	uint16_t code;
	uint16_t argc;
	const struct arg *args;
};

struct plan {
	uint32_t nops;
	struct op *ops;
	struct arg *args; /* all arguments of all ops, in order */
};

/* An opcode: its name and argument signature ('i' int, 's' string, 'l' list, 'b' blob).
 * sig == NULL marks a reserved opcode: known, but refused by this init. */
struct opdef {
	uint16_t code;
	const char *name;
	const char *sig;
};

enum opcode {
	OP_CLONE = 0x01, OP_JOIN_NS = 0x02, OP_UNSHARE = 0x03, OP_SYNC_WAIT = 0x04,
	OP_SYNC_READY = 0x05, OP_SETHOSTNAME = 0x06, OP_SETDOMAINNAME = 0x07, OP_SYNC_HOOKS = 0x08,
	OP_MOUNT_PROPAGATION = 0x10, OP_PARENT_MOUNT_PRIVATE = 0x11, OP_ROOTFS_BIND = 0x12,
	OP_MOUNT = 0x13, OP_MKNOD = 0x14, OP_SYMLINK = 0x15, OP_PIVOT_ROOT = 0x16,
	OP_MOVE_ROOT = 0x17, OP_MASK_PATH = 0x18, OP_READONLY_PATH = 0x19, OP_SYSCTL = 0x1a,
	OP_RLIMIT = 0x20, OP_NO_NEW_PRIVS = 0x21, OP_CAP_BOUNDING = 0x22, OP_SET_USER = 0x23,
	OP_CAPS = 0x24, OP_CAP_AMBIENT = 0x25, OP_UMASK = 0x26, OP_CHDIR = 0x27,
	OP_LOOKUP_EXEC = 0x28, OP_WAIT_FIFO = 0x29, OP_CLOSE_FDS = 0x2a, OP_EXEC = 0x2b,
	OP_SECCOMP = 0x31, OP_APPARMOR = 0x3a, OP_SELINUX_LABEL = 0x3b,
	OP_CONSOLE = 0x30, OP_EXEC_CONSOLE = 0x40,
	OP_DEFAULT_HOME = 0x2c,
	OP_TIMENS_OFFSETS = 0x34, OP_OOM_SCORE_ADJ = 0x35, OP_SCHEDULER = 0x36, OP_IOPRIO = 0x37,
	OP_PERSONALITY = 0x38, OP_CPU_AFFINITY = 0x39,
	OP_HOOK = 0x32, OP_IDMAP_MOUNT = 0x33,
};

extern const struct opdef plan_opdefs[];
extern const size_t plan_nopdefs;

const struct opdef *plan_find(uint16_t code);
const char *plan_opname(uint16_t code);

/* Validates the whole buffer and fills *out. Returns 0, or -1 with a message in err.
 * Nothing in buf is modified; out points into buf, which must outlive it. */
int plan_decode(const uint8_t *buf, size_t len, struct plan *out, char *err, size_t errlen);
void plan_free(struct plan *plan);

/* Accessors for a validated op: the decoder has checked types and lengths. */
int64_t arg_i(const struct op *op, int n);
const char *arg_s(const struct op *op, int n);
const uint8_t *arg_b(const struct op *op, int n, uint32_t *len);
/* A NULL-terminated, malloc'd vector of pointers into the plan buffer. */
char **arg_l(const struct op *op, int n);

#endif
