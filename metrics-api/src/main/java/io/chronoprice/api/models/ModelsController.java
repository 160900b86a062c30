package io.chronoprice.api.models;

import io.chronoprice.api.problem.ProblemResponses;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;

/** {@code GET /models}: the model registry, newest first. */
@Controller("/models")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ModelsController {

    private final ModelRepository models;

    public ModelsController(ModelRepository models) {
        this.models = models;
    }

    @Get
    @ProblemResponses.ForEveryEndpoint
    public List<ModelInfo> list() {
        return models.all();
    }
}
