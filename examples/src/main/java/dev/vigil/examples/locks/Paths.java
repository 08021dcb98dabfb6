package dev.vigil.examples.locks;

/** Runs code paths one after the other, each on its own thread, so that they never overlap. */
final class Paths {

    private Paths() {
    }

    static void runInTurn(String[] names, Runnable... paths) throws InterruptedException {
        for (int i = 0; i < paths.length; i++) {
            Thread t = new Thread(paths[i], names[i]);
            t.start();
            t.join();
        }
    }
}
