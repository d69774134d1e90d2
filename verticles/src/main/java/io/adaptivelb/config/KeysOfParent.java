package io.adaptivelb.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a config record read from its parent's JSON object rather than from a key of its own (it groups
 * keys in code only): its fields' keys are the parent's, e.g. {@code proxy.tls}, not {@code proxy.protocols.tls}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface KeysOfParent {
}
