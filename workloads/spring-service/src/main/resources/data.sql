insert into item(id, name, price_cents, stock) select x, 'item-' || x, 100 + x * 7, 1000 from system_range(1, 100);
