package dev.jrunc.cgroups.v2;

import dev.jrunc.JruncException;
import dev.jrunc.cgroups.DeviceEmulator;
import dev.jrunc.cgroups.DeviceRules.Rule;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles device rules into the eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE that cgroup v2
 * runs on every device access (open, mknod) of the cgroup's processes, with the program shape of
 * runc's devicefilter (itself from crun's ebpf.c). The rules first go through
 * {@link DeviceEmulator}, so they mean exactly what they mean on v1 (runc does the same).
 *
 * <p>The program reads {@code struct bpf_cgroup_dev_ctx} ({@code u32 access_type} = device type
 * in the low 16 bits, access in the high 16; {@code u32 major}; {@code u32 minor}) into R2 (type),
 * R3 (access), R4 (major), R5 (minor). Then one block per exception, in the emulator's order:
 * <pre>
 *   if R2 != type goto next                 (BPF_DEVCG_DEV_CHAR 2, BLOCK 1)
 *   R1 = R3; R1 &amp;= access; if R1 != R3 goto next   (only when access is not rwm:
 *                                            every access asked for must be in the rule)
 *   if R4 != major goto next                (not for a wildcard)
 *   if R5 != minor goto next                (not for a wildcard)
 *   R0 = verdict; exit
 * next:
 * </pre>
 * and at the end {@code R0 = default; exit}. Every exception has the verdict opposite to the
 * default, so their order does not matter. Returned as {@code struct bpf_insn} array: 8 bytes
 * each, little-endian (opcode, dst/src registers, 16-bit offset, 32-bit immediate).
 */
public final class DeviceFilter {
    private DeviceFilter() {}

    /** runc's license string for the program (a cgroup device program uses no GPL-only helper). */
    public static final String LICENSE = "Apache";

    // struct bpf_cgroup_dev_ctx values (linux/bpf.h)
    public static final int DEV_BLOCK = 1, DEV_CHAR = 2;
    public static final int ACC_MKNOD = 1, ACC_READ = 2, ACC_WRITE = 4;

    // opcodes (class | op | source)
    static final int LDX_MEM_W = 0x61;  // BPF_LDX | BPF_MEM | BPF_W: dst = *(u32 *)(src + off)
    static final int AND32_K = 0x54;    // BPF_ALU | BPF_AND | BPF_K: dst = (u32) dst & imm
    static final int RSH32_K = 0x74;    // BPF_ALU | BPF_RSH | BPF_K: dst = (u32) dst >> imm
    static final int MOV32_X = 0xbc;    // BPF_ALU | BPF_MOV | BPF_X: dst = (u32) src
    static final int MOV32_K = 0xb4;    // BPF_ALU | BPF_MOV | BPF_K: dst = (u32) imm
    static final int JNE_K = 0x55;      // BPF_JMP | BPF_JNE | BPF_K: if dst != (s64) imm: pc += off
    static final int JNE_X = 0x5d;      // BPF_JMP | BPF_JNE | BPF_X: if dst != src: pc += off
    static final int EXIT = 0x95;       // BPF_JMP | BPF_EXIT: return R0

    private static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5;

    /** One instruction; {@code off} of a jump is relative to the next instruction. */
    record Insn(int code, int dst, int src, int off, int imm) {}

    /** The program for the container's rules (in runc's order, see {@code DeviceRules.effective}). */
    public static byte[] compile(List<Rule> rules) throws JruncException {
        return encode(program(DeviceEmulator.of(rules)));
    }

    static List<Insn> program(DeviceEmulator emulator) throws JruncException {
        List<Insn> p = new ArrayList<>();
        p.add(new Insn(LDX_MEM_W, R2, R1, 0, 0));
        p.add(new Insn(AND32_K, R2, 0, 0, 0xffff));
        p.add(new Insn(LDX_MEM_W, R3, R1, 0, 0));
        p.add(new Insn(RSH32_K, R3, 0, 0, 16));
        p.add(new Insn(LDX_MEM_W, R4, R1, 4, 0));
        p.add(new Insn(LDX_MEM_W, R5, R1, 8, 0));
        for (Rule rule : emulator.exceptions()) {
            p.addAll(block(rule));
        }
        p.add(new Insn(MOV32_K, R0, 0, 0, emulator.defaultAllow() ? 1 : 0));
        p.add(new Insn(EXIT, 0, 0, 0, 0));
        return p;
    }

    /** One exception's block; its jumps go to the instruction after it. */
    private static List<Insn> block(Rule rule) throws JruncException {
        int type = switch (rule.type()) {
            case 'c' -> DEV_CHAR;
            case 'b' -> DEV_BLOCK;
            default -> throw new JruncException("invalid type \"" + rule.type() + "\"");
        };
        if (rule.major() > 0xffffffffL) {
            throw new JruncException("invalid major " + rule.major());
        }
        if (rule.minor() > 0xffffffffL) {
            throw new JruncException("invalid minor " + rule.minor());
        }
        int access = 0;
        for (char c : rule.access().toCharArray()) {
            access |= switch (c) {
                case 'r' -> ACC_READ;
                case 'w' -> ACC_WRITE;
                case 'm' -> ACC_MKNOD;
                default -> throw new JruncException("unknown device access " + c);
            };
        }
        // -1 marks a jump to the block's end, resolved below
        List<Insn> b = new ArrayList<>();
        b.add(new Insn(JNE_K, R2, 0, -1, type));
        if (access != (ACC_READ | ACC_WRITE | ACC_MKNOD)) {
            b.add(new Insn(MOV32_X, R1, R3, 0, 0));
            b.add(new Insn(AND32_K, R1, 0, 0, access));
            b.add(new Insn(JNE_X, R1, R3, -1, 0));
        }
        if (rule.major() >= 0) {
            b.add(new Insn(JNE_K, R4, 0, -1, (int) rule.major()));
        }
        if (rule.minor() >= 0) {
            b.add(new Insn(JNE_K, R5, 0, -1, (int) rule.minor()));
        }
        b.add(new Insn(MOV32_K, R0, 0, 0, rule.allow() ? 1 : 0));
        b.add(new Insn(EXIT, 0, 0, 0, 0));
        for (int i = 0; i < b.size(); i++) {
            Insn in = b.get(i);
            if ((in.code() == JNE_K || in.code() == JNE_X) && in.off() == -1) {
                b.set(i, new Insn(in.code(), in.dst(), in.src(), b.size() - (i + 1), in.imm()));
            }
        }
        return b;
    }

    static byte[] encode(List<Insn> program) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(program.size() * 8);
        for (Insn in : program) {
            out.write(in.code());
            out.write((in.src() << 4) | in.dst());
            out.write(in.off() & 0xff);
            out.write((in.off() >> 8) & 0xff);
            for (int shift = 0; shift < 32; shift += 8) {
                out.write((in.imm() >> shift) & 0xff);
            }
        }
        return out.toByteArray();
    }
}
