package dev.vigil.agent.instrument;

import java.util.Set;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * {@code BlockingQueue}s, seen at the application's call sites only: in application classes, calls
 * of put/offer/add/transfer and take/poll/drainTo on a blocking queue (through the queue classes or
 * the {@code BlockingQueue}, {@code Queue} and {@code Collection} interfaces) become calls of the
 * same-named {@code QueueCalls} stand-in with a site constant ({@code A|class|method|line}), and
 * the deque operations ({@code putFirst/takeLast}, {@code offerFirst/pollLast},
 * {@code addFirst/removeLast}, {@code push/pop}), {@code tryTransfer}, {@code remove()} (which
 * dequeues; {@code element()} and {@code peek()} do not and are left alone), and
 * {@code new ArrayBlockingQueue(...)} (and the other five) is followed by
 * {@code QueueCalls.created(queue, site)}. The JDK's own queue work (executors' work queues) is
 * never rewritten, and no JDK class is retransformed for queues.
 *
 * <p>A separate visitor from the lock call sites ({@code LockSiteVisitor}), chained with it by
 * {@link ApplicationSites}.
 */
public final class QueueInstrumentation {

    private QueueInstrumentation() {
    }

    /**
     * Rewrites one method's queue calls. Each replacement takes the same operands plus the site
     * and leaves the same result, and the creation hook is {@code DUP; LDC; INVOKESTATIC} with no
     * net stack effect after the constructor call: no branch is added, frames stay valid.
     */
    static final class QueueSiteVisitor extends ApplicationSites.SiteVisitor {

        static final String CALLS = "dev/vigil/bootstrap/QueueCalls";

        /** The six JDK blocking queues whose construction in application code is recorded. */
        static final Set<String> QUEUE_CLASSES = Set.of(
                "java/util/concurrent/ArrayBlockingQueue",
                "java/util/concurrent/LinkedBlockingQueue",
                "java/util/concurrent/LinkedBlockingDeque",
                "java/util/concurrent/PriorityBlockingQueue",
                "java/util/concurrent/SynchronousQueue",
                "java/util/concurrent/LinkedTransferQueue");

        /** Owners whose calls are always on a blocking queue. */
        static final Set<String> BLOCKING_OWNERS;

        static {
            java.util.HashSet<String> s = new java.util.HashSet<>(QUEUE_CLASSES);
            s.add("java/util/concurrent/BlockingQueue");
            s.add("java/util/concurrent/BlockingDeque");
            s.add("java/util/concurrent/TransferQueue");
            BLOCKING_OWNERS = Set.copyOf(s);
        }

        /** Owners whose receiver may be a blocking queue: the stand-in checks at run time. */
        static final Set<String> MAYBE_OWNERS = Set.of("java/util/Queue", "java/util/AbstractQueue",
                "java/util/Deque", "java/util/Collection", "java/util/AbstractCollection");

        /** Owners of the blocking deque operations ({@code putFirst}, {@code takeLast}...). */
        static final Set<String> DEQUE_OWNERS = Set.of("java/util/concurrent/LinkedBlockingDeque",
                "java/util/concurrent/BlockingDeque");

        /** Owners of {@code tryTransfer}. */
        static final Set<String> TRANSFER_OWNERS = Set.of("java/util/concurrent/LinkedTransferQueue",
                "java/util/concurrent/TransferQueue");

        private static final String BQ = "Ljava/util/concurrent/BlockingQueue;";
        private static final String BD = "Ljava/util/concurrent/BlockingDeque;";
        private static final String Q = "Ljava/util/Queue;";
        private static final String C = "Ljava/util/Collection;";
        private static final String D = "Ljava/util/Deque;";
        private static final String S = "Ljava/lang/String;";
        private static final String O = "Ljava/lang/Object;";
        private static final String UNIT = "Ljava/util/concurrent/TimeUnit;";

        QueueSiteVisitor(MethodVisitor mv, String className, String methodName) {
            super(mv, className, methodName);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean isInterface) {
            if (opcode == Opcodes.INVOKESPECIAL && name.equals("<init>")) {
                boolean ours = constructions.completesNew(owner);
                super.visitMethodInsn(opcode, owner, name, desc, isInterface);
                if (ours && QUEUE_CLASSES.contains(owner)) {
                    Constructions.created(mv, CALLS, site());
                }
                return;
            }
            if (opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKEINTERFACE) {
                String replacement = replacement(owner, name, desc);
                if (replacement != null) {
                    super.visitLdcInsn(site());
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, CALLS, name, replacement, false);
                    return;
                }
            }
            super.visitMethodInsn(opcode, owner, name, desc, isInterface);
        }

        /** The descriptor of the QueueCalls stand-in for this call, or null when it is not a queue call. */
        static String replacement(String owner, String name, String desc) {
            boolean blocking = BLOCKING_OWNERS.contains(owner);
            if (!blocking && !MAYBE_OWNERS.contains(owner)) {
                return null;
            }
            boolean queueInterface = blocking || !owner.contains("Collection");
            switch (name) {
                case "add":
                    return desc.equals("(" + O + ")Z") ? "(" + C + O + S + ")Z" : null;
                case "offer":
                    if (desc.equals("(" + O + ")Z") && queueInterface) {
                        return "(" + Q + O + S + ")Z";
                    }
                    return blocking && desc.equals("(" + O + "J" + UNIT + ")Z") ? "(" + BQ + O + "J" + UNIT + S + ")Z" : null;
                case "poll":
                    if (desc.equals("()" + O) && queueInterface) {
                        return "(" + Q + S + ")" + O;
                    }
                    return blocking && desc.equals("(J" + UNIT + ")" + O) ? "(" + BQ + "J" + UNIT + S + ")" + O : null;
                case "put":
                    return blocking && desc.equals("(" + O + ")V") ? "(" + BQ + O + S + ")V" : null;
                case "take":
                    return blocking && desc.equals("()" + O) ? "(" + BQ + S + ")" + O : null;
                case "transfer":
                    return blocking && desc.equals("(" + O + ")V")
                            ? "(Ljava/util/concurrent/TransferQueue;" + O + S + ")V" : null;
                case "putFirst", "putLast":
                    return DEQUE_OWNERS.contains(owner) && desc.equals("(" + O + ")V") ? "(" + BD + O + S + ")V" : null;
                case "takeFirst", "takeLast":
                    return DEQUE_OWNERS.contains(owner) && desc.equals("()" + O) ? "(" + BD + S + ")" + O : null;
                case "tryTransfer":
                    if (!TRANSFER_OWNERS.contains(owner)) {
                        return null;
                    }
                    if (desc.equals("(" + O + ")Z")) {
                        return "(Ljava/util/concurrent/TransferQueue;" + O + S + ")Z";
                    }
                    return desc.equals("(" + O + "J" + UNIT + ")Z")
                            ? "(Ljava/util/concurrent/TransferQueue;" + O + "J" + UNIT + S + ")Z" : null;
                case "remove":
                    // remove() dequeues the head (remove(Object) is not a take); element()/peek() do not
                    return desc.equals("()" + O) && queueInterface ? "(" + Q + S + ")" + O : null;
                case "offerFirst", "offerLast":
                    if (!dequeOwner(owner)) {
                        return null;
                    }
                    if (desc.equals("(" + O + ")Z")) {
                        return "(" + D + O + S + ")Z";
                    }
                    return DEQUE_OWNERS.contains(owner) && desc.equals("(" + O + "J" + UNIT + ")Z")
                            ? "(" + BD + O + "J" + UNIT + S + ")Z" : null;
                case "pollFirst", "pollLast":
                    if (!dequeOwner(owner)) {
                        return null;
                    }
                    if (desc.equals("()" + O)) {
                        return "(" + D + S + ")" + O;
                    }
                    return DEQUE_OWNERS.contains(owner) && desc.equals("(J" + UNIT + ")" + O)
                            ? "(" + BD + "J" + UNIT + S + ")" + O : null;
                case "addFirst", "addLast", "push":
                    return dequeOwner(owner) && desc.equals("(" + O + ")V") ? "(" + D + O + S + ")V" : null;
                case "removeFirst", "removeLast", "pop":
                    return dequeOwner(owner) && desc.equals("()" + O) ? "(" + D + S + ")" + O : null;
                case "drainTo":
                    if (!blocking) {
                        return null;
                    }
                    if (desc.equals("(" + C + ")I")) {
                        return "(" + BQ + C + S + ")I";
                    }
                    return desc.equals("(" + C + "I)I") ? "(" + BQ + C + "I" + S + ")I" : null;
                default:
                    return null;
            }
        }

        /** A deque call the stand-in sees: on a blocking deque, or on a {@code Deque} (checked at run time). */
        private static boolean dequeOwner(String owner) {
            return DEQUE_OWNERS.contains(owner) || owner.equals("java/util/Deque");
        }
    }
}
