package io.adaptivelb;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The packages of the main code depend on each other without cycles, so each can be read and tested
 * after the ones it uses. A failure names the cycle and the dependencies that close it.
 */
class PackageCyclesTest {

  /** Every package is a slice of its own, the root package included. */
  private static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String name = javaClass.getPackageName();
      return name.startsWith("io.adaptivelb") ? SliceIdentifier.of(name) : SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "packages of io.adaptivelb";
    }
  };

  @Test
  void mainPackagesAreFreeOfCycles() {
    // Maven's main output only: test classes may depend on anything.
    JavaClasses main = new ClassFileImporter().importPath(Path.of("target", "classes"));
    slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(main);
  }
}
