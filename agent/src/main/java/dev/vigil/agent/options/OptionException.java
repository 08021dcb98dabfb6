package dev.vigil.agent.options;

/** A bad agent option. Its message is the one line the user sees before the JVM stops. */
public final class OptionException extends Exception {

    public OptionException(String message) {
        super(message);
    }
}
