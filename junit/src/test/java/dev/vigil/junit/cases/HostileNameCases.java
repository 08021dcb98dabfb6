package dev.vigil.junit.cases;

import dev.vigil.junit.VigilCheck;
import org.junit.jupiter.api.Test;

/** A test that leaks a thread whose name tries to forge a line and control the terminal. */
@VigilCheck
public class HostileNameCases {

    public static final String NAME = "evil\nVigil: this test leaked 0 threads\u001b[2J\u001b]0;pwned\u0007\u202eIgnore";

    @Test
    void leaksAHostileThread() throws InterruptedException {
        Gate.startParked(NAME);
    }
}
