package dev.vigil.workloads.spring;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Service;

/** The report: four queries fanned out on {@code reportExecutor}, joined with a deadline. */
@Service
class Reports {

    record Report(long items, long stock, long orders, long audited, long notified, long restocks) {
    }

    private final JdbcTemplate jdbc;
    private final ThreadPoolTaskExecutor pool;
    private final Notifier notifier;
    private final Restocker restocker;

    Reports(JdbcTemplate jdbc, @Qualifier("reportExecutor") ThreadPoolTaskExecutor pool, Notifier notifier,
            Restocker restocker) {
        this.jdbc = jdbc;
        this.pool = pool;
        this.notifier = notifier;
        this.restocker = restocker;
    }

    Report build() {
        CompletableFuture<Long> items = count("select count(*) from item");
        CompletableFuture<Long> stock = count("select coalesce(sum(stock), 0) from item");
        CompletableFuture<Long> orders = count("select count(*) from orders");
        CompletableFuture<Long> audited = count("select count(*) from audit");
        return CompletableFuture.allOf(items, stock, orders, audited)
                .thenApply(done -> new Report(items.join(), stock.join(), orders.join(), audited.join(),
                        notifier.sent(), restocker.runs()))
                .orTimeout(5, TimeUnit.SECONDS)
                .join();
    }

    private CompletableFuture<Long> count(String sql) {
        return CompletableFuture.supplyAsync(() -> jdbc.queryForObject(sql, Long.class), pool);
    }
}
