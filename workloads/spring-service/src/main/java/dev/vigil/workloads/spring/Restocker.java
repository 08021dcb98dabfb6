package dev.vigil.workloads.spring;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Every 100 ms, tops up items that run low (on Spring Boot's task scheduler). */
@Component
class Restocker {

    private final JdbcTemplate jdbc;
    private final AtomicLong runs = new AtomicLong();

    Restocker(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Scheduled(fixedRate = 100)
    void restock() {
        jdbc.update("update item set stock = stock + 100 where stock < 100");
        runs.incrementAndGet();
    }

    long runs() {
        return runs.get();
    }
}
