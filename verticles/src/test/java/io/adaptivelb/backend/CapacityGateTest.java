package io.adaptivelb.backend;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The simulated worker pool: at most {@code capacity} in service, the rest served in arrival order. */
class CapacityGateTest {

  private final List<Integer> served = new ArrayList<>();

  private void arrive(CapacityGate gate, int request) {
    gate.enter(() -> served.add(request));
  }

  @Test
  void waitingRequestsAreServedInArrivalOrder() {
    CapacityGate gate = new CapacityGate(2);
    for (int i = 0; i < 6; i++) {
      arrive(gate, i);
    }
    assertEquals(List.of(0, 1), served);
    assertEquals(2, gate.active());
    assertEquals(4, gate.queued());
    for (int i = 0; i < 4; i++) {
      gate.leave();
    }
    assertEquals(List.of(0, 1, 2, 3, 4, 5), served);
    assertEquals(2, gate.active());
    assertEquals(0, gate.queued());
  }

  @Test
  void raisingCapacityUnderLoadAdmitsTheOldestWaitingAtOnce() {
    CapacityGate gate = new CapacityGate(1);
    for (int i = 0; i < 5; i++) {
      arrive(gate, i);
    }
    gate.resize(3);
    assertEquals(List.of(0, 1, 2), served);
    assertEquals(3, gate.active());
    assertEquals(2, gate.queued());
  }

  @Test
  void loweringCapacityUnderLoadLetsTheBusyFinishAndAdmitsNoneUntilBelowIt() {
    CapacityGate gate = new CapacityGate(3);
    for (int i = 0; i < 5; i++) {
      arrive(gate, i);
    }
    gate.resize(1);
    gate.leave();
    gate.leave();
    assertEquals(List.of(0, 1, 2), served, "still two... then one in service: nobody admitted yet");
    gate.leave();
    assertEquals(List.of(0, 1, 2, 3), served);
    assertEquals(1, gate.active());
  }

  @Test
  void capacityZeroIsUnboundedAndFreesEveryWaiterWhenSetUnderLoad() {
    CapacityGate unbounded = new CapacityGate(0);
    for (int i = 0; i < 100; i++) {
      arrive(unbounded, i);
    }
    assertEquals(100, served.size());
    served.clear();
    CapacityGate gate = new CapacityGate(1);
    for (int i = 0; i < 4; i++) {
      arrive(gate, i);
    }
    gate.resize(0);
    assertEquals(List.of(0, 1, 2, 3), served);
    assertEquals(0, gate.queued());
  }
}
