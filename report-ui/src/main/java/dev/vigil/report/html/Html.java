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
        return Terminal.replaceEach(value.toString(), Html::replacement);
    }

    private static String replacement(char c) {
        return switch (c) {
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '&' -> "&amp;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> c != '\n' && c != '\t' && Terminal.unsafe(c) ? String.format("\\u%04x", (int) c) : null;
        };
    }
}
