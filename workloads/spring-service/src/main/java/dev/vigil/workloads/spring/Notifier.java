package dev.vigil.workloads.spring;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/** Writes an audit row per order on the {@code taskExecutor} pool, off the request thread. */
@Service
class Notifier {

    private final JdbcTemplate jdbc;
    private final AtomicLong sent = new AtomicLong();

    Notifier(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Async
    public void orderPlaced(Orders.Order order) {
        jdbc.update("insert into audit(order_id, note) values (?, ?)", order.id(),
                "placed " + order.quantity() + " of item " + order.itemId());
        sent.incrementAndGet();
    }

    long sent() {
        return sent.get();
    }
}
