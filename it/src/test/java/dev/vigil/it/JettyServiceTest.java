package dev.vigil.it;

import dev.vigil.it.support.Workload;

/** The Jetty 12 server of workloads/jetty-service (core Handler API, QueuedThreadPool, a scheduler). */
class JettyServiceTest extends ServiceUnderAgentTest {

    @Override
    Workload workload() {
        return Workload.JETTY;
    }
}
