package dev.vigil.testapp;

/** Application classes for the agent's unit tests (the agent's own packages are never application code). */
public final class Pages {

    private Pages() {
    }

    public static class StoredPage {
    }

    public static final class AllocPage extends StoredPage {
    }

    public static final class Handle {
    }
}
