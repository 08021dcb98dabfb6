package dev.vigil.agent.host;

import dev.vigil.bootstrap.JdkFields;

/**
 * An exception's message, stack and cause as {@code Throwable} defines them, without an
 * application exception class's overrides of {@code getMessage}, {@code getStackTrace} or
 * {@code getCause} (issue 15: they are application code, and the agent reads failures on the
 * failing thread itself). A class whose method is the JDK's is asked directly; otherwise
 * {@code Throwable}'s own method is invoked non-virtually ({@link JdkFields}); if that could not be
 * bound at start-up (said in the report), the figure is left out: no message, no frames, no cause.
 */
public final class ThrowableFacts {

    private static final JdkMethod GET_MESSAGE = new JdkMethod("getMessage");
    private static final JdkMethod GET_STACK_TRACE = new JdkMethod("getStackTrace");
    private static final JdkMethod GET_CAUSE = new JdkMethod("getCause");

    private ThrowableFacts() {
    }

    public static String message(Throwable t) {
        if (GET_MESSAGE.isJdkCode(t)) {
            return t.getMessage();
        }
        if (!JdkFields.throwablesBound()) {
            return null;
        }
        try {
            return JdkFields.throwableMessage(t);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    public static StackTraceElement[] stack(Throwable t) {
        if (GET_STACK_TRACE.isJdkCode(t)) {
            return t.getStackTrace();
        }
        if (!JdkFields.throwablesBound()) {
            return new StackTraceElement[0];
        }
        try {
            return JdkFields.throwableStack(t);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    public static Throwable cause(Throwable t) {
        if (GET_CAUSE.isJdkCode(t)) {
            return t.getCause();
        }
        if (!JdkFields.throwablesBound()) {
            return null;
        }
        try {
            return JdkFields.throwableCause(t);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
