package dev.vigil.agent.instrument;

import dev.vigil.agent.instrument.QueueInstrumentation.QueueSiteVisitor;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Decides from a class file's bytes alone whether the application rewriting could change it, so
 * that the classes it cannot change are never parsed. On a framework's start-up about nine
 * classes in ten have no monitor and call no concurrency API Vigil rewrites; describing, matching
 * and rewriting each of them (through Byte Buddy, then) cost about 2 ms a class (docs/PERFORMANCE.md).
 *
 * <p>A class can need rewriting only if it has a {@code synchronized} method, a
 * {@code MONITORENTER}, a {@code wait}, {@code notify} or {@code notifyAll} call (on any receiver type), or a constant-pool class
 * entry naming a class whose calls or construction a site visitor rewrites: every method call,
 * {@code NEW} and method handle names its owner through such an entry. The scan reads the
 * constant pool, the method flags and the bytecode, and allocates nothing for a class it skips.
 * A class file it cannot read is never skipped: the rewriting sees it as before.
 * {@code ClassScanTest} checks on thousands of real classes that a skipped class is byte-for-byte
 * what the rewriting would have produced.
 */
final class ClassScan {

    private static final byte[] JAVA_UTIL = "java/util/".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] WAIT = "wait".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] NOTIFY = "notify".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] NOTIFY_ALL = "notifyAll".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CODE = "Code".getBytes(StandardCharsets.ISO_8859_1);
    private static final int ACC_SYNCHRONIZED = 0x0020;
    private static final int MONITORENTER = 0xc2;
    private static final int MONITOREXIT = 0xc3;

    /** Internal names of every class a site visitor rewrites calls of; all are under {@code java/util/}. */
    static final Set<String> OWNERS = ApplicationSites.union(LockSiteVisitor.OWNERS, SyncSiteVisitor.OWNERS,
            ExecutorSiteVisitor.OWNERS, QueueSiteVisitor.BLOCKING_OWNERS, QueueSiteVisitor.MAYBE_OWNERS,
            QueueSiteVisitor.DEQUE_OWNERS, QueueSiteVisitor.TRANSFER_OWNERS);

    static {
        for (String owner : OWNERS) {
            if (!owner.startsWith("java/util/")) {
                throw new IllegalStateException("ClassScan checks java/util/ first; " + owner + " is not there");
            }
        }
    }

    private ClassScan() {
    }

    /** False only when no application rewriting can change this class file. */
    static boolean mayNeedRewriting(byte[] b) {
        try {
            return scan(b);
        } catch (RuntimeException malformed) {
            return true;
        }
    }

    /**
     * Which methods, in class-file order, the application rewriting could change: those that are
     * {@code synchronized}, have a monitor instruction, call (or construct) a class a site visitor
     * rewrites calls of, call {@code wait} or {@code notify}, or, in a class that names such a class, make an
     * {@code invokedynamic} (a method reference's handle). The others are left to ASM to copy
     * byte for byte, unparsed. Null when the class file cannot be read this way: every method is
     * rewritten then.
     */
    static boolean[] methodsToRewrite(byte[] b) {
        try {
            return methods(b);
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    /**
     * The offset of each constant-pool entry by index (0 for the second slot of a long or double),
     * and at index 0 the offset just past the pool; null for a constant this scan does not know.
     */
    private static int[] constantPool(byte[] b) {
        int count = u2(b, 8);
        int[] offsets = new int[count];
        int p = 10;
        for (int i = 1; i < count; i++) {
            offsets[i] = p;
            int tag = b[p] & 0xff;
            switch (tag) {
                case 1 -> p += 3 + u2(b, p + 1);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> p += 5;
                case 5, 6 -> {
                    p += 9;
                    i++;
                }
                case 7, 8, 16, 19, 20 -> p += 3;
                case 15 -> p += 4;
                default -> {
                    return null;
                }
            }
        }
        offsets[0] = p;
        return offsets;
    }

    private static boolean scan(byte[] b) {
        if (u4(b, 0) != 0xCAFEBABE) {
            return true;
        }
        int[] offsets = constantPool(b);
        if (offsets == null) {
            return true; // a constant this scan does not know: leave the class to the rewriting
        }
        for (int i = 1; i < offsets.length; i++) {
            int off = offsets[i];
            if (off == 0) {
                continue;
            }
            int tag = b[off] & 0xff;
            if (tag == 7 && namesOwner(b, offsets[u2(b, off + 1)])) {
                return true;
            }
            if (tag == 12 && waitOrNotify(b, offsets[u2(b, off + 1)])) {
                return true;
            }
        }
        int p = methodsStart(b, offsets[0]);
        int methods = u2(b, p);
        p += 2;
        for (int i = 0; i < methods; i++) {
            if ((u2(b, p) & ACC_SYNCHRONIZED) != 0) {
                return true;
            }
            int attributes = u2(b, p + 6);
            p += 8;
            for (int a = 0; a < attributes; a++) {
                int length = u4(b, p + 2);
                if (utf8Equals(b, offsets[u2(b, p)], CODE) && findInCode(b, p + 14, u4(b, p + 10), null, false)) {
                    return true;
                }
                p += 6 + length;
            }
        }
        return false;
    }

    private static boolean[] methods(byte[] b) {
        if (u4(b, 0) != 0xCAFEBABE) {
            return null;
        }
        int[] offsets = constantPool(b);
        if (offsets == null) {
            return null;
        }
        // The entries an instruction can name that make it one the rewriting may change: a class
        // a site visitor rewrites (NEW), a method of one, or any method named wait, notify or notifyAll.
        boolean[] marked = new boolean[offsets.length];
        boolean namesOwner = false;
        for (int i = 1; i < offsets.length; i++) {
            int off = offsets[i];
            if (off != 0 && (b[off] & 0xff) == 7 && namesOwner(b, offsets[u2(b, off + 1)])) {
                marked[i] = true;
                namesOwner = true;
            }
        }
        for (int i = 1; i < offsets.length; i++) {
            int off = offsets[i];
            int tag = off == 0 ? 0 : b[off] & 0xff;
            if (tag == 10 || tag == 11) {
                int nameAndType = offsets[u2(b, off + 3)];
                marked[i] = marked[u2(b, off + 1)] || waitOrNotify(b, offsets[u2(b, nameAndType + 1)]);
            }
        }
        int p = methodsStart(b, offsets[0]);
        int methods = u2(b, p);
        boolean[] rewrite = new boolean[methods];
        p += 2;
        for (int i = 0; i < methods; i++) {
            rewrite[i] = (u2(b, p) & ACC_SYNCHRONIZED) != 0;
            int attributes = u2(b, p + 6);
            p += 8;
            for (int a = 0; a < attributes; a++) {
                int length = u4(b, p + 2);
                if (!rewrite[i] && utf8Equals(b, offsets[u2(b, p)], CODE)) {
                    rewrite[i] = findInCode(b, p + 14, u4(b, p + 10), marked, namesOwner);
                }
                p += 6 + length;
            }
        }
        return rewrite;
    }

    /** The UTF-8 constant at {@code off} is {@code wait}, {@code notify} or {@code notifyAll}: final methods of Object, rewritten on any receiver. */
    private static boolean waitOrNotify(byte[] b, int off) {
        return utf8Equals(b, off, WAIT) || utf8Equals(b, off, NOTIFY) || utf8Equals(b, off, NOTIFY_ALL);
    }

    /** The offset of {@code methods_count}: past the pool, the class header, interfaces and fields. */
    private static int methodsStart(byte[] b, int afterPool) {
        int p = afterPool + 6; // access, this, super
        p += 2 + 2 * u2(b, p); // interfaces
        int fields = u2(b, p);
        p += 2;
        for (int i = 0; i < fields; i++) {
            p = skipAttributes(b, p + 6);
        }
        return p;
    }

    private static int skipAttributes(byte[] b, int p) {
        int attributes = u2(b, p);
        p += 2;
        for (int a = 0; a < attributes; a++) {
            p += 6 + u4(b, p + 2);
        }
        return p;
    }

    /**
     * Walks one method's bytecode instruction by instruction (JVMS §6.5 lengths): true at a
     * monitor instruction, and, when {@code marked} is given, at an instruction naming a marked
     * constant (NEW, a method call) or, if {@code indy}, at an {@code invokedynamic}.
     */
    private static boolean findInCode(byte[] b, int start, int length, boolean[] marked, boolean indy) {
        int end = start + length;
        int p = start;
        while (p < end) {
            int op = b[p] & 0xff;
            if (op == MONITORENTER || op == MONITOREXIT) {
                return true;
            }
            if (marked != null) {
                if ((op >= 0xb6 && op <= 0xb9 || op == 0xbb) && marked[u2(b, p + 1)]) {
                    return true; // invokevirtual, invokespecial, invokestatic, invokeinterface, new
                }
                if (op == 0xba && indy) {
                    return true;
                }
            }
            p += switch (op) {
                case 0x10, 0x12, 0x15, 0x16, 0x17, 0x18, 0x19, 0x36, 0x37, 0x38, 0x39, 0x3a, 0xa9, 0xbc -> 2;
                case 0x11, 0x13, 0x14, 0x84, 0xbb, 0xbd, 0xc0, 0xc1, 0xc6, 0xc7 -> 3;
                case 0xc5 -> 4;
                case 0xb9, 0xba, 0xc8, 0xc9 -> 5;
                case 0xc4 -> (b[p + 1] & 0xff) == 0x84 ? 6 : 4; // wide iinc, wide load/store/ret
                case 0xaa -> {
                    int q = p + 1 + ((4 - ((p + 1 - start) & 3)) & 3); // padding to a 4-byte boundary
                    yield q - p + 12 + 4 * (u4(b, q + 8) - u4(b, q + 4) + 1);
                }
                case 0xab -> {
                    int q = p + 1 + ((4 - ((p + 1 - start) & 3)) & 3);
                    yield q - p + 8 + 8 * u4(b, q + 4);
                }
                default -> (op >= 0x99 && op <= 0xa8) || (op >= 0xb2 && op <= 0xb8) ? 3 : 1;
            };
        }
        return false;
    }

    private static boolean namesOwner(byte[] b, int utf8) {
        int length = u2(b, utf8 + 1);
        int s = utf8 + 3;
        if (length <= JAVA_UTIL.length) {
            return false;
        }
        for (int i = 0; i < JAVA_UTIL.length; i++) {
            if (b[s + i] != JAVA_UTIL[i]) {
                return false;
            }
        }
        return OWNERS.contains(new String(b, s, length, StandardCharsets.ISO_8859_1));
    }

    private static boolean utf8Equals(byte[] b, int utf8, byte[] expected) {
        if (u2(b, utf8 + 1) != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (b[utf8 + 3 + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u2(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }

    private static int u4(byte[] b, int p) {
        return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
    }
}
