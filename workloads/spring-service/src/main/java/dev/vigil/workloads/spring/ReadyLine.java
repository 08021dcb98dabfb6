package dev.vigil.workloads.spring;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Prints the line a harness waits for, once the service accepts requests. */
@Component
class ReadyLine {

    private final Environment environment;

    ReadyLine(Environment environment) {
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        System.out.println("READY port=" + environment.getProperty("local.server.port"));
        System.out.flush();
    }
}
