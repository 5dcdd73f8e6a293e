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

/* An opcode: its name and argument signature ('i' int, 's' string, 'l' list, 'b' blob),
 * one entry per line of ops.def. */
struct opdef {
	uint16_t code;
	const char *name;
	const char *sig;
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
