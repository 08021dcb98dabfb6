package dev.vigil.workloads.spring;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Places orders: stock is taken and the order written in one transaction, then notified asynchronously. */
@Service
class Orders {

    record Order(long id, long itemId, int quantity) {
    }

    /** Not enough stock: nothing was written. */
    static final class OutOfStock extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfStock(long itemId) {
            super("item " + itemId + " is out of stock");
        }
    }

    private final JdbcTemplate jdbc;
    private final Notifier notifier;

    Orders(JdbcTemplate jdbc, Notifier notifier) {
        this.jdbc = jdbc;
        this.notifier = notifier;
    }

    @Transactional
    public Order place(long itemId, int quantity) {
        int taken = jdbc.update("update item set stock = stock - ? where id = ? and stock >= ?", quantity, itemId, quantity);
        if (taken == 0) {
            throw new OutOfStock(itemId);
        }
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(c -> {
            var ps = c.prepareStatement("insert into orders(item_id, quantity) values (?, ?)", new String[] {"id"});
            ps.setLong(1, itemId);
            ps.setInt(2, quantity);
            return ps;
        }, key);
        Order order = new Order(key.getKey().longValue(), itemId, quantity);
        notifier.orderPlaced(order);
        return order;
    }
}
