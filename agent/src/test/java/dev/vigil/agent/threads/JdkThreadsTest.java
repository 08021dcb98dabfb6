package dev.vigil.agent.threads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.report.model.Frame;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdkThreadsTest {

    private static Frame jdk(String cls, String method) {
        return new Frame(cls, method, null, 1, false);
    }

    private static Frame app(String cls, String method) {
        return new Frame(cls, method, "App.java", 10, true);
    }

    @Test
    void threadsTheJdkStartsUnderApplicationFramesAreTheJdks() {
        Thread plain = new Thread(() -> { });
        assertThat(JdkThreads.startedByJdk(plain, List.of(jdk("java.lang.ApplicationShutdownHooks", "runHooks"),
                jdk("java.lang.Shutdown", "exit"), jdk("java.lang.System", "exit"), app("com.acme.Main", "main")))).isTrue();
        assertThat(JdkThreads.startedByJdk(plain, List.of(jdk("jdk.internal.ref.CleanerImpl", "start"),
                jdk("java.lang.ref.Cleaner", "create"), app("com.acme.Main", "<clinit>")))).isTrue();
        assertThat(JdkThreads.startedByJdk(plain, List.of(jdk("java.lang.VirtualThread", "createUnblocker"),
                app("com.acme.Main", "main")))).isTrue();
        assertThat(JdkThreads.startedByJdk(plain, List.of(jdk("jdk.jfr.internal.PlatformRecorder", "startDiskMonitor"),
                jdk("jdk.jfr.Recording", "start"), app("com.acme.Main", "main")))).isTrue();
    }

    @Test
    void jdkApisThatStartThreadsForTheApplicationStayTheApplications() {
        Thread plain = new Thread(() -> { });
        assertThat(JdkThreads.startedByJdk(plain, List.of(jdk("java.util.Timer", "<init>"), app("com.acme.Main", "main"))))
                .as("a Timer is the application's").isFalse();
        assertThat(JdkThreads.startedByJdk(plain, List.of(app("com.acme.Main", "main")))).isFalse();
        assertThat(JdkThreads.startedByJdk(plain, List.of(app("com.acme.Hooks", "install"),
                jdk("java.lang.ApplicationShutdownHooks", "runHooks")))).as("only frames below the first application frame")
                .isFalse();
        assertThat(JdkThreads.isShutdownHook(List.of(jdk("java.lang.ApplicationShutdownHooks", "runHooks")))).isTrue();
    }

    @Test
    void onlyTheThreadRunningTheExitIsExiting() {
        assertThat(JdkThreads.isExiting(Thread.currentThread())).isFalse();
        assertThat(JdkThreads.isExiting(null)).isFalse();
    }
}
