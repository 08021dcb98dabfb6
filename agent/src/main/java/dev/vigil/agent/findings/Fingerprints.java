package dev.vigil.agent.findings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * Stable finding fingerprints: a hash of the kind and the code sites, nothing run-specific. Names
 * that the JVM or a library generates anew in each run (hidden lambda classes, CGLIB and Byte
 * Buddy subclasses, Mockito mocks, Hibernate and JDK proxies, reflection accessors) are hashed
 * without their run-specific part, so a baseline or suppression of a finding in proxied code holds
 * on the next run. Names the compiler chose ({@code Foo$1}, {@code lambda$main$0}) are kept.
 */
public final class Fingerprints {

    private Fingerprints() {
    }

    public static String of(String kind, String... siteKeys) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(kind.getBytes(StandardCharsets.UTF_8));
            for (String k : siteKeys) {
                md.update((byte) 0);
                md.update(stable(k).getBytes(StandardCharsets.UTF_8));
            }
            byte[] d = md.digest();
            StringBuilder sb = new StringBuilder(16);
            for (int i = 0; i < 8; i++) {
                sb.append(Character.forDigit((d[i] >> 4) & 0xF, 16)).append(Character.forDigit(d[i] & 0xF, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Generated name parts and what they become; applied in order. */
    private static final Pattern[] GENERATED = {
        Pattern.compile("\\$\\$Lambda(?:\\$\\d+)?/0x[0-9a-fA-F]+"),                         // Foo$$Lambda$14/0x0000000800c03000
        Pattern.compile("\\$\\$(EnhancerBy\\w*?CGLIB|FastClassBy\\w*?CGLIB|SpringCGLIB)\\$\\$\\w+"), // Foo$$EnhancerBySpringCGLIB$$1a2b3c
        Pattern.compile("CGLIB\\$(\\w+?)\\$\\d+"),                                         // CGLIB$recycleConnection$13
        Pattern.compile("\\$(ByteBuddy|MockitoMock|HibernateProxy)\\$\\w+"),                  // Foo$MockitoMock$1234567
        Pattern.compile("(?:(?:jdk\\.proxy\\d+|com\\.sun\\.proxy)\\.)?\\$Proxy\\d+"),            // jdk.proxy2.$Proxy12
        Pattern.compile("(Generated(?:Serialization)?(?:Method|Constructor)Accessor)\\d+"),   // GeneratedMethodAccessor12
    };
    private static final String[] STABLE = {
        "\\$\\$Lambda", "\\$\\$$1", "CGLIB\\$$1", "\\$$1", "\\$Proxy", "$1",
    };

    /** {@code key} without the parts a run generates anew. */
    static String stable(String key) {
        if (key.indexOf('$') < 0 && !key.contains("Generated")) {
            return key; // the common case: nothing generated
        }
        String k = key;
        for (int i = 0; i < GENERATED.length; i++) {
            k = GENERATED[i].matcher(k).replaceAll(STABLE[i]);
        }
        return k;
    }
}
