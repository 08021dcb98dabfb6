package dev.vigil.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails each test that leaks threads (and, with the Vigil agent attached, that creates a finding
 * at or above {@link #failOn()}). Put it on a test class or method, or use
 * {@code @ExtendWith(VigilExtension.class)} for the defaults. See {@link VigilExtension}.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(VigilExtension.class)
public @interface VigilCheck {

    /** How long threads the test started may take to end after it returned, in milliseconds. */
    long graceMillis() default VigilExtension.DEFAULT_GRACE_MILLIS;

    /**
     * With the agent attached: findings at or above this severity that appear during the test
     * fail it ({@code error}, {@code warning}, {@code info}, or {@code none}).
     */
    String failOn() default "warning";
}
