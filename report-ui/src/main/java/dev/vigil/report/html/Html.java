package dev.vigil.report.html;

import dev.vigil.report.text.Terminal;

/**
 * HTML escaping. Every string that comes from a report goes through here, with no exception.
 * Besides the markup characters, control characters (but newline and tab, which are whitespace
 * in the page) and bidirectional controls become visible {@code \}{@code uXXXX} text, as in
 * {@link dev.vigil.report.text.Terminal#safe}: a thread name cannot reverse the text around it.
 */
public final class Html {

    private Html() {
    }

    public static String escape(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> c != '\n' && c != '\t' && Terminal.unsafe(c) ? String.format("\\u%04x", (int) c) : null;
            };
            if (rep != null) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(rep);
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
