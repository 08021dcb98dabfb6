package dev.vigil.workloads.spring;

import java.util.List;
import java.util.Optional;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Items, read through the Caffeine cache {@code items}. */
@Service
class Catalog {

    record Item(long id, String name, long priceCents, int stock) {
    }

    private final JdbcTemplate jdbc;

    Catalog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Cacheable("items")
    @Transactional(readOnly = true)
    public Optional<Item> find(long id) {
        List<Item> rows = jdbc.query("select id, name, price_cents, stock from item where id = ?",
                (rs, n) -> new Item(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4)), id);
        return rows.stream().findFirst();
    }
}
