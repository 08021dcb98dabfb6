package dev.vigil.it;

import dev.vigil.it.support.Workload;

/** The Spring Boot 4 service of workloads/spring-service (Tomcat, HikariCP, H2, @Async, @Scheduled, Caffeine). */
class SpringServiceTest extends ServiceUnderAgentTest {

    @Override
    Workload workload() {
        return Workload.SPRING;
    }
}
