package dev.vigil.examples.locks;

/**
 * GOOD: the fix of {@link StaticInitCycle}. The default rate no longer needs the currency table in
 * a static initializer: it is a constant, and the check against the table moves to the first call
 * that needs it. No class needs another's initializer while its own runs, so any number of threads
 * can use them at once. Vigil reports nothing.
 */
public final class StaticInitHolder {

    private StaticInitHolder() {
    }

    static final class Rates {
        static final String DEFAULT = "CHF";

        static boolean defaultIsKnown() {
            for (String c : Currencies.ALL) {
                if (c.equals(DEFAULT)) {
                    return true;
                }
            }
            return false;
        }
    }

    static final class Currencies {
        static final String[] ALL;

        static {
            StaticInitCycle.pause();
            ALL = new String[] {"EUR", "USD", Rates.DEFAULT};
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Thread prices = new Thread(() -> System.out.println(Currencies.ALL.length + " currencies"), "prices");
        Thread quotes = new Thread(() -> System.out.println("default known " + Rates.defaultIsKnown()), "quotes");
        prices.start();
        quotes.start();
        prices.join();
        quotes.join();
    }
}
