package dev.vigil.examples.permits;

import java.util.List;

/** The pages the fan-out examples fetch: four of them come from a service that is down. */
final class Pages {

    private Pages() {
    }

    static final List<String> ALL = List.of("home", "inventory-1", "cart", "inventory-2", "search",
            "inventory-3", "account", "inventory-4");
}
