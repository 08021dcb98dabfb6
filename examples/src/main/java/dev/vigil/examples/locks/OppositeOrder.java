package dev.vigil.examples.locks;

/**
 * BAD: two code paths take the same two monitors in opposite orders.
 *
 * <p>{@code reserve} locks the inventory, then the orders; {@code cancel} locks the orders, then
 * the inventory. Here they run one after the other, so this run never deadlocks, and a test suite
 * would pass. In production, with both running at once, each thread takes its first lock and waits
 * for ever for the other's. Vigil reports a {@code lock-order-cycle} with both code paths.
 *
 * <p>The fix is {@link ConsistentOrder}: every path takes inventory before orders.
 */
public final class OppositeOrder {

    static final class Inventory {
        int available = 10;
    }

    static final class Orders {
        int open;
    }

    private final Inventory inventory = new Inventory();
    private final Orders orders = new Orders();

    void reserve() {
        synchronized (inventory) { // vigil:expect lock-order-cycle
            synchronized (orders) { // vigil:expect lock-order-cycle
                inventory.available--;
                orders.open++;
            }
        }
    }

    void cancel() {
        synchronized (orders) { // vigil:expect lock-order-cycle
            synchronized (inventory) { // vigil:expect lock-order-cycle
                orders.open--;
                inventory.available++;
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        OppositeOrder shop = new OppositeOrder();
        Paths.runInTurn(new String[] {"reserve", "cancel"}, shop::reserve, shop::cancel);
        System.out.println("available " + shop.inventory.available + ", open " + shop.orders.open);
    }
}
