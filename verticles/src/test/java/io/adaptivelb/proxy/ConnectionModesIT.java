package io.adaptivelb.proxy;

import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The two upstream connection modes, counted at the backends' accept calls. */
@ExtendWith(VertxExtension.class)
class ConnectionModesIT {

  @Test
  void nonPersistentOpensOneUpstreamConnectionPerRequest(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(0)).backend("b2", constant(0))
      .proxy("connection", "non-persistent").start(vertx)) {
      for (int i = 0; i < 50; i++) {
        assertEquals(200, lab.get("/").statusCode());
      }
      assertEquals(25, lab.served("b1"));
      assertEquals(25, lab.connections("b1"));
      assertEquals(25, lab.connections("b2"));
    }
  }

  @Test
  void persistentReusesPooledConnections(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(0)).backend("b2", constant(0))
      .proxy("connection", "persistent").start(vertx)) {
      for (int i = 0; i < 50; i++) {
        assertEquals(200, lab.get("/").statusCode());
      }
      assertEquals(25, lab.served("b1"));
      assertEquals(1, lab.connections("b1"));
      assertEquals(1, lab.connections("b2"));
    }
  }
}
