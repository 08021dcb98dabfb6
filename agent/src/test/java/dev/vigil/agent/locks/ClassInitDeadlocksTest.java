package dev.vigil.agent.locks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassInitDeadlocksTest {

    @Test
    void theThreadDumpSaysWhichThreadWaitsForWhichClassOnJdk17And25() {
        String dump = String.join("\n",
                "\"init-a\" #12 prio=5 os_prio=0 cpu=0.39ms elapsed=1.68s tid=0x00007f891c119390 nid=0x4312 in Object.wait()",
                "   java.lang.Thread.State: RUNNABLE",
                "\tat ClinitDeadlock$A.<clinit>(ClinitDeadlock.java:2)",
                "\t- waiting on the Class initialization monitor for ClinitDeadlock$B",
                "",
                "\"a \\\"quoted\\\" name #99 \" #22 [25777] prio=5 os_prio=0 cpu=0.38ms in Object.wait()",
                "   java.lang.Thread.State: RUNNABLE",
                "\tat p.B.<clinit>(B.java:3)",
                "\t- waiting on the Class initialization monitor for p.A",
                "",
                "\"worker\" #23 prio=5 waiting on condition",
                "   java.lang.Thread.State: WAITING (parking)",
                "\t- parking to wait for  <0x000000062a8> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)");
        assertThat(ClassInitDeadlocks.classWaits(dump)).containsOnly(
                org.assertj.core.api.Assertions.entry(12L, "ClinitDeadlock$B"),
                org.assertj.core.api.Assertions.entry(22L, "p.A"));
        assertThat(ClassInitDeadlocks.classWaits("not a thread dump")).isEmpty();
    }
}
