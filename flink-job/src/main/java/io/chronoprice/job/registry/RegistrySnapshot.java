package io.chronoprice.job.registry;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The registry's scored versions of one candle interval at one moment, champion first: what the scoring operator
 * should run. It travels to every scoring subtask as a broadcast element and lives in their broadcast state, so a
 * restored job scores with the models it had, not with the ones it was submitted with. A snapshot that is not
 * {@code known} carries no models and changes nothing.
 */
public record RegistrySnapshot(List<RegisteredModel> models, boolean known) implements Serializable {

    /** "Nothing new": the registry did not change since the last snapshot, or could not be read. */
    public static final RegistrySnapshot NO_CHANGE = new RegistrySnapshot(List.of(), false);

    private static final Comparator<RegisteredModel> CHAMPION_FIRST = Comparator.comparing(
                    (RegisteredModel m) -> m.status() != ModelStatus.CHAMPION)
            .thenComparing(RegisteredModel::version);

    public RegistrySnapshot {
        // A plain ArrayList: the JDK's immutable lists are not serialisable by Flink's Kryo fallback.
        models = new ArrayList<>(models);
        models.sort(CHAMPION_FIRST);
    }

    public RegistrySnapshot(List<RegisteredModel> models) {
        this(models, true);
    }

    public static RegistrySnapshot of(RegisteredModel... models) {
        return new RegistrySnapshot(List.of(models));
    }

    public Optional<RegisteredModel> champion() {
        return models.stream().filter(m -> m.status() == ModelStatus.CHAMPION).findFirst();
    }

    /** The versions to score: champion and challengers. */
    public List<RegisteredModel> scored() {
        return models.stream().filter(m -> m.status().isScored()).toList();
    }
}
