package dev.vigil.agent.instrument;

import java.util.ArrayDeque;
import java.util.Deque;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Pairs javac's {@code NEW T; DUP; args; INVOKESPECIAL T.<init>} so that a method visitor can act
 * right after an object is constructed (a {@code super(...)} call has no {@code NEW} before it), and
 * emits the creation hook {@code DUP; LDC site; INVOKESTATIC calls.created(Object, String)}: no net
 * stack effect, no branch.
 */
final class Constructions {

    private final Deque<String> pending = new ArrayDeque<>();

    /** Call from {@code visitTypeInsn}. */
    void typeInsn(int opcode, String type) {
        if (opcode == Opcodes.NEW) {
            pending.push(type);
        }
    }

    /** Call from {@code visitMethodInsn} for {@code <init>}: true when it completes {@code new owner(...)}. */
    boolean completesNew(String owner) {
        if (!pending.isEmpty() && pending.peek().equals(owner)) {
            pending.pop();
            return true;
        }
        return false;
    }

    /** After the constructor call, with the new object on top of the stack: hands it to {@code calls.created}. */
    static void created(MethodVisitor next, String calls, String site) {
        next.visitInsn(Opcodes.DUP);
        next.visitLdcInsn(site);
        next.visitMethodInsn(Opcodes.INVOKESTATIC, calls, "created", "(Ljava/lang/Object;Ljava/lang/String;)V", false);
    }
}
