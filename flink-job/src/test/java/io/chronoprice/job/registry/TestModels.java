package io.chronoprice.job.registry;

import io.chronoprice.job.ParityFixture;
import io.chronoprice.job.scoring.ModelMetadata;
import io.chronoprice.job.scoring.OnnxModel;
import java.sql.SQLException;

/** The shipped models registered the way {@code model add} registers them. */
final class TestModels {

    private TestModels() {}

    static ModelStatus add(ModelRegistry registry, String version) throws SQLException {
        return registry.add(ParityFixture.model(version), metadata(version), "test");
    }

    static ModelMetadata metadata(String version) {
        try (OnnxModel model = OnnxModel.load(ParityFixture.model(version), null, 0)) {
            return model.metadata();
        }
    }
}
