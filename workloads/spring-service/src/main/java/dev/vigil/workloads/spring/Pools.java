package dev.vigil.workloads.spring;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The service's own pools, both owned by the context: Spring initialises them and shuts them down
 * (waiting for running tasks) when the context closes.
 */
@Configuration(proxyBeanMethods = false)
class Pools {

    /** Runs the {@code @Async} methods (Spring picks the bean named {@code taskExecutor}). */
    @Bean
    ThreadPoolTaskExecutor taskExecutor() {
        return pool("async-", 2, 500);
    }

    /** Runs the report's fan-out. */
    @Bean
    ThreadPoolTaskExecutor reportExecutor() {
        return pool("report-", 4, 200);
    }

    private static ThreadPoolTaskExecutor pool(String prefix, int threads, int queue) {
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setThreadNamePrefix(prefix);
        pool.setCorePoolSize(threads);
        pool.setMaxPoolSize(threads);
        pool.setQueueCapacity(queue);
        pool.setWaitForTasksToCompleteOnShutdown(true);
        pool.setAwaitTerminationSeconds(5);
        return pool;
    }
}
