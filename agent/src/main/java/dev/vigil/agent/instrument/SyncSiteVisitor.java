package dev.vigil.agent.instrument;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Rewrites calls of {@code Semaphore}, {@code CountDownLatch}, {@code CyclicBarrier}, {@code Phaser}
 * methods that take, give back or wait, and of {@code LockSupport.park*}, in one application
 * method, into calls of the same-named {@code dev.vigil.bootstrap.SyncCalls} stand-in with a site
 * constant ({@code A|class|method|line}) appended. No branch is added and the stack after each
 * rewritten call is as before, so stack map frames stay valid (COMPUTE_MAXS only).
 *
 * <p>Calls whose owner is a subclass (a {@code class Pool extends Semaphore}) are left alone:
 * the stand-ins take the JDK type.
 */
final class SyncSiteVisitor extends ApplicationSites.SiteVisitor {

    static final String CALLS = "dev/vigil/bootstrap/SyncCalls";

    private static final String SEMAPHORE = "java/util/concurrent/Semaphore";
    private static final String LATCH = "java/util/concurrent/CountDownLatch";
    private static final String BARRIER = "java/util/concurrent/CyclicBarrier";
    private static final String PHASER = "java/util/concurrent/Phaser";
    private static final String LOCK_SUPPORT = "java/util/concurrent/locks/LockSupport";

    /** Every class whose calls or construction this visitor rewrites: see {@link ClassScan}. */
    static final java.util.Set<String> OWNERS = java.util.Set.of(SEMAPHORE, LATCH, BARRIER, PHASER, LOCK_SUPPORT);

    SyncSiteVisitor(MethodVisitor mv, String className, String methodName) {
        super(mv, className, methodName);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean isInterface) {
        if (opcode == Opcodes.INVOKESPECIAL && name.equals("<init>")) {
            // After `new Semaphore(n)` its permits are exactly its limit (nobody else has it yet).
            boolean ours = constructions.completesNew(owner);
            super.visitMethodInsn(opcode, owner, name, desc, isInterface);
            // A latch's or phaser's creation names its creating thread (a latch's likely workers
            // are the threads it starts next) and its site.
            if (ours && (owner.equals(SEMAPHORE) || owner.equals(LATCH) || owner.equals(PHASER))) {
                Constructions.created(mv, CALLS, site());
            }
            return;
        }
        String replacement = replacement(opcode, owner, name, desc);
        if (replacement != null) {
            super.visitLdcInsn(site());
            super.visitMethodInsn(Opcodes.INVOKESTATIC, CALLS, name, replacement, false);
            return;
        }
        super.visitMethodInsn(opcode, owner, name, desc, isInterface);
    }

    /** The descriptor of the SyncCalls stand-in for this call, or null when it is not rewritten. */
    static String replacement(int opcode, String owner, String name, String desc) {
        if (opcode == Opcodes.INVOKESTATIC) {
            if (!owner.equals(LOCK_SUPPORT)) {
                return null;
            }
            boolean known = switch (name) {
                case "park" -> desc.equals("()V") || desc.equals("(Ljava/lang/Object;)V");
                case "parkNanos", "parkUntil" -> desc.equals("(J)V") || desc.equals("(Ljava/lang/Object;J)V");
                default -> false;
            };
            return known ? appendSite("", desc) : null;
        }
        if (opcode != Opcodes.INVOKEVIRTUAL) {
            return null;
        }
        boolean known = switch (owner) {
            case SEMAPHORE -> switch (name) {
                case "acquire", "acquireUninterruptibly", "release" -> desc.equals("()V") || desc.equals("(I)V");
                case "tryAcquire" -> desc.equals("()Z") || desc.equals("(I)Z")
                        || desc.equals("(JLjava/util/concurrent/TimeUnit;)Z")
                        || desc.equals("(IJLjava/util/concurrent/TimeUnit;)Z");
                default -> false;
            };
            case LATCH -> switch (name) {
                case "await" -> desc.equals("()V") || desc.equals("(JLjava/util/concurrent/TimeUnit;)Z");
                case "countDown" -> desc.equals("()V");
                default -> false;
            };
            case BARRIER -> name.equals("await")
                    && (desc.equals("()I") || desc.equals("(JLjava/util/concurrent/TimeUnit;)I"));
            case PHASER -> switch (name) {
                case "arriveAndAwaitAdvance", "register", "arrive", "arriveAndDeregister" -> desc.equals("()I");
                case "bulkRegister" -> desc.equals("(I)I");
                case "awaitAdvance" -> desc.equals("(I)I");
                case "awaitAdvanceInterruptibly" -> desc.equals("(I)I")
                        || desc.equals("(IJLjava/util/concurrent/TimeUnit;)I");
                default -> false;
            };
            default -> false;
        };
        return known ? appendSite("L" + owner + ";", desc) : null;
    }

    private static String appendSite(String receiver, String desc) {
        int close = desc.indexOf(')');
        return "(" + receiver + desc.substring(1, close) + "Ljava/lang/String;" + desc.substring(close);
    }
}
