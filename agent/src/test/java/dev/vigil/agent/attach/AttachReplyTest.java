package dev.vigil.agent.attach;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class AttachReplyTest {

    @Test
    void theCommandsPrefixIsSplitFromTheUsersOptions() {
        String args = AttachReply.arguments("1234-ab", "report=/tmp/r,threadGrowth=3");
        assertThat(AttachReply.id(args)).isEqualTo("1234-ab");
        assertThat(AttachReply.options(args)).isEqualTo("report=/tmp/r,threadGrowth=3");
        assertThat(AttachReply.options(AttachReply.arguments("x", ""))).isEmpty();
    }

    @Test
    void argumentsWithoutThePrefixAreTheOptionsAsTheyAre() {
        assertThat(AttachReply.id("report=/tmp/r")).isNull();
        assertThat(AttachReply.options("report=/tmp/r")).isEqualTo("report=/tmp/r");
        assertThat(AttachReply.id(null)).isNull();
        assertThat(AttachReply.id("@vigil-attach:no-end")).isNull();
    }

    @Test
    void onlyTheAnswerToThisAttachIsRead() {
        Properties agent = new Properties();
        Properties system = new Properties();
        assertThat(AttachReply.read(agent, system, "a")).isNull();
        agent.setProperty(AttachReply.KEY, "old already Vigil is already running");
        assertThat(AttachReply.read(agent, system, "a")).as("an earlier attach's answer").isNull();
        agent.setProperty(AttachReply.KEY, "a error vigil: bad agent option: unknown option 'x'");
        assertThat(AttachReply.read(agent, system, "a")).containsExactly("error", "vigil: bad agent option: unknown option 'x'");
        Properties none = new Properties();
        system.setProperty(AttachReply.KEY, "b ok /srv/report");
        assertThat(AttachReply.read(none, system, "b")).containsExactly("ok", "/srv/report");
    }
}
