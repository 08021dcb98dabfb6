package dev.vigil.agent.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.report.model.Frame;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageFilterTest {

    @Test
    void jdkAndVigilAreNeverApplication() {
        PackageFilter all = PackageFilter.all();
        assertThat(all.isApplication("java.lang.Thread")).isFalse();
        assertThat(all.isApplication("jdk.internal.misc.Unsafe")).isFalse();
        assertThat(all.isApplication("sun.nio.ch.Net")).isFalse();
        assertThat(all.isApplication("dev.vigil.agent.VigilAgent")).isFalse();
        assertThat(all.isApplication("dev.vigil.shaded.bytebuddy.ByteBuddy")).isFalse();
        assertThat(all.isApplication("dev.vigil.examples.threads.UnstoppedWorker")).isTrue();
        assertThat(all.isApplication("com.acme.Main")).isTrue();
        assertThat(PackageFilter.of("java.*", "").isApplication("java.util.Vector")).isFalse();
    }

    @Test
    void testRunnersArePlatformCodeUnlessIncludedByName() {
        PackageFilter all = PackageFilter.all();
        for (String runner : List.of("org.apache.maven.surefire.booter.ForkedBooter",
                "org.apache.maven.plugin.surefire.booterclient.ForkStarter", "org.junit.platform.launcher.core.EngineExecutionOrchestrator",
                "org.gradle.api.internal.tasks.testing.worker.TestWorker", "worker.org.gradle.process.internal.worker.GradleWorkerMain",
                "com.intellij.rt.junit.JUnitStarter", "org.eclipse.jdt.internal.junit5.runner.JUnit5TestReference",
                // Mockito's mock makers and the classes they generate (issue 15 part 4)
                "org.mockito.internal.creation.bytebuddy.TypeCachingBytecodeGenerator",
                "org.mockito.codegen.Semaphore$MockitoMock$1234",
                // the executable jar's launcher and its nested-jar class loader
                "org.springframework.boot.loader.launch.JarLauncher", "org.springframework.boot.loader.jar.NestedJarFile")) {
            assertThat(all.isApplication(runner)).as(runner).isFalse();
            assertThat(PackageFilter.isTestRunner(runner)).as(runner).isTrue();
        }
        assertThat(all.isApplication("org.junit.jupiter.api.Assertions")).as("not a runner").isTrue();
        assertThat(all.isApplication("org.springframework.boot.SpringApplication")).as("not the launcher").isTrue();
        assertThat(PackageFilter.of("org.junit.platform.*", "").isApplication("org.junit.platform.launcher.Launcher"))
                .as("named by include").isTrue();
    }

    @Test
    void wildcards() {
        PackageFilter f = PackageFilter.of("com.acme.*:org.?x.Main", "com.acme.internal.*");
        assertThat(f.isApplication("com.acme.a.B")).isTrue();
        assertThat(f.isApplication("org.ax.Main")).isTrue();
        assertThat(f.isApplication("org.abx.Main")).isFalse();
        assertThat(f.isApplication("com.acme.internal.X")).isFalse();
        assertThat(f.isApplication("com.acmeX.Y")).isFalse();
    }

    @Test
    void siteKeyUsesApplicationFramesOnlySoJdkUpdatesKeepFingerprints() {
        List<Frame> jdk17 = List.of(new Frame("java.lang.Thread", "start", "Thread.java", 798, false),
                new Frame("com.acme.Svc", "run", "Svc.java", 10, true),
                new Frame("com.acme.Main", "main", "Main.java", 5, true));
        List<Frame> jdk25 = List.of(new Frame("java.lang.Thread", "start", "Thread.java", 1500, false),
                new Frame("com.acme.Svc", "run", "Svc.java", 10, true),
                new Frame("com.acme.Main", "main", "Main.java", 5, true));
        assertThat(StackFrames.siteKey(jdk17, 8)).isEqualTo(StackFrames.siteKey(jdk25, 8));
        assertThat(StackFrames.siteKey(jdk17, 1)).isEqualTo("com.acme.Svc.run:10\n");
        assertThat(StackFrames.site("thread start", jdk17).location()).isEqualTo("Svc.java:10");
    }

    @Test
    void callerStackStartsBelowTheHookedMethod() {
        StackTraceElement[] raw = {
            new StackTraceElement("dev.vigil.agent.threads.ThreadLedger", "starting", "ThreadLedger.java", 1),
            new StackTraceElement("java.lang.Thread", "start", "Thread.java", 2),
            new StackTraceElement("java.lang.Thread", "start", "Thread.java", 3),
            new StackTraceElement("com.acme.Svc", "run", "Svc.java", 10),
        };
        List<Frame> frames = new StackFrames(PackageFilter.all()).callerStack(raw, "java.lang.Thread", "start");
        assertThat(frames).extracting(Frame::className).containsExactly("com.acme.Svc");
        assertThat(frames.get(0).app()).isTrue();
    }
}
