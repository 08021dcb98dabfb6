package dev.vigil.agent.attach;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * How {@code agentmain} tells the {@code attach} command what happened, without throwing (a throw
 * prints a stack trace and {@code *** java.lang.instrument ASSERTION FAILED ***} on the target's
 * stderr and tells the attacher nothing but "failed").
 *
 * <p>The command puts {@code @vigil-attach:<id>@} before the options; {@code agentmain} answers in
 * the target's agent property {@value #KEY} (the JVM's properties for tools, where
 * {@code jcmd ManagementAgent.start_local} puts its address; not the application's system
 * properties) as {@code <id> <status> <text>}, and the command reads it before it detaches.
 * Status: {@code ok} (text: the report directory), {@code already} (Vigil was running: text says
 * how it was loaded and where it reports), {@code error} (text: the one line printed on the
 * target's stderr).
 */
public final class AttachReply {

    public static final String KEY = "dev.vigil.attach.reply";
    public static final String PREFIX = "@vigil-attach:";

    public static final String OK = "ok";
    public static final String ALREADY = "already";
    public static final String ERROR = "error";

    private AttachReply() {
    }

    /** The agent arguments the command sends: the id, then the user's options. */
    public static String arguments(String id, String options) {
        return PREFIX + id + "@" + (options == null ? "" : options);
    }

    /** The id in {@code args}, or null when they do not come from the command. */
    public static String id(String args) {
        if (args == null || !args.startsWith(PREFIX)) {
            return null;
        }
        int end = args.indexOf('@', PREFIX.length());
        return end < 0 ? null : args.substring(PREFIX.length(), end);
    }

    /** The user's options in {@code args}, without the command's prefix. */
    public static String options(String args) {
        String id = id(args);
        return id == null ? args : args.substring(PREFIX.length() + id.length() + 1);
    }

    /** In the target: records the answer for the command; never throws. */
    public static void answer(Instrumentation inst, String id, String status, String text) {
        if (id == null) {
            return;
        }
        String value = id + " " + status + " " + text;
        try {
            agentProperties(inst).setProperty(KEY, value);
        } catch (Throwable t) {
            try {
                System.setProperty(KEY, value); // the command reads both
            } catch (Throwable ignored) {
                // nothing else to try: the command says it got no answer
            }
        }
    }

    private static Properties agentProperties(Instrumentation inst) throws ReflectiveOperationException {
        Module base = Object.class.getModule();
        Module self = AttachReply.class.getModule();
        if (!base.isExported("jdk.internal.vm", self)) {
            inst.redefineModule(base, Set.of(), Map.of("jdk.internal.vm", Set.of(self)), Map.of(), Set.of(), Map.of());
        }
        return (Properties) Class.forName("jdk.internal.vm.VMSupport").getMethod("getAgentProperties").invoke(null);
    }

    /** In the command: the answer to {@code id}, {@code [status, text]}, or null. */
    public static String[] read(Properties agentProperties, Properties systemProperties, String id) {
        for (Properties p : new Properties[] {agentProperties, systemProperties}) {
            String v = p == null ? null : p.getProperty(KEY);
            if (v != null && v.startsWith(id + " ")) {
                String rest = v.substring(id.length() + 1);
                int sp = rest.indexOf(' ');
                return sp < 0 ? new String[] {rest, ""} : new String[] {rest.substring(0, sp), rest.substring(sp + 1)};
            }
        }
        return null;
    }
}
