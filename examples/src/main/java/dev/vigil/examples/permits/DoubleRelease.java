package dev.vigil.examples.permits;

import java.util.concurrent.Semaphore;

/**
 * BAD: a permit given back twice. {@code export} releases in {@code finally}, as it should; the
 * caller's error handler "cleans up" by releasing again. Each failure adds a permit the semaphore
 * never had: the limit of two concurrent exports silently becomes three, then four. Vigil reports
 * a {@code permit-leak} with reason {@code over-release} at the release that raised the limit.
 * The fix: one release per acquire, in the finally block next to it.
 */
public final class DoubleRelease {

    private DoubleRelease() {
    }

    static final Semaphore EXPORTS = new Semaphore(2); // vigil:expect semaphore-created

    static void export(int report) throws InterruptedException {
        EXPORTS.acquire();
        try {
            if (report % 2 == 1) {
                throw new IllegalStateException("report " + report + " is empty");
            }
        } finally {
            EXPORTS.release();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            try {
                export(i);
            } catch (IllegalStateException e) {
                EXPORTS.release(); // vigil:expect permit-leak
            }
        }
        System.out.println("exported 4 reports, " + EXPORTS.availablePermits() + " permits free of 2");
    }
}
