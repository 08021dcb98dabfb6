package dev.vigil.workloads.spring;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Two real bugs, served only with {@code -Dworkload.bugs=true}. Lines marked
 * {@code vigil:expect KIND} are where Vigil must point (the integration tests read them).
 */
@RestController
@ConditionalOnProperty(name = "workload.bugs", havingValue = "true")
class PlantedBugs {

    /** A stock ledger and a payments ledger, each guarded by its own lock. */
    @Component
    @ConditionalOnProperty(name = "workload.bugs", havingValue = "true")
    static class Stock {
        final ReentrantLock lock = new ReentrantLock();
        long units = 1_000;
    }

    @Component
    @ConditionalOnProperty(name = "workload.bugs", havingValue = "true")
    static class Payments {
        final ReentrantLock lock = new ReentrantLock();
        long cents;
    }

    private final Catalog catalog;
    private final Stock stock;
    private final Payments payments;

    PlantedBugs(Catalog catalog, Stock stock, Payments payments) {
        this.catalog = catalog;
        this.stock = stock;
        this.payments = payments;
    }

    /** Bug (i): a new pool per request, never shut down: its two idle workers stay for ever. */
    @GetMapping("/bugs/price/{a}/{b}")
    long priceOfTwo(@PathVariable("a") long a, @PathVariable("b") long b) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(2); // vigil:expect executor-leak
        Future<Long> first = pool.submit(() -> catalog.find(a).map(Catalog.Item::priceCents).orElse(0L));
        Future<Long> second = pool.submit(() -> catalog.find(b).map(Catalog.Item::priceCents).orElse(0L));
        return first.get() + second.get();
    }

    /** Bug (ii), first half: stock, then payments. */
    @PostMapping("/bugs/sell")
    long sell() {
        stock.lock.lock(); // vigil:expect lock-order-cycle
        try {
            payments.lock.lock(); // vigil:expect lock-order-cycle
            try {
                stock.units--;
                payments.cents += 250;
                return stock.units;
            } finally {
                payments.lock.unlock();
            }
        } finally {
            stock.lock.unlock();
        }
    }

    /** Bug (ii), second half: payments, then stock (the opposite order: two requests at once can deadlock). */
    @PostMapping("/bugs/refund")
    long refund() {
        payments.lock.lock(); // vigil:expect lock-order-cycle
        try {
            stock.lock.lock(); // vigil:expect lock-order-cycle
            try {
                stock.units++;
                payments.cents -= 250;
                return payments.cents;
            } finally {
                stock.lock.unlock();
            }
        } finally {
            payments.lock.unlock();
        }
    }
}
