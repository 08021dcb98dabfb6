package dev.vigil.junit;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The Vigil agent in this JVM, through its MBean {@code dev.vigil:type=Vigil}; absent when the
 * agent is not attached. The agent registers the MBean just after start-up, so when the agent's
 * classes are visible but the MBean is not there yet, this waits for it (at most {@link #WAIT_MILLIS}, once).
 */
final class AgentLink {

    static final long WAIT_MILLIS = 10_000;
    private static final String NAME = "dev.vigil:type=Vigil";
    private static final Object LOCK = new Object();
    private static boolean looked;
    private static AgentLink found;

    /** A finding as the MBean lists it: {@code severity kind fingerprint threadIds title}. */
    record Finding(String severity, String kind, String fingerprint, List<Long> threadIds, String title) {

        static Finding parse(String line) {
            String[] p = line.split(" ", 5);
            List<Long> ids = new ArrayList<>();
            if (!p[3].equals("-")) {
                for (String id : p[3].split(",")) {
                    ids.add(Long.parseLong(id));
                }
            }
            return new Finding(p[0], p[1], p[2], ids, p.length > 4 ? p[4] : "");
        }

        @Override
        public String toString() {
            return severity.toUpperCase(java.util.Locale.ROOT) + " " + kind + " [" + fingerprint + "] " + title;
        }
    }

    private final MBeanServer server;
    private final ObjectName name;

    private AgentLink(MBeanServer server, ObjectName name) {
        this.server = server;
        this.name = name;
    }

    static AgentLink find() {
        synchronized (LOCK) {
            if (!looked) {
                looked = true;
                found = lookUp();
            }
            return found;
        }
    }

    private static AgentLink lookUp() {
        try {
            Class.forName("dev.vigil.agent.VigilAgent", false, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null; // no agent: do not even start the platform MBean server
        }
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(NAME);
            long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
            while (!server.isRegistered(name)) {
                if (System.nanoTime() > deadline) {
                    return null;
                }
                Thread.sleep(20);
            }
            return new AgentLink(server, name);
        } catch (JMException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    List<Finding> findings(String minSeverity) {
        String[] lines = (String[]) invoke("findings", new Object[] {minSeverity}, new String[] {String.class.getName()});
        List<Finding> out = new ArrayList<>();
        if (lines != null) {
            for (String l : lines) {
                out.add(Finding.parse(l));
            }
        }
        return out;
    }

    /** Where the agent saw this thread start ({@code File.java:N} and the stack), or null. */
    String startSite(long threadId) {
        return (String) invoke("threadStartSite", new Object[] {threadId}, new String[] {long.class.getName()});
    }

    private Object invoke(String op, Object[] args, String[] sig) {
        try {
            return server.invoke(name, op, args, sig);
        } catch (JMException e) {
            throw new IllegalStateException("Vigil's MBean failed in " + op + ": " + e, e);
        }
    }
}
