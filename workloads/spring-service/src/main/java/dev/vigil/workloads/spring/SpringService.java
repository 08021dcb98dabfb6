package dev.vigil.workloads.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A small shop service: items and orders in an in-memory H2 database behind HikariCP, read and
 * written with JdbcTemplate in {@code @Transactional} services, item look-ups cached in Caffeine,
 * an {@code @Async} notification per order, a {@code @Scheduled} restocking job and a report that
 * fans out {@code CompletableFuture}s on a {@code ThreadPoolTaskExecutor}.
 *
 * <p>Correct code: everything it starts is owned by the Spring context and stopped when it closes
 * (on SIGTERM, through Spring Boot's shutdown hook). With {@code -Dworkload.bugs=true} it also
 * serves {@link PlantedBugs}, two endpoints with real concurrency bugs.
 *
 * <p>Prints {@code READY port=N} once it accepts requests ({@code server.port=0}: an ephemeral port
 * unless {@code -Dserver.port=...} says otherwise).
 */
@SpringBootApplication
@EnableAsync
@EnableScheduling
@EnableCaching
public class SpringService {

    public static void main(String[] args) {
        SpringApplication.run(SpringService.class, args);
    }
}
