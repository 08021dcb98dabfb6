package dev.vigil.agent.findings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FingerprintsTest {

    @Test
    void namesARunGeneratesAnewDoNotChangeTheFingerprint() {
        String[][] sameSiteTwoRuns = {
            {"A|com.shop.Pool$$EnhancerBySpringCGLIB$$1a2b3c4d|CGLIB$recycleConnection$13|88",
             "A|com.shop.Pool$$EnhancerBySpringCGLIB$$9f8e7d6c|CGLIB$recycleConnection$7|88"},
            {"A|com.shop.Pool$$SpringCGLIB$$0|take|12", "A|com.shop.Pool$$SpringCGLIB$$3|take|12"},
            {"A|com.shop.Main$$Lambda$14/0x0000000800c03000|run|5", "A|com.shop.Main$$Lambda$31/0x0000000800c44a00|run|5"},
            {"A|com.shop.Main$$Lambda/0x000001f0810a3c48|run|5", "A|com.shop.Main$$Lambda/0x000002aa10004000|run|5"},
            {"A|com.shop.Repo$MockitoMock$1408652377|save|3", "A|com.shop.Repo$MockitoMock$88217|save|3"},
            {"A|com.shop.Repo$ByteBuddy$aBcD1234|save|3", "A|com.shop.Repo$ByteBuddy$ZyXw9876|save|3"},
            {"A|com.shop.Order$HibernateProxy$Qw12Er34|total|9", "A|com.shop.Order$HibernateProxy$Zx98Cv76|total|9"},
            {"A|jdk.proxy2.$Proxy12|handle|0", "A|jdk.proxy3.$Proxy40|handle|0"},
            {"A|jdk.internal.reflect.GeneratedMethodAccessor12|invoke|0",
             "A|jdk.internal.reflect.GeneratedMethodAccessor3|invoke|0"},
        };
        for (String[] runs : sameSiteTwoRuns) {
            assertThat(Fingerprints.of("task-leak", runs[0])).as(runs[0]).isEqualTo(Fingerprints.of("task-leak", runs[1]));
        }
    }

    @Test
    void whatTheCompilerNamedAndEveryOtherPartOfASiteStillCounts() {
        String site = "A|com.shop.Pool$$EnhancerBySpringCGLIB$$1a2b3c4d|CGLIB$recycleConnection$13|88";
        String[] different = {
            "A|com.shop.Pool$$EnhancerBySpringCGLIB$$1a2b3c4d|CGLIB$recycleConnection$13|89", // another line
            "A|com.shop.Cache$$EnhancerBySpringCGLIB$$1a2b3c4d|CGLIB$recycleConnection$13|88", // another class
            "A|com.shop.Pool$$EnhancerBySpringCGLIB$$1a2b3c4d|CGLIB$closeConnection$13|88", // another method
        };
        for (String d : different) {
            assertThat(Fingerprints.of("task-leak", d)).as(d).isNotEqualTo(Fingerprints.of("task-leak", site));
        }
        assertThat(Fingerprints.of("task-leak", "A|com.shop.Main$1|run|5"))
                .as("anonymous classes are numbered by the compiler: stable, and distinct")
                .isNotEqualTo(Fingerprints.of("task-leak", "A|com.shop.Main$2|run|5"));
        assertThat(Fingerprints.of("task-leak", "A|com.shop.Main|lambda$main$0|5"))
                .isNotEqualTo(Fingerprints.of("task-leak", "A|com.shop.Main|lambda$main$1|5"));
        assertThat(Fingerprints.of("task-leak", "A|com.shop.Main|run|5"))
                .isNotEqualTo(Fingerprints.of("thread-leak", "A|com.shop.Main|run|5"));
        assertThat(Fingerprints.stable("A|com.shop.Main|run|5")).isEqualTo("A|com.shop.Main|run|5");
    }
}
