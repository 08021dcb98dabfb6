package dev.vigil.report.text;

/**
 * Makes text from the observed program (thread names, exception messages, queue labels, titles
 * built from them, file contents quoted in an error) safe to print on a terminal: the result is
 * one line that cannot move the cursor, change colours, set the window title or reorder the text
 * around it.
 *
 * <ul>
 *   <li>newline, carriage return and tab become {@code \n}, {@code \r}, {@code \t};</li>
 *   <li>every other C0 control, DEL and every C1 control (ESC, NUL, BEL, CSI, NEL...) becomes
 *       {@code \}{@code u00XX};</li>
 *   <li>bidirectional controls (embeddings and overrides U+202A-U+202E, isolates U+2066-U+2069,
 *       the marks U+200E, U+200F, U+061C) and the line and paragraph separators U+2028, U+2029
 *       become {@code \}{@code uXXXX}, so they are seen and have no effect.</li>
 * </ul>
 * Everything else, letters of any script included, is kept.
 */
public final class Terminal {

    private Terminal() {
    }

    /** The text, made inert; {@code "null"} for null (as string concatenation would print it). */
    public static String safe(Object value) {
        return replaceEach(String.valueOf(value), Terminal::replacement);
    }

    /** What a character becomes, or null to keep it. */
    public interface Replacement {
        String of(char c);
    }

    /** {@code s} with each character replaced as {@code replacement} says; {@code s} itself when none is. */
    public static String replaceEach(String s, Replacement replacement) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = replacement.of(c);
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

    /** True for a character {@link #safe} replaces. */
    public static boolean unsafe(char c) {
        return replacement(c) != null;
    }

    private static String replacement(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || isBidiControl(c) || c == '\u2028' || c == '\u2029') {
            return String.format("\\u%04x", (int) c);
        }
        return null;
    }

    /** Embeddings, overrides, isolates and the directional marks. */
    public static boolean isBidiControl(char c) {
        return (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e' || c == '\u200f' || c == '\u061c';
    }
}
