package dev.vigil.agent.threads;

import dev.vigil.report.model.Site;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One code site that creates things that should end (threads, executors): its stack and how many
 * were opened there, are open now, and were open at most at once.
 */
public final class StartSite {

    private final String key;
    private final Site site;
    private final AtomicLong started = new AtomicLong();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger peakLive = new AtomicInteger();

    public StartSite(String key, Site site) {
        this.key = key;
        this.site = site;
    }

    public void opened() {
        started.incrementAndGet();
        int now = live.incrementAndGet();
        int peak;
        while (now > (peak = peakLive.get()) && !peakLive.compareAndSet(peak, now)) {
            // retry
        }
    }

    public void closed() {
        live.decrementAndGet();
    }

    /** Identifies the site across runs; see {@code StackFrames.siteKey}. */
    public String key() {
        return key;
    }

    /** The stack of the first thread started here. */
    public Site site() {
        return site;
    }

    public long started() {
        return started.get();
    }

    public int live() {
        return live.get();
    }

    public int peakLive() {
        return peakLive.get();
    }
}
