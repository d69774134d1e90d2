package io.adaptivelb.policy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The docs say what the code does: the catalog in docs/policies.md, the example in the guide. */
class PolicyDocsTest {

  private static final String CATALOG_MARKER = "<!-- The rest of this file is `java -jar target/adaptive-lb.jar policies`";

  @Test
  void policiesMdEndsWithTheCatalog() throws IOException {
    String doc = Files.readString(Path.of("docs", "policies.md"));
    int marker = doc.indexOf(CATALOG_MARKER);
    assertTrue(marker >= 0, "docs/policies.md lacks the line " + CATALOG_MARKER);
    String generated = doc.substring(doc.indexOf('\n', marker) + 1);
    assertEquals("\n" + CatalogMarkdown.render(PolicyCatalog.builtIn()), generated,
      "docs/policies.md and the catalog disagree; refresh it as docs/writing-a-policy.md says (step 3)");
  }

  @Test
  void theGuidesExampleIsTheClassInTheTestSources() throws IOException {
    String guide = Files.readString(Path.of("docs", "writing-a-policy.md"));
    String source = Files.readString(Path.of("verticles", "src", "test", "java", "io", "adaptivelb", "policy",
      "InverseLatencyPolicy.java"));
    assertTrue(guide.contains("```java\n" + source + "```\n"),
      "docs/writing-a-policy.md must show InverseLatencyPolicy.java from the test sources as it is");
  }
}
