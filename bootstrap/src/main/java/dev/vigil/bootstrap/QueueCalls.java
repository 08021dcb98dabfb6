package dev.vigil.bootstrap;

import java.util.Collection;
import java.util.Deque;
import java.util.Queue;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TransferQueue;

/**
 * Stand-ins for {@code BlockingQueue} operations in application code. The agent rewrites a call
 * such as {@code queue.put(job)} into {@code QueueCalls.put(queue, job, site)}, where {@code site}
 * is a constant naming the calling line (the {@code A|class|method|line} form of the lock sites).
 * Calls made through {@code Collection}/{@code Queue} are rewritten too; their stand-in looks at the
 * receiver and tells the listener only when it is a {@code BlockingQueue}. Queue operations made
 * inside the JDK (an executor's work queue) are never seen: that keeps executors out and costs
 * nothing there.
 *
 * <p>Every method makes exactly the call the application made, with the same arguments, result
 * and exceptions; nothing the listener does escapes. JDK types only (bootstrap class path).
 */
public final class QueueCalls {

    private static volatile QueueListener listener;

    private QueueCalls() {
    }

    public static void setListener(QueueListener l) {
        listener = l;
    }

    // ---------------------------------------------------------------- creation

    /** Called just after {@code new ArrayBlockingQueue(...)} (etc.) in application code. */
    public static void created(Object queue, String site) {
        QueueListener l = listener;
        if (l == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.created(queue, site);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    // ---------------------------------------------------------------- producers

    public static void put(BlockingQueue<Object> q, Object e, String site) throws InterruptedException {
        Object token = starting(q, site, QueueListener.PUT);
        boolean moved = false;
        try {
            q.put(e);
            moved = true;
        } finally {
            ended(token, moved);
        }
    }

    public static boolean offer(BlockingQueue<Object> q, Object e, long timeout, TimeUnit unit, String site)
            throws InterruptedException {
        Object token = starting(q, site, QueueListener.PUT);
        boolean moved = false;
        try {
            moved = q.offer(e, timeout, unit);
            return moved;
        } finally {
            ended(token, moved);
        }
    }

    public static void transfer(TransferQueue<Object> q, Object e, String site) throws InterruptedException {
        Object token = starting(q, site, QueueListener.PUT);
        boolean moved = false;
        try {
            q.transfer(e);
            moved = true;
        } finally {
            ended(token, moved);
        }
    }

    public static void putFirst(BlockingDeque<Object> q, Object e, String site) throws InterruptedException {
        Object token = starting(q, site, QueueListener.PUT);
        boolean moved = false;
        try {
            q.putFirst(e);
            moved = true;
        } finally {
            ended(token, moved);
        }
    }

    public static void putLast(BlockingDeque<Object> q, Object e, String site) throws InterruptedException {
        Object token = starting(q, site, QueueListener.PUT);
        boolean moved = false;
        try {
            q.putLast(e);
            moved = true;
        } finally {
            ended(token, moved);
        }
    }

    public static boolean tryTransfer(TransferQueue<Object> q, Object e, long timeout, TimeUnit unit, String site)
            throws InterruptedException {
        Object token = starting(q, site, QueueListener.PUT);
        boolean moved = false;
        try {
            moved = q.tryTransfer(e, timeout, unit);
            return moved;
        } finally {
            ended(token, moved);
        }
    }

    public static boolean offerFirst(BlockingDeque<Object> q, Object e, long timeout, TimeUnit unit, String site)
            throws InterruptedException {
        Object token = starting(q, site, QueueListener.PUT);
        boolean moved = false;
        try {
            moved = q.offerFirst(e, timeout, unit);
            return moved;
        } finally {
            ended(token, moved);
        }
    }

    public static boolean offerLast(BlockingDeque<Object> q, Object e, long timeout, TimeUnit unit, String site)
            throws InterruptedException {
        Object token = starting(q, site, QueueListener.PUT);
        boolean moved = false;
        try {
            moved = q.offerLast(e, timeout, unit);
            return moved;
        } finally {
            ended(token, moved);
        }
    }

    /** {@code TransferQueue.tryTransfer(e)}: hands over only to a consumer already waiting, never blocks. */
    public static boolean tryTransfer(TransferQueue<Object> q, Object e, String site) {
        boolean moved = q.tryTransfer(e);
        operated(q, site, QueueListener.PUT, moved);
        return moved;
    }

    /** {@code offerFirst(e)} on a {@code Deque} or {@code BlockingDeque}: never blocks. */
    public static boolean offerFirst(Deque<Object> q, Object e, String site) {
        boolean moved = q.offerFirst(e);
        operatedIfBlocking(q, site, QueueListener.PUT, moved);
        return moved;
    }

    public static boolean offerLast(Deque<Object> q, Object e, String site) {
        boolean moved = q.offerLast(e);
        operatedIfBlocking(q, site, QueueListener.PUT, moved);
        return moved;
    }

    /** {@code addFirst(e)}: throws when a bounded deque is full (then nothing moved). */
    public static void addFirst(Deque<Object> q, Object e, String site) {
        boolean moved = false;
        try {
            q.addFirst(e);
            moved = true;
        } finally {
            operatedIfBlocking(q, site, QueueListener.PUT, moved);
        }
    }

    public static void addLast(Deque<Object> q, Object e, String site) {
        boolean moved = false;
        try {
            q.addLast(e);
            moved = true;
        } finally {
            operatedIfBlocking(q, site, QueueListener.PUT, moved);
        }
    }

    /** {@code push(e)} is {@code addFirst(e)}. */
    public static void push(Deque<Object> q, Object e, String site) {
        boolean moved = false;
        try {
            q.push(e);
            moved = true;
        } finally {
            operatedIfBlocking(q, site, QueueListener.PUT, moved);
        }
    }

    /** {@code Queue.offer(e)}, {@code BlockingQueue.offer(e)}: never blocks. */
    public static boolean offer(Queue<Object> q, Object e, String site) {
        boolean moved = q.offer(e);
        operatedIfBlocking(q, site, QueueListener.PUT, moved);
        return moved;
    }

    /** {@code Collection.add(e)}: every {@code list.add} of the application comes here; only queues are told. */
    public static boolean add(Collection<Object> c, Object e, String site) {
        boolean moved = c.add(e);
        operatedIfBlocking(c, site, QueueListener.PUT, moved);
        return moved;
    }

    // ---------------------------------------------------------------- consumers

    public static Object take(BlockingQueue<Object> q, String site) throws InterruptedException {
        Object token = starting(q, site, QueueListener.TAKE);
        boolean moved = false;
        try {
            Object e = q.take();
            moved = true;
            return e;
        } finally {
            ended(token, moved);
        }
    }

    public static Object takeFirst(BlockingDeque<Object> q, String site) throws InterruptedException {
        Object token = starting(q, site, QueueListener.TAKE);
        boolean moved = false;
        try {
            Object e = q.takeFirst();
            moved = true;
            return e;
        } finally {
            ended(token, moved);
        }
    }

    public static Object takeLast(BlockingDeque<Object> q, String site) throws InterruptedException {
        Object token = starting(q, site, QueueListener.TAKE);
        boolean moved = false;
        try {
            Object e = q.takeLast();
            moved = true;
            return e;
        } finally {
            ended(token, moved);
        }
    }

    public static Object poll(BlockingQueue<Object> q, long timeout, TimeUnit unit, String site)
            throws InterruptedException {
        Object token = starting(q, site, QueueListener.TAKE);
        boolean moved = false;
        try {
            Object e = q.poll(timeout, unit);
            moved = e != null;
            return e;
        } finally {
            ended(token, moved);
        }
    }

    /** {@code Queue.poll()}: never blocks. */
    public static Object poll(Queue<Object> q, String site) {
        Object e = q.poll();
        operatedIfBlocking(q, site, QueueListener.TAKE, e != null);
        return e;
    }

    public static Object pollFirst(BlockingDeque<Object> q, long timeout, TimeUnit unit, String site)
            throws InterruptedException {
        Object token = starting(q, site, QueueListener.TAKE);
        boolean moved = false;
        try {
            Object e = q.pollFirst(timeout, unit);
            moved = e != null;
            return e;
        } finally {
            ended(token, moved);
        }
    }

    public static Object pollLast(BlockingDeque<Object> q, long timeout, TimeUnit unit, String site)
            throws InterruptedException {
        Object token = starting(q, site, QueueListener.TAKE);
        boolean moved = false;
        try {
            Object e = q.pollLast(timeout, unit);
            moved = e != null;
            return e;
        } finally {
            ended(token, moved);
        }
    }

    /** {@code pollFirst()} on a {@code Deque} or {@code BlockingDeque}: never blocks. */
    public static Object pollFirst(Deque<Object> q, String site) {
        Object e = q.pollFirst();
        operatedIfBlocking(q, site, QueueListener.TAKE, e != null);
        return e;
    }

    public static Object pollLast(Deque<Object> q, String site) {
        Object e = q.pollLast();
        operatedIfBlocking(q, site, QueueListener.TAKE, e != null);
        return e;
    }

    /** {@code Queue.remove()}: dequeues the head, throws when empty (then nothing moved). */
    public static Object remove(Queue<Object> q, String site) {
        boolean moved = false;
        try {
            Object e = q.remove();
            moved = true;
            return e;
        } finally {
            operatedIfBlocking(q, site, QueueListener.TAKE, moved);
        }
    }

    public static Object removeFirst(Deque<Object> q, String site) {
        boolean moved = false;
        try {
            Object e = q.removeFirst();
            moved = true;
            return e;
        } finally {
            operatedIfBlocking(q, site, QueueListener.TAKE, moved);
        }
    }

    public static Object removeLast(Deque<Object> q, String site) {
        boolean moved = false;
        try {
            Object e = q.removeLast();
            moved = true;
            return e;
        } finally {
            operatedIfBlocking(q, site, QueueListener.TAKE, moved);
        }
    }

    /** {@code pop()} is {@code removeFirst()}. */
    public static Object pop(Deque<Object> q, String site) {
        boolean moved = false;
        try {
            Object e = q.pop();
            moved = true;
            return e;
        } finally {
            operatedIfBlocking(q, site, QueueListener.TAKE, moved);
        }
    }

    public static int drainTo(BlockingQueue<Object> q, Collection<Object> to, String site) {
        int n = q.drainTo(to);
        operated(q, site, QueueListener.TAKE, n > 0);
        return n;
    }

    public static int drainTo(BlockingQueue<Object> q, Collection<Object> to, int max, String site) {
        int n = q.drainTo(to, max);
        operated(q, site, QueueListener.TAKE, n > 0);
        return n;
    }

    // ---------------------------------------------------------------- listener calls

    /** Tells the listener when {@code q} (a {@code Queue}, {@code Deque} or {@code Collection} at the call site) is a blocking queue. */
    private static void operatedIfBlocking(Object q, String site, int role, boolean moved) {
        if (q instanceof BlockingQueue) {
            operated(q, site, role, moved);
        }
    }

    private static void operated(Object q, String site, int role, boolean moved) {
        QueueListener l = listener;
        if (l == null) {
            return;
        }
        try {
            l.operated(q, site, role, moved);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        }
    }

    private static Object starting(Object q, String site, int role) {
        QueueListener l = listener;
        if (l == null) {
            return null;
        }
        try {
            return l.waitStarting(q, site, role);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
            return null;
        }
    }

    private static void ended(Object token, boolean moved) {
        if (token == null) {
            return;
        }
        QueueListener l = listener;
        if (l == null) {
            return;
        }
        try {
            l.waitEnded(token, moved);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        }
    }
}
