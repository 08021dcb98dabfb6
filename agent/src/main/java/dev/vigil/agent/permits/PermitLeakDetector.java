package dev.vigil.agent.permits;

import dev.vigil.agent.host.SemaphoreFacts;
import dev.vigil.agent.stack.SiteFrames;
import dev.vigil.agent.findings.Detector;
import dev.vigil.agent.findings.Fingerprints;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.findings.ThreadRefs;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * {@code permit-leak}: permits taken by a thread that has ended without anyone giving them back
 * (reason {@code unreleased}), and releases that raised a semaphore above the permits it started
 * with (reason {@code over-release}). One finding per semaphore and acquiring (or releasing) site.
 *
 * <p>While the program runs, permits held by a thread that is still alive are not a leak: the
 * thread may still release them (or hand them to another thread that will). In the exit report,
 * permits still held by live threads are (reason {@code held-at-exit}): nothing will release them now. When other threads are queued on the semaphore
 * while permits are leaked, the finding is an error (they starve), else a warning.
 */
public final class PermitLeakDetector implements Detector {

    static final String HOW_TO_FIX_UNRELEASED = "Release in a finally block right after the acquire: "
            + "sem.acquire(); try { ... } finally { sem.release(); }. Every path that skips the release (an "
            + "early return, an exception) lowers the semaphore's limit for good, until every caller blocks.";
    static final String HOW_TO_FIX_OVER = "Release exactly once per acquisition, in one finally block: a release "
            + "in a catch block and again in finally, or a release without a matching acquire, silently raises the "
            + "semaphore's limit and lets more callers in than it was meant to allow.";

    private final SyncTracker tracker;
    private final SiteFrames siteFrames;
    private final ThreadRefs threadRefs;
    private final Set<String> announced = new HashSet<>();
    private final Set<String> outOfScope = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public PermitLeakDetector(SyncTracker tracker, StackFrames stacks) {
        this.tracker = tracker;
        this.siteFrames = new SiteFrames(stacks);
        this.threadRefs = new ThreadRefs(stacks);
    }

    /**
     * For the watch's thread: the trigger {@code permit-leak} when a finding appeared since the last
     * call (a thread just ended holding permits, or an over-release), so the report is written now.
     */
    public synchronized String tick() {
        boolean fresh = false;
        for (Finding f : findings(Phase.RUNNING)) {
            fresh |= announced.add(f.fingerprint() + "/" + f.details().get("permits"));
        }
        return fresh ? FindingKinds.PERMIT_LEAK : null;
    }

    @Override
    public List<Finding> findings(Phase phase) {
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<Object, PermitLedger> e : tracker.semaphores.entries()) {
            Semaphore sem = (Semaphore) e.getKey();
            PermitLedger l = e.getValue();
            Map<String, List<Holder>> bySite = new LinkedHashMap<>();
            Map<String, List<Holder>> heldAtExit = new LinkedHashMap<>();
            for (Holder h : l.outstanding()) {
                if (outOfScope.contains(key(l, h.site, h.threadId))) {
                    continue;
                }
                if (h.ended()) {
                    bySite.computeIfAbsent(h.site, k -> new ArrayList<>()).add(h);
                } else if (phase == Phase.EXITING) {
                    // The JVM is going down: whatever is still held now is never given back.
                    heldAtExit.computeIfAbsent(h.site, k -> new ArrayList<>()).add(h);
                }
            }
            for (Map.Entry<String, List<Holder>> s : bySite.entrySet()) {
                out.add(unreleased(sem, l, s.getKey(), s.getValue(), false));
            }
            for (Map.Entry<String, List<Holder>> s : heldAtExit.entrySet()) {
                out.add(unreleased(sem, l, s.getKey(), s.getValue(), true));
            }
            Finding over = overRelease(sem, l);
            if (over != null) {
                out.add(over);
            }
        }
        return out;
    }

    private static String key(PermitLedger l, String site, long threadId) {
        return l.label + "|" + site + "|" + threadId;
    }

    @Override
    public void resetScope() {
        for (Map.Entry<Object, PermitLedger> e : tracker.semaphores.entries()) {
            for (Holder h : e.getValue().outstanding()) {
                outOfScope.add(key(e.getValue(), h.site, h.threadId));
            }
            if (e.getValue().overReleaseSite != null) {
                outOfScope.add(key(e.getValue(), e.getValue().overReleaseSite, -1));
            }
        }
    }

    /**
     * Permits acquired at {@code site} and never given back: by threads that have ended, or (at exit,
     * {@code atExit}) by threads still alive while the JVM shuts down.
     */
    private Finding unreleased(Semaphore sem, PermitLedger l, String site, List<Holder> holders, boolean atExit) {
        int permits = 0;
        long oldest = Long.MAX_VALUE;
        List<ThreadRef> threads = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Holder h : holders) {
            permits += h.permits;
            oldest = Math.min(oldest, h.sinceMillis);
            Thread t = h.thread.get();
            threads.add(threadRefs.of(t, h.threadId, h.threadName, atExit && t != null && t.isDaemon()));
            names.add("'" + h.threadName + "'");
        }
        boolean starving = SemaphoreFacts.hasQueuedThreads(sem);
        Site at = StackFrames.site("permits acquired", siteFrames.at(site, List.of()));
        long ago = tracker.now() - oldest;
        String reason = atExit ? "held-at-exit" : "unreleased";
        String some = permits + (permits == 1 ? " permit" : " permits");
        String they = permits == 1 ? "it" : "them";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        details.put("semaphore", l.label);
        details.put("permits", permits);
        details.put("threads", holders.size());
        details.put("threadsEnded", !atExit);
        details.put("heldMillis", ago);
        details.put("limit", l.limit);
        details.put("available", SemaphoreFacts.available(sem));
        details.put("waiters", SemaphoreFacts.queueLength(sem));
        List<Site> sites = withCreation(at, l, details);
        String title = some + " of " + l.label + " acquired at " + at.location() + " never released: "
                + (atExit ? "still held when the JVM exited"
                        : (holders.size() == 1 ? "the thread has" : "the threads have") + " ended");
        String message = "Thread" + (holders.size() == 1 ? " " : "s ") + String.join(", ", names) + " acquired "
                + some + " of " + l.label + " at " + at.location() + " (" + StuckWaitWatch.seconds(ago) + " ago) and "
                + (atExit ? "still held " + they + " when the JVM exited: the work under the permit was cut off."
                        : "ended without releasing " + they + ".")
                + " The semaphore " + (atExit ? "had " : "now has ") + SemaphoreFacts.available(sem)
                + (l.limit > 0 ? " of " + l.limit : "") + " permits free"
                + (starving ? " and " + SemaphoreFacts.queueLength(sem) + " thread(s) waiting for one: they starve." : ".")
                + createdClause(l);
        return new Finding(FindingKinds.PERMIT_LEAK, starving ? Severity.ERROR : Severity.WARNING,
                Fingerprints.of(FindingKinds.PERMIT_LEAK, reason, site), title, message, HOW_TO_FIX_UNRELEASED,
                threads, sites, details);
    }

    /** {@code at}, then where the semaphore was created when that is known (also put in {@code details.createdAt}). */
    private List<Site> withCreation(Site at, PermitLedger l, Map<String, Object> details) {
        String created = l.createdSite;
        if (created == null) {
            return List.of(at);
        }
        Site c = StackFrames.site("semaphore created", siteFrames.at(created, List.of()));
        details.put("createdAt", c.location());
        return List.of(at, c);
    }

    /** " It was created at X." when that is known. */
    static String createdClause(PermitLedger l) {
        String where = SyncTracker.location(l.createdSite);
        return where == null ? "" : " It was created at " + where + ".";
    }

    private Finding overRelease(Semaphore sem, PermitLedger l) {
        String site;
        long count;
        String thread;
        long threadId;
        int available;
        Thread releaser;
        synchronized (l) {
            releaser = l.overReleaseThreadRef == null ? null : l.overReleaseThreadRef.get();
            site = l.overReleaseSite;
            count = l.overReleases;
            thread = l.overReleaseThread;
            threadId = l.overReleaseThreadId;
            available = l.overReleaseAvailable;
        }
        if (site == null || outOfScope.contains(key(l, site, -1))) {
            return null;
        }
        Site at = StackFrames.site("released beyond the limit", siteFrames.at(site, List.of()));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", "over-release");
        details.put("semaphore", l.label);
        details.put("limit", l.limit);
        details.put("availableAfterRelease", available);
        details.put("overReleases", count);
        details.put("acquisitions", l.acquisitions);
        details.put("releases", l.releases);
        List<Site> sites = withCreation(at, l, details);
        String title = l.label + " released beyond its " + l.limit + " permits at " + at.location();
        String message = "Thread '" + thread + "' released " + l.label + " at " + at.location() + ", leaving "
                + available + " permits free although it started with " + l.limit + " (" + count
                + (count == 1 ? " release" : " releases") + " beyond the limit so far): the limit has silently risen." + createdClause(l);
        return new Finding(FindingKinds.PERMIT_LEAK, Severity.WARNING,
                Fingerprints.of(FindingKinds.PERMIT_LEAK, "over-release", site), title, message, HOW_TO_FIX_OVER,
                List.of(threadRefs.of(releaser, threadId, thread, releaser != null && releaser.isDaemon())), sites, details);
    }
}
