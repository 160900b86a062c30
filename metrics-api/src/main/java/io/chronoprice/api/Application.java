package io.chronoprice.api;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** Starts the ChronoPrice metrics API. */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "chronoprice-metrics-api",
                        version = "0.1.0",
                        description = "Prices, predictions and live accuracy of the ChronoPrice demo."
                                + " Educational demo, not trading advice."))
public final class Application {

    private Application() {}

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
