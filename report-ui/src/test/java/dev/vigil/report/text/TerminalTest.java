package dev.vigil.report.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTest {

    @Test
    void plainTextOfAnyScriptIsKeptAsItIs() {
        String s = "worker-1 Äpfel 工作线程 עובד عامل C:\\tmp\\x \"quoted\" 'q' <b>&";
        assertThat(Terminal.safe(s)).isSameAs(s);
    }

    @Test
    void newlinesCannotForgeALine() {
        assertThat(Terminal.safe("evil\nvigil: ERROR deadlock: forged\r\n"))
                .isEqualTo("evil\\nvigil: ERROR deadlock: forged\\r\\n")
                .doesNotContain("\n", "\r");
    }

    @Test
    void escapeSequencesAndOtherControlsBecomeVisibleEscapes() {
        String ansi = "\u001b[2J\u001b[31mred\u001b]0;title\u0007\u0000\u007f\u0085\u009b";
        String safe = Terminal.safe(ansi);
        assertThat(safe).isEqualTo("\\u001b[2J\\u001b[31mred\\u001b]0;title\\u0007\\u0000\\u007f\\u0085\\u009b");
        assertThat(safe.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
        assertThat(Terminal.safe("a\tb")).isEqualTo("a\\tb");
    }

    @Test
    void bidiControlsAreNeutralised() {
        String s = "x\u202ay\u202bz\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029";
        assertThat(Terminal.safe(s)).isEqualTo("x\\u202ay\\u202bz\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069"
                + "\\u200e\\u200f\\u061c\\u2028\\u2029");
        for (char c = 0; c < 0xffff; c++) {
            if (Terminal.isBidiControl(c)) {
                assertThat(Terminal.unsafe(c)).isTrue();
            }
        }
    }

    @Test
    void nullPrintsAsNull() {
        assertThat(Terminal.safe(null)).isEqualTo("null");
    }
}
