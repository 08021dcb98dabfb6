package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Paths;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The MBean {@code dev.vigil:type=Vigil} over a local JMX connection, the way JConsole reaches
 * it: attributes, {@code resetScope} (threads alive now stop being findings, later ones are),
 * {@code writeReport}.
 */
class MBeanTest {

    @TempDir
    Path work;


    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void resetScopeThenWriteReport(Jdk jdk) throws Exception {
        Path signal = work.resolve("go");
        ChildJvm service = ChildJvm.on(jdk, work.resolve("service")).classpath(Paths.testClasses().toString())
                .agentOptions("threadGrowth=3,summary=false")
                .main("dev.vigil.it.fixtures.LongRunningService", signal.toString());
        ChildJvm.Running running = service.start();
        try {
            running.awaitStdout("ready");
            VirtualMachine vm = VirtualMachine.attach(Long.toString(running.process().pid()));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection server = c.getMBeanServerConnection();
                ObjectName vigil = new ObjectName("dev.vigil:type=Vigil");
                awaitRegistered(server, vigil);
                assertThat(server.getAttribute(vigil, "Mode")).isEqualTo("startup");
                assertThat(server.getAttribute(vigil, "ReportFile")).isEqualTo(service.reportJson().toString());

                Object path = server.invoke(vigil, "writeReport", new Object[0], new String[0]);
                assertThat(path).isEqualTo(service.reportJson().toString());
                Report before = running.awaitReport(r -> "on-demand".equals(r.run().trigger()));
                assertThat(Findings.single(before, FindingKinds.THREAD_LEAK).threads()).extracting(t -> t.name())
                        .containsExactlyInAnyOrder("early-0", "early-1", "early-2");

                Object left = server.invoke(vigil, "resetScope", new Object[0], new String[0]);
                assertThat(left).as("the three early workers leave scope").isEqualTo(3);
                Files.writeString(signal, "go");
                running.awaitStdout("late workers started");
                Files.delete(service.reportJson());
                server.invoke(vigil, "writeReport", new Object[0], new String[0]);
                Report after = running.awaitReport(r -> "on-demand".equals(r.run().trigger()));
                Finding late = Findings.single(after, FindingKinds.THREAD_LEAK);
                assertThat(late.threads()).extracting(t -> t.name()).containsExactlyInAnyOrder("late-0", "late-1", "late-2");
                assertThat(after.run().mode()).isEqualTo("startup");
            }
            assertThat(running.process().isAlive()).isTrue();
        } finally {
            running.kill();
        }
    }

    /** The agent registers its MBean just after start-up, on its own thread. */
    private static void awaitRegistered(MBeanServerConnection server, ObjectName name) throws Exception {
        long deadline = System.nanoTime() + ChildJvm.TIMEOUT.toNanos();
        while (!server.isRegistered(name)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " never registered");
            }
            Thread.sleep(20);
        }
    }
}
