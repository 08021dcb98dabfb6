package dev.vigil.agent.stack;

/**
 * The site constants that instrumented code passes to the lock hooks, bound at transform time:
 * <ul>
 *   <li>{@code A|class|method|line}: a {@code synchronized} block or a {@code Lock}/{@code Condition}
 *       call in application code;</li>
 *   <li>{@code M|class|method|descriptor}: entry of an application {@code synchronized} method;</li>
 *   <li>{@code J|class|method|descriptor-or-line}: a monitor taken inside the JDK
 *       ({@code Hashtable}, {@code Vector}, ...): the application frame is found on the stack.</li>
 * </ul>
 */
public record SiteRef(char kind, String className, String method, String detail) {

    public static String application(String className, String method, int line) {
        return "A|" + className + '|' + method + '|' + line;
    }

    public static boolean isInternal(String site) {
        return site == null || site.startsWith("J|");
    }

    /** Parses a site constant; null for null or malformed. */
    public static SiteRef parse(String site) {
        if (site == null || site.length() < 2 || site.charAt(1) != '|') {
            return null;
        }
        String[] p = site.split("\\|", 4);
        if (p.length < 4) {
            return null;
        }
        return new SiteRef(p[0].charAt(0), p[1], p[2], p[3]);
    }

    /** {@code class.method:line} (or {@code class.method} without a line), for people; the constant if malformed. */
    public static String readable(String site) {
        SiteRef ref = parse(site);
        if (ref == null) {
            return site;
        }
        int line = ref.kind() == 'M' ? SiteLines.firstLine(ref.className(), ref.method(), ref.detail()) : ref.line();
        return ref.className() + '.' + ref.method() + (line > 0 ? ":" + line : "");
    }

    /** The line for an {@code A} site, else 0. */
    public int line() {
        if (kind != 'A') {
            return 0;
        }
        try {
            return Integer.parseInt(detail);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
