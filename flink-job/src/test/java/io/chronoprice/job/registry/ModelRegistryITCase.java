package io.chronoprice.job.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronoprice.db.EmbeddedDatabase;
import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.scoring.ModelArtifact;
import io.chronoprice.job.scoring.ModelMetadata;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelRegistryITCase {

    private static EmbeddedDatabase db;
    private static ModelRegistry registry;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.startForTests();
        registry = new ModelRegistry(db.writer());
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        sql("TRUNCATE models, model_events, predictions CASCADE");
    }

    @Test
    void theFirstVersionOfAnIntervalIsChampionAndLaterOnesChallengers() throws Exception {
        assertThat(add(ParityFixture.V2)).isEqualTo(ModelStatus.CHAMPION);
        assertThat(add(ParityFixture.V1)).isEqualTo(ModelStatus.CHALLENGER);

        RegistrySnapshot snapshot = registry.snapshot("1m");
        assertThat(snapshot.models())
                .extracting(RegisteredModel::version)
                .containsExactly(ParityFixture.V2, ParityFixture.V1);
        assertThat(snapshot.models().get(1).bytes())
                .isEqualTo(ParityFixture.model(ParityFixture.V1).bytes());
        assertThat(registry.snapshot("5m").models()).isEmpty();
        assertThat(events()).containsExactly(ParityFixture.V2 + " added", ParityFixture.V1 + " added");
    }

    @Test
    void aSnapshotIsReadAgainOnlyWhenAVersionOrAStatusChanged() throws Exception {
        add(ParityFixture.V2);
        RegistrySnapshot first;
        try (Connection c = db.writer().connect()) {
            first = ModelRegistry.snapshotIfChanged(c, "1m", null);
            assertThat(first.models()).extracting(RegisteredModel::version).containsExactly(ParityFixture.V2);
            assertThat(ModelRegistry.snapshotIfChanged(c, "1m", first)).isNull();

            add(ParityFixture.V1);
            RegistrySnapshot added = ModelRegistry.snapshotIfChanged(c, "1m", first);
            assertThat(added.models())
                    .extracting(RegisteredModel::version)
                    .containsExactly(ParityFixture.V2, ParityFixture.V1);
            assertThat(added.models().get(1).bytes())
                    .isEqualTo(ParityFixture.model(ParityFixture.V1).bytes());
            assertThat(ModelRegistry.snapshotIfChanged(c, "1m", added)).isNull();

            registry.promote(ParityFixture.V1, "test", "manual");
            RegistrySnapshot promoted = ModelRegistry.snapshotIfChanged(c, "1m", added);
            assertThat(promoted.champion()).map(RegisteredModel::version).contains(ParityFixture.V1);
            assertThat(promoted.champion().orElseThrow().bytes())
                    .isEqualTo(ParityFixture.model(ParityFixture.V1).bytes());
        }
    }

    @Test
    void addingAVersionAgainIsANoOpButOtherBytesUnderItsNameAreRefused() throws Exception {
        add(ParityFixture.V2);
        assertThat(add(ParityFixture.V2)).isEqualTo(ModelStatus.CHAMPION);

        ModelArtifact other = ParityFixture.model(ParityFixture.V1);
        ModelMetadata v2 = TestModels.metadata(ParityFixture.V2);
        assertThatThrownBy(() -> registry.add(other, v2, "test"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("already registered with other bytes");
        assertThat(events()).hasSize(1);
    }

    @Test
    void promotionSwapsChampionAndChallengerInOneStepAndIsRecorded() throws Exception {
        add(ParityFixture.V2);
        add(ParityFixture.V1);

        registry.promote(ParityFixture.V1, "test", "manual");

        assertThat(registry.snapshot("1m").champion())
                .hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(ParityFixture.V1));
        assertThat(statusOf(ParityFixture.V2)).isEqualTo(ModelStatus.CHALLENGER);
        assertThat(events()).endsWith(ParityFixture.V2 + " demoted", ParityFixture.V1 + " promoted");
    }

    @Test
    void theChampionCannotBeRetiredAndARetiredVersionIsNoLongerScored() throws Exception {
        add(ParityFixture.V2);
        add(ParityFixture.V1);

        assertThatThrownBy(() -> registry.retire(ParityFixture.V2, "test"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("is the champion; promote another version before retiring it");
        registry.retire(ParityFixture.V1, "test");

        assertThat(registry.snapshot("1m").scored())
                .extracting(RegisteredModel::version)
                .containsExactly(ParityFixture.V2);
        assertThat(statusOf(ParityFixture.V1)).isEqualTo(ModelStatus.RETIRED);
    }

    @Test
    void unknownVersionsAreNamed() {
        assertThatThrownBy(() -> registry.promote("nope", "test", "manual"))
                .isInstanceOf(RegistryException.class)
                .hasMessage("No model version 'nope' in the registry");
    }

    @Test
    void aChampionWithoutItsArtifactIsReplacedByTheJobsModel() throws Exception {
        add(ParityFixture.V1);
        sql("UPDATE models SET artifact = NULL");
        add(ParityFixture.V2);

        assertThat(registry.promoteIfChampionUnservable(ParityFixture.V2, "job"))
                .isTrue();
        assertThat(registry.promoteIfChampionUnservable(ParityFixture.V2, "job"))
                .isFalse();
        assertThat(statusOf(ParityFixture.V2)).isEqualTo(ModelStatus.CHAMPION);
        assertThat(registry.snapshot("1m").models())
                .extracting(RegisteredModel::version)
                .containsExactly(ParityFixture.V2);
    }

    @Test
    void twoChampionsOfOneIntervalAreImpossible() throws Exception {
        add(ParityFixture.V2);
        add(ParityFixture.V1);

        assertThatThrownBy(() -> sql("UPDATE models SET status = 'champion'"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("models_one_champion_per_interval");
    }

    private static ModelStatus add(String version) throws SQLException {
        return TestModels.add(registry, version);
    }

    private static ModelStatus statusOf(String version) throws SQLException {
        return registry.list().stream()
                .filter(e -> e.version().equals(version))
                .findFirst()
                .orElseThrow()
                .status();
    }

    private static List<String> events() throws SQLException {
        List<String> events = new ArrayList<>();
        try (Connection c = connect();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT model_version || ' ' || event FROM model_events ORDER BY id")) {
            while (rs.next()) {
                events.add(rs.getString(1));
            }
        }
        return events;
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = connect()) {
            c.createStatement().execute(statement);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                db.writer().jdbcUrl(), db.writer().user(), db.writer().password());
    }
}
