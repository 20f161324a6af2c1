package io.riskgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One run at a time per principal: a second is refused while the first holds its slot, never queued. */
class InFlightTest {

    final InFlight inFlight = new InFlight();

    @Test
    void aSecondRunOfTheSamePrincipalOnAnotherThreadIsRefusedWhileTheFirstRuns() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch secondTried = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> first = pool.submit(() -> {
                try (InFlight.Slot slot = inFlight.enter("anna").orElseThrow()) {
                    firstRunning.countDown();
                    // holds its slot until the second has tried
                    return secondTried.await(10, TimeUnit.SECONDS);
                }
            });
            Future<Boolean> second = pool.submit(() -> {
                firstRunning.await(10, TimeUnit.SECONDS);
                Optional<InFlight.Slot> slot = inFlight.enter("anna");
                secondTried.countDown();
                slot.ifPresent(InFlight.Slot::close);
                return slot.isPresent();
            });

            assertThat(second.get(10, TimeUnit.SECONDS)).as("the second got a slot").isFalse();
            assertThat(first.get(10, TimeUnit.SECONDS)).as("the first held its slot throughout").isTrue();
        } finally {
            pool.shutdownNow();
        }
        // the first has answered: the next may start
        try (InFlight.Slot next = inFlight.enter("anna").orElseThrow()) {
            assertThat(next).isNotNull();
        }
    }

    @Test
    void anotherPrincipalRunsAlongside() {
        try (InFlight.Slot anna = inFlight.enter("anna").orElseThrow()) {
            Optional<InFlight.Slot> ben = inFlight.enter("ben");

            assertThat(ben).isPresent();
            ben.get().close();
        }
    }

    @Test
    void closingASlotTwiceDoesNotFreeTheNextHoldersSlot() {
        InFlight.Slot first = inFlight.enter("anna").orElseThrow();
        first.close();
        InFlight.Slot second = inFlight.enter("anna").orElseThrow();

        first.close();

        assertThat(inFlight.enter("anna")).as("anna's second run still holds the slot").isEmpty();
        second.close();
        assertThat(inFlight.enter("anna")).isPresent();
    }
}
