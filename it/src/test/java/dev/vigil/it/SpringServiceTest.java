package dev.vigil.it;

import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Spring Boot 4 service of workloads/spring-service (Tomcat, HikariCP, H2, @Async, @Scheduled, Caffeine). */
class SpringServiceTest extends ServiceUnderAgentTest {

    @Override
    Workload workload() {
        return Workload.SPRING;
    }

    /**
     * The same service with Spring Boot's virtual threads on (JDK 21+): Tomcat serves each request
     * on a virtual thread of its own. A request's thread ends with it, and those of idle keep-alive
     * connections end when the connector stops: no virtual thread is left at exit, no finding.
     */
    @ParameterizedTest
    @MethodSource("dev.vigil.it.VirtualThreadTest#jdksWithVirtualThreads")
    void withVirtualThreadsTheCorrectServiceHasNoFindingsEither(Jdk jdk) {
        assertNoFindings(jdk, "-Dspring.threads.virtual.enabled=true");
    }
}
