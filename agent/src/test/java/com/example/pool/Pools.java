package com.example.pool;

import java.util.List;
import java.util.concurrent.Executor;

/** Executors that stand for a library's pools in {@code PoolWorkersTest}: only their class names matter. */
public final class Pools {

    private Pools() {
    }

    /** As Jetty's QueuedThreadPool: workers run a nested Runner. */
    static final class Pool implements Executor {
        @Override
        public void execute(Runnable command) {
            command.run();
        }

        static final class Runner {
        }
    }

    /** A bounded executor whose execute blocks its caller while the bound is reached. */
    static final class Bounded implements Executor {
        @Override
        public void execute(Runnable command) {
            command.run();
        }
    }

    /** As an event loop: callbacks run many frames above it. */
    static final class Loop implements Executor {
        @Override
        public void execute(Runnable command) {
            command.run();
        }
    }

    /** The classes a JVM would have loaded. */
    public static List<Class<?>> loaded() {
        return List.of(Pools.class, Pool.class, Pool.Runner.class, Bounded.class, Loop.class, String.class);
    }
}
