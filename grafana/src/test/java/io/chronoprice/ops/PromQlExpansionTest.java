package io.chronoprice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronoprice.ops.GrafanaMacros.Variable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link GrafanaMacros#expandPromQl}: what Grafana's Prometheus datasource sends for a panel's query. */
class PromQlExpansionTest {

    private static final Duration SCRAPE = Duration.ofSeconds(10);

    @Test
    void aMultiValueVariableBecomesAnEscapedAlternationAndASingleOneStaysAsItIs() {
        Map<String, Variable> vars = Map.of(
                "symbol", new Variable(List.of("BTCUSDT", "ETH.USD"), true),
                "exchange", Variable.single("binance"),
                "one", new Variable(List.of("SOLUSDT"), true));

        assertThat(GrafanaMacros.expandPromQl(
                        "x{symbol=~\"$symbol\", exchange=\"${exchange}\", s=~\"$one\"}",
                        vars,
                        Duration.ofSeconds(20),
                        SCRAPE,
                        Duration.ofHours(1)))
                .isEqualTo("x{symbol=~\"(BTCUSDT|ETH\\\\.USD)\", exchange=\"binance\", s=~\"SOLUSDT\"}");
    }

    @Test
    void theRateIntervalIsAtLeastFourScrapesAndAtLeastOneIntervalPlusAScrape() {
        assertThat(expand("rate(x[$__rate_interval])", Duration.ofSeconds(20))).isEqualTo("rate(x[40s])");
        assertThat(expand("rate(x[${__rate_interval}])", Duration.ofMinutes(1))).isEqualTo("rate(x[70s])");
        assertThat(expand("increase(x[$__range]) / $__range_s", Duration.ofSeconds(20)))
                .isEqualTo("increase(x[3600s]) / 3600");
    }

    @Test
    void whatIsNotModelledFailsLoudly() {
        assertThatThrownBy(() -> expand("x{a=\"$nope\"}", Duration.ofSeconds(20)))
                .hasMessageContaining("Unknown template variable $nope");
        assertThatThrownBy(() -> expand("x[$__from]", Duration.ofSeconds(20))).hasMessageContaining("not modelled");
    }

    private static String expand(String expr, Duration interval) {
        return GrafanaMacros.expandPromQl(expr, Map.of(), interval, SCRAPE, Duration.ofHours(1));
    }
}
