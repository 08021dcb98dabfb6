package com.example.pool;

import java.util.concurrent.Callable;

/** Application frames for {@code LifecycleWaitTest}: a server's {@code join()}, and a method that is not one. */
public final class Lifecycle {

    private Lifecycle() {
    }

    /** As Jetty's {@code Server.join()}: waits (in {@code body}) until the server stops. */
    public static <T> T join(Callable<T> body) throws Exception {
        return body.call();
    }

    public static <T> T serve(Callable<T> body) throws Exception {
        return body.call();
    }
}
