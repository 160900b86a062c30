package io.chronoprice.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FaultsTest {
    @Test
    void injectsNothingByDefault() {
        Faults faults = new Faults(FaultConfig.NONE);

        assertThat(IntStream.range(0, 1000).mapToObj(i -> faults.next())).allSatisfy(d -> {
            assertThat(d.kind()).isEqualTo(Faults.Kind.NONE);
            assertThat(d.delayMillis()).isZero();
        });
    }

    @Test
    void aSeedReproducesTheSameSequenceAndHalfTheRequestsFailAtFractionOneHalf() {
        FaultConfig config = FaultConfig.NONE.withServerErrors(0.5).withSeed(42);
        List<Faults.Decision> first = draw(new Faults(config), 1000);
        List<Faults.Decision> second = draw(new Faults(config), 1000);

        assertThat(first).isEqualTo(second);
        long failed =
                first.stream().filter(d -> d.kind() == Faults.Kind.SERVER_ERROR).count();
        assertThat(failed).isBetween(450L, 550L);
        assertThat(first)
                .filteredOn(d -> d.kind() == Faults.Kind.SERVER_ERROR)
                .extracting(Faults.Decision::status)
                .containsOnly(500, 502, 503);
    }

    @Test
    void splitsRequestsBetweenTheOutcomeFaultsAndDelaysAFraction() {
        FaultConfig config = FaultConfig.NONE
                .withServerErrors(0.25)
                .withTooManyRequests(0.25, 7)
                .withMalformedBodies(0.25)
                .withTruncatedBodies(0.25)
                .withDelay(30, 0.5);

        List<Faults.Decision> decisions = draw(new Faults(config), 2000);

        for (Faults.Kind kind : List.of(
                Faults.Kind.SERVER_ERROR,
                Faults.Kind.TOO_MANY_REQUESTS,
                Faults.Kind.MALFORMED_BODY,
                Faults.Kind.TRUNCATED_BODY)) {
            assertThat(decisions.stream().filter(d -> d.kind() == kind).count())
                    .as(kind.name())
                    .isBetween(400L, 600L);
        }
        assertThat(decisions)
                .filteredOn(d -> d.kind() == Faults.Kind.TOO_MANY_REQUESTS)
                .allSatisfy(d -> assertThat(d.retryAfterSeconds()).isEqualTo(7));
        assertThat(decisions.stream().filter(d -> d.delayMillis() == 30).count())
                .isBetween(900L, 1100L);
    }

    @Test
    void rejectsFractionsOutsideZeroToOneOrAddingUpToMoreThanOne() {
        assertThatThrownBy(() -> FaultConfig.NONE.withServerErrors(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultConfig.NONE.withServerErrors(0.6).withMalformedBodies(0.6))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultConfig.NONE.withDelay(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Faults.Decision> draw(Faults faults, int n) {
        List<Faults.Decision> decisions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            decisions.add(faults.next());
        }
        return decisions;
    }
}
