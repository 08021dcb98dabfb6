package dev.vigil.workloads.spring;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /items/{id}}, {@code POST /orders}, {@code GET /report}. */
@RestController
class ShopController {

    record OrderRequest(long itemId, int quantity) {
    }

    private final Catalog catalog;
    private final Orders orders;
    private final Reports reports;

    ShopController(Catalog catalog, Orders orders, Reports reports) {
        this.catalog = catalog;
        this.orders = orders;
        this.reports = reports;
    }

    @GetMapping("/items/{id}")
    ResponseEntity<Catalog.Item> item(@PathVariable("id") long id) {
        return ResponseEntity.of(catalog.find(id));
    }

    @PostMapping("/orders")
    ResponseEntity<Orders.Order> order(@RequestBody OrderRequest request) {
        if (request.quantity() <= 0) {
            return ResponseEntity.badRequest().build();
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(orders.place(request.itemId(), request.quantity()));
    }

    @GetMapping("/report")
    Reports.Report report() {
        return reports.build();
    }

    @ExceptionHandler(Orders.OutOfStock.class)
    ResponseEntity<String> outOfStock(Orders.OutOfStock e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(e.getMessage());
    }
}
