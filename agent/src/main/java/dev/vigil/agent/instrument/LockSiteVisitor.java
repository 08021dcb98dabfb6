package dev.vigil.agent.instrument;

import dev.vigil.agent.stack.SiteLines;
import java.util.Set;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Rewrites the lock operations of one method so that the tracker sees them, each with a site
 * constant bound now (class, method, line), never looked up at run time:
 * <ul>
 *   <li>{@code MONITORENTER}: {@code DUP; LDC site; ICONST_2 (EARLY); INVOKESTATIC VigilHooks.monitorAcquired;
 *       MONITORENTER} (the hook runs as the monitor is about to be taken; see {@link #visitInsn});</li>
 *   <li>{@code MONITOREXIT}: {@code DUP; INVOKESTATIC VigilHooks.monitorReleasing; MONITOREXIT};</li>
 *   <li>(application code only) calls of {@code Lock.lock/lockInterruptibly/tryLock/unlock},
 *       {@code Condition.await*} and {@code Object.wait} become calls of the same-named
 *       {@code LockCalls} method with the site appended, which makes the original call.</li>
 * </ul>
 * No branch is added and the stack is as before after each rewritten instruction, so the
 * method's stack map frames stay valid; only max stack grows (COMPUTE_MAXS).
 */
final class LockSiteVisitor extends MethodVisitor {

    static final String HOOKS = "dev/vigil/bootstrap/VigilHooks";
    static final String CALLS = "dev/vigil/bootstrap/LockCalls";

    private static final Set<String> LOCK_OWNERS = Set.of(
            "java/util/concurrent/locks/Lock",
            "java/util/concurrent/locks/ReentrantLock",
            "java/util/concurrent/locks/ReentrantReadWriteLock$ReadLock",
            "java/util/concurrent/locks/ReentrantReadWriteLock$WriteLock");
    private static final Set<String> CONDITION_OWNERS = Set.of(
            "java/util/concurrent/locks/Condition",
            "java/util/concurrent/locks/AbstractQueuedSynchronizer$ConditionObject");

    private final String className;
    private final String methodName;
    private final String descriptor;
    private final char kind;
    private final boolean rewriteCalls;
    private int line;
    private boolean firstLineSeen;
    /** {@code NEW ReentrantLock}/{@code ReentrantReadWriteLock} seen whose constructor call is still to come. */
    private int pendingNews;

    /*
     * javac releases a synchronized block's monitor on an exception in a handler that covers
     * itself ([H, after its MONITOREXIT) -> H). C1 cannot compile a method whose handler's first
     * block holds a call the same handler covers ("exception handler covers itself"): with the
     * release hook there, every method with a synchronized block ran interpreted until C2 took it
     * (a Spring Boot service under load: 55 methods, the interpreter's share of its requests'
     * time doubled). There the hook runs just after the range instead, once the monitor is
     * released, with the lock loaded again from the local javac's handler loaded it from; the
     * exception table is left as it was. Any other shape keeps the hook before MONITOREXIT.
     */
    /** Self-covering handlers (start label) with the end of their range. */
    private java.util.Map<net.bytebuddy.jar.asm.Label, net.bytebuddy.jar.asm.Label> selfCovering;
    /** Inside such a range: its end. */
    private net.bytebuddy.jar.asm.Label selfCoveredUntil;
    /** The local the previous instruction loaded (ALOAD), or -1. */
    private int lastAload = -1;
    /** A release deferred to the end of its range: the lock's local, and that end. */
    private int deferredLock = -1;
    private net.bytebuddy.jar.asm.Label deferredAt;
    /** The lock's local to release at the next instruction, or -1. */
    private int releaseAfter = -1;

    private static final Set<String> CREATED_LOCKS = Set.of(
            "java/util/concurrent/locks/ReentrantLock",
            "java/util/concurrent/locks/ReentrantReadWriteLock");

    /** Every class whose calls or construction this visitor rewrites (besides {@code wait} and monitors): see {@link ClassScan}. */
    static final Set<String> OWNERS = ApplicationSites.union(LOCK_OWNERS, CONDITION_OWNERS, CREATED_LOCKS);

    /**
     * @param descriptor   the method's descriptor when it is synchronized (its first line is
     *                     recorded for its site), else null
     * @param kind         {@code 'A'} for application code, {@code 'J'} for a JDK class
     * @param rewriteCalls rewrite Lock/Condition/wait calls too (application code only)
     */
    LockSiteVisitor(MethodVisitor mv, String className, String methodName, String descriptor, char kind,
                    boolean rewriteCalls) {
        super(Opcodes.ASM9, mv);
        this.className = className;
        this.methodName = methodName;
        this.descriptor = descriptor;
        this.kind = kind;
        this.rewriteCalls = rewriteCalls;
    }

    private String site() {
        return kind + "|" + className + '|' + methodName + '|' + line;
    }

    @Override
    public void visitLineNumber(int line, net.bytebuddy.jar.asm.Label start) {
        this.line = line;
        if (!firstLineSeen) {
            firstLineSeen = true;
            if (descriptor != null) {
                SiteLines.record(className, methodName, descriptor, line);
            }
        }
        super.visitLineNumber(line, start);
    }

    @Override
    public void visitInsn(int opcode) {
        int loaded = beforeInsn();
        if (createdSite != null && opcode == Opcodes.ARETURN) {
            recordCreated();
        }
        createdSite = null;
        if (opcode == Opcodes.MONITORENTER) {
            // The hook runs just before MONITORENTER, not after: a call between MONITORENTER and
            // the start of javac's exception range could exit with the monitor held, and then
            // neither C1 nor C2 compiles the method ("unbalanced monitors"): it would run
            // interpreted. Recording the lock first also puts the edge in the graph before the
            // thread can block on it.
            super.visitInsn(Opcodes.DUP);
            super.visitLdcInsn(site());
            super.visitInsn(Opcodes.ICONST_2); // LockListener.EARLY
            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorAcquired",
                    "(Ljava/lang/Object;Ljava/lang/String;I)V", false);
            super.visitInsn(Opcodes.MONITORENTER);
            return;
        }
        if (opcode == Opcodes.MONITOREXIT) {
            if (selfCoveredUntil != null && loaded >= 0) {
                // In javac's self-covering handler: the release hook goes after the range (see
                // releaseAfter), where the lock is loaded again from its local.
                super.visitInsn(Opcodes.MONITOREXIT);
                deferredLock = loaded;
                deferredAt = selfCoveredUntil;
                return;
            }
            super.visitInsn(Opcodes.DUP);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorReleasing", "(Ljava/lang/Object;)V", false);
            super.visitInsn(Opcodes.MONITOREXIT);
            return;
        }
        super.visitInsn(opcode);
    }

    /**
     * The site of a {@code ReentrantLock}/{@code ReentrantReadWriteLock} whose constructor just
     * returned, until the next instruction: if that stores it in a field or returns it, the lock
     * is one that code paths can share, and its allocation site is recorded as its lock class.
     * A lock kept in a local variable is not recorded: that costs a weak map entry per lock, and
     * short-lived local locks are the churn that matters for speed (LockMemoryTest) while rarely
     * being shared by two code paths.
     */
    private String createdSite;

    private void recordCreated() {
        // ..., lock -> ..., lock, lock, site -> (hook) ..., lock
        super.visitInsn(Opcodes.DUP);
        super.visitLdcInsn(createdSite);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "lockCreated", "(Ljava/lang/Object;Ljava/lang/String;)V",
                false);
        createdSite = null;
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        beforeInsn();
        createdSite = null;
        if (rewriteCalls && opcode == Opcodes.NEW && CREATED_LOCKS.contains(type)) {
            pendingNews++;
        }
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String desc) {
        beforeInsn();
        if (createdSite != null && (opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC)
                && desc.startsWith("L")) {
            recordCreated();
        }
        createdSite = null;
        super.visitFieldInsn(opcode, owner, name, desc);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        beforeInsn();
        createdSite = null;
        super.visitVarInsn(opcode, var);
        if (opcode == Opcodes.ALOAD) {
            lastAload = var;
        }
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        beforeInsn();
        createdSite = null;
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitJumpInsn(int opcode, net.bytebuddy.jar.asm.Label label) {
        beforeInsn();
        createdSite = null;
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitTryCatchBlock(net.bytebuddy.jar.asm.Label start, net.bytebuddy.jar.asm.Label end,
                                   net.bytebuddy.jar.asm.Label handler, String type) {
        if (start == handler && type == null) {
            if (selfCovering == null) {
                selfCovering = new java.util.HashMap<>(4);
            }
            selfCovering.putIfAbsent(handler, end);
        }
        super.visitTryCatchBlock(start, end, handler, type);
    }

    @Override
    public void visitLabel(net.bytebuddy.jar.asm.Label label) {
        createdSite = null;
        lastAload = -1;
        if (label == deferredAt) {
            releaseAfter = deferredLock; // at the first instruction past the range (and its frame)
            deferredAt = null;
        }
        if (label == selfCoveredUntil) {
            selfCoveredUntil = null;
        }
        if (selfCovering != null) {
            net.bytebuddy.jar.asm.Label end = selfCovering.get(label);
            if (end != null) {
                selfCoveredUntil = end;
            }
        }
        super.visitLabel(label);
    }

    /**
     * Called first by every instruction: emits a release hook deferred past a self-covering
     * range; returns the local the previous instruction loaded with {@code ALOAD}, or -1.
     */
    private int beforeInsn() {
        int loaded = lastAload;
        lastAload = -1;
        if (releaseAfter >= 0) {
            int lock = releaseAfter;
            releaseAfter = -1;
            super.visitVarInsn(Opcodes.ALOAD, lock);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorReleasing", "(Ljava/lang/Object;)V", false);
        }
        return loaded;
    }

    @Override
    public void visitLdcInsn(Object value) {
        beforeInsn();
        createdSite = null;
        super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        beforeInsn();
        createdSite = null;
        super.visitIincInsn(var, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, net.bytebuddy.jar.asm.Label dflt,
                                     net.bytebuddy.jar.asm.Label... labels) {
        beforeInsn();
        createdSite = null;
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(net.bytebuddy.jar.asm.Label dflt, int[] keys, net.bytebuddy.jar.asm.Label[] labels) {
        beforeInsn();
        createdSite = null;
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        beforeInsn();
        createdSite = null;
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, net.bytebuddy.jar.asm.Handle bsm,
                                       Object... bsmArgs) {
        beforeInsn();
        createdSite = null;
        super.visitInvokeDynamicInsn(name, descriptor, bsm, bsmArgs);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        createdSite = null;
        super.visitFrame(type, numLocal, local, numStack, stack);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean isInterface) {
        beforeInsn();
        createdSite = null;
        if (rewriteCalls && opcode == Opcodes.INVOKESPECIAL && pendingNews > 0 && name.equals("<init>")
                && CREATED_LOCKS.contains(owner)) {
            // NEW; DUP; args; INVOKESPECIAL <init> leaves the new lock on the stack; a subclass's
            // super(...) call has no NEW before it and is left alone. What comes next decides.
            pendingNews--;
            super.visitMethodInsn(opcode, owner, name, desc, isInterface);
            createdSite = site();
            return;
        }
        if (rewriteCalls && (opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKEINTERFACE)) {
            String replacement = replacement(owner, name, desc);
            if (replacement != null) {
                super.visitLdcInsn(site());
                super.visitMethodInsn(Opcodes.INVOKESTATIC, CALLS, name, replacement, false);
                return;
            }
        }
        super.visitMethodInsn(opcode, owner, name, desc, isInterface);
    }

    /** The descriptor of the LockCalls stand-in for this call, or null when it is not a lock call. */
    static String replacement(String owner, String name, String desc) {
        String receiver;
        if (LOCK_OWNERS.contains(owner)) {
            switch (name) {
                case "lock", "lockInterruptibly", "unlock" -> {
                    if (!desc.equals("()V")) {
                        return null;
                    }
                }
                case "tryLock" -> {
                    if (!desc.equals("()Z") && !desc.equals("(JLjava/util/concurrent/TimeUnit;)Z")) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
            receiver = "Ljava/util/concurrent/locks/Lock;";
        } else if (CONDITION_OWNERS.contains(owner)) {
            boolean known = switch (name) {
                case "await" -> desc.equals("()V") || desc.equals("(JLjava/util/concurrent/TimeUnit;)Z");
                case "awaitNanos" -> desc.equals("(J)J");
                case "awaitUninterruptibly" -> desc.equals("()V");
                case "awaitUntil" -> desc.equals("(Ljava/util/Date;)Z");
                default -> false;
            };
            if (!known) {
                return null;
            }
            receiver = "Ljava/util/concurrent/locks/Condition;";
        } else if (name.equals("wait") && (desc.equals("()V") || desc.equals("(J)V") || desc.equals("(JI)V"))) {
            // Object.wait is final: any wait()/wait(long)/wait(long,int) call is Object's.
            receiver = "Ljava/lang/Object;";
        } else if ((name.equals("notify") || name.equals("notifyAll")) && desc.equals("()V")) {
            // Final too: the stuck-wait watch learns who notifies a monitor waited on.
            receiver = "Ljava/lang/Object;";
        } else {
            return null;
        }
        int close = desc.indexOf(')');
        return "(" + receiver + desc.substring(1, close) + "Ljava/lang/String;" + desc.substring(close);
    }
}
