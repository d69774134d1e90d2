package io.adaptivelb;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Vert.x and Netty internals are reached through one boundary, {@code io.adaptivelb.internals.VertxInternals}
 * (with the one class it must place in Vert.x's own package to reach a package-private builder), so a
 * Vert.x upgrade is checked in one place. A failure names the class that went around it.
 */
class InternalsBoundaryTest {

  @Test
  void onlyTheBoundaryUsesVertxOrNettyInternals() {
    JavaClasses main = new ClassFileImporter().importPath(Path.of("target", "classes"));
    noClasses().that().resideOutsideOfPackages("io.adaptivelb.internals..", "io.vertx..")
      .should().dependOnClassesThat().resideInAnyPackage("io.vertx.core.internal..", "io.vertx..impl..",
        "io.netty..internal..")
      .check(main);
  }
}
