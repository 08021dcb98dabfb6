package dev.vigil.examples.locks;

/**
 * BAD: two static initializers that need each other's class, first used by two threads at once.
 *
 * <p>{@code Currencies} builds its table from {@code Rates.DEFAULT}, and {@code Rates} validates its
 * default against {@code Currencies.ALL}. Used from one thread this works (one of them sees the
 * other half-initialized); used from two threads at once, each thread runs one static initializer
 * and waits for the other's to finish: for ever. The JVM shows both threads as RUNNABLE and reports
 * no deadlock. Vigil reports a {@code deadlock} ({@code detectedBy: class-init}) within a few
 * seconds, with both static initializers and the lines that wait. The fix is
 * {@link StaticInitHolder}.
 */
public final class StaticInitCycle {

    private StaticInitCycle() {
    }

    static final class Currencies {
        static final String[] ALL;

        static {
            pause();
            ALL = new String[] {"EUR", "USD", Rates.DEFAULT}; // vigil:expect deadlock
        }
    }

    static final class Rates {
        static final String DEFAULT;

        static {
            pause();
            DEFAULT = Currencies.ALL.length > 0 ? "CHF" : "EUR"; // vigil:expect deadlock
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Thread prices = new Thread(() -> System.out.println(Currencies.ALL.length + " currencies"), "prices");
        Thread quotes = new Thread(() -> System.out.println("default " + Rates.DEFAULT), "quotes");
        prices.start();
        quotes.start();
        prices.join();
        quotes.join();
    }

    /** Both threads inside their static initializer before either needs the other class. */
    static void pause() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
