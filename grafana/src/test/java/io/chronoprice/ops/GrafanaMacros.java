package io.chronoprice.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Expands a panel's, variable's or alert's query the way Grafana does before the datasource sees it. SQL: first the
 * template variables (Grafana's frontend, or nothing for alert rules), then {@code $__interval} and
 * {@code $__interval_ms}, then the PostgreSQL datasource's macros (Grafana's
 * {@code pkg/tsdb/grafana-postgresql-datasource/macros.go}). PromQL: the template variables as the Prometheus
 * datasource formats them, then the built-in intervals ({@link #expandPromQl}). Anything left unexpanded fails loudly
 * instead of becoming a syntax error Grafana would only show on the panel.
 */
final class GrafanaMacros {

    /** {@code ${name}}, {@code ${name:format}}, {@code [[name]]} and {@code $name}, as Grafana's templateSrv. */
    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{(\\w+)(?::(\\w+))?}|\\[\\[(\\w+)]]|\\$(\\w+)(?![\\w(])");

    /** The built-in variables of a PromQL query, as {@code $__name} or {@code ${__name}}. */
    private static final Pattern PROMQL_BUILTIN = Pattern.compile("\\$\\{?(__\\w+)}?");

    /** Grafana's macro pattern: {@code $__name(args)}, arguments without nested parentheses. */
    private static final Pattern MACRO = Pattern.compile("\\$(__\\w+)\\(([^)]*)\\)");

    private GrafanaMacros() {}

    /** A template variable's current value(s); multi-valued or "include All" variables are quoted as a list. */
    record Variable(List<String> values, boolean multiOrAll) {
        static Variable single(String value) {
            return new Variable(List.of(value), false);
        }
    }

    /** The template variables step; built-ins ({@code $__...}) are left to {@link #expandMacros}. */
    static String interpolateVariables(String sql, Map<String, Variable> variables) {
        Matcher m = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : m.group(4);
            if (name.startsWith("__")) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue;
            }
            if (m.group(2) != null) {
                throw new IllegalArgumentException("Variable formats (${" + name + ":" + m.group(2)
                        + "}) are not modelled by this test; use the datasource's default quoting");
            }
            Variable v = variables.get(name);
            if (v == null) {
                throw new IllegalArgumentException("Unknown template variable $" + name + " in:\n" + sql);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(format(v)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Grafana's PostgreSQL datasource {@code interpolateVariable}: a single value is escaped but not quoted
     * (the SQL writes {@code '$var'}), a multi-value or "All" selection becomes a quoted, comma-separated list.
     */
    private static String format(Variable v) {
        if (!v.multiOrAll()) {
            return v.values().get(0).replace("'", "''");
        }
        return v.values().stream().map(s -> "'" + s.replace("'", "''") + "'").collect(Collectors.joining(","));
    }

    /**
     * A PromQL query as Grafana's Prometheus datasource sends it: template variables formatted for PromQL (a single
     * value escaped for a string literal; a multi-value or "All" selection as the regular expression {@code (a|b)}
     * of its values, regex-escaped, for {@code =~}), then {@code $__interval}, {@code $__rate_interval} (the larger
     * of {@code $__interval} plus the scrape interval and four scrape intervals) and {@code $__range}.
     */
    static String expandPromQl(
            String expr, Map<String, Variable> variables, Duration interval, Duration scrapeInterval, Duration range) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder withVariables = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : m.group(4);
            if (name.startsWith("__")) {
                m.appendReplacement(withVariables, Matcher.quoteReplacement(m.group()));
                continue;
            }
            Variable v = variables.get(name);
            if (v == null) {
                throw new IllegalArgumentException("Unknown template variable $" + name + " in:\n" + expr);
            }
            m.appendReplacement(withVariables, Matcher.quoteReplacement(promQlFormat(v)));
        }
        m.appendTail(withVariables);

        Duration rateInterval = interval.plus(scrapeInterval).compareTo(scrapeInterval.multipliedBy(4)) > 0
                ? interval.plus(scrapeInterval)
                : scrapeInterval.multipliedBy(4);
        Matcher b = PROMQL_BUILTIN.matcher(withVariables);
        StringBuilder out = new StringBuilder();
        while (b.find()) {
            String value =
                    switch (b.group(1)) {
                        case "__interval" -> promQlDuration(interval);
                        case "__interval_ms" -> Long.toString(interval.toMillis());
                        case "__rate_interval" -> promQlDuration(rateInterval);
                        case "__range" -> promQlDuration(range);
                        case "__range_s" -> Long.toString(range.toSeconds());
                        case "__range_ms" -> Long.toString(range.toMillis());
                        default ->
                            throw new IllegalArgumentException(
                                    "Built-in $" + b.group(1) + " is not modelled by this test");
                    };
            b.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        b.appendTail(out);
        String expanded = out.toString();
        if (expanded.contains("$") || expanded.contains("[[")) {
            throw new IllegalArgumentException("Unexpanded variable left in:\n" + expanded);
        }
        return expanded;
    }

    /** Grafana's {@code interpolateQueryExpr} of the Prometheus datasource. */
    private static String promQlFormat(Variable v) {
        if (!v.multiOrAll()) {
            return v.values().get(0).replace("\\", "\\\\").replace("'", "\\\\'");
        }
        List<String> escaped = v.values().stream()
                .map(s -> s.replace("\\", "\\\\\\\\").replaceAll("[$^*{}\\[\\]'+?.()|]", "\\\\\\\\$0"))
                .toList();
        return escaped.size() == 1 ? escaped.get(0) : "(" + String.join("|", escaped) + ")";
    }

    /** Whole seconds, which every PromQL range and Grafana's own rendering accept. */
    private static String promQlDuration(Duration d) {
        return Math.max(1, d.toSeconds()) + "s";
    }

    /** The backend step: {@code $__interval(_ms)}, then every {@code $__macro(...)}. */
    static String expandMacros(String sql, Instant from, Instant to, Duration interval) {
        String s = sql.replace("$__interval_ms", Long.toString(interval.toMillis()))
                .replace("$__interval", intervalText(interval))
                .replace("$__from", Long.toString(from.toEpochMilli()))
                .replace("$__to", Long.toString(to.toEpochMilli()));
        Matcher m = MACRO.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            List<String> args = List.of(m.group(2).split(",", -1)).stream()
                    .map(String::trim)
                    .toList();
            m.appendReplacement(out, Matcher.quoteReplacement(macro(m.group(1), args, from, to)));
        }
        m.appendTail(out);
        String expanded = out.toString();
        if (expanded.contains("$__") || expanded.contains("${") || expanded.contains("[[")) {
            throw new IllegalArgumentException("Unexpanded macro or variable left in:\n" + expanded);
        }
        return expanded;
    }

    private static String macro(String name, List<String> args, Instant from, Instant to) {
        return switch (name) {
            case "__time" -> arg(name, args, 0) + " AS \"time\"";
            case "__timeEpoch" -> "extract(epoch from " + arg(name, args, 0) + ") as \"time\"";
            case "__timeFilter" -> arg(name, args, 0) + " BETWEEN " + literal(from) + " AND " + literal(to);
            case "__timeFrom" -> literal(from);
            case "__timeTo" -> literal(to);
            case "__timeGroup" -> timeGroup(name, args);
            case "__timeGroupAlias" -> timeGroup(name, args) + " AS \"time\"";
            case "__unixEpochFilter" ->
                arg(name, args, 0) + " >= " + from.getEpochSecond() + " AND " + arg(name, args, 0) + " <= "
                        + to.getEpochSecond();
            default -> throw new IllegalArgumentException("Macro $" + name + " is not modelled by this test");
        };
    }

    /** {@code floor(extract(epoch from col)/n)*n}: Grafana's time bucket is epoch seconds, not a timestamp. */
    private static String timeGroup(String name, List<String> args) {
        long seconds = parseInterval(arg(name, args, 1).replace("'", "")).toSeconds();
        if (seconds <= 0) {
            throw new IllegalArgumentException("$" + name + " needs an interval of at least 1s: " + args);
        }
        return "floor(extract(epoch from " + arg(name, args, 0) + ")/" + seconds + ")*" + seconds;
    }

    private static String arg(String name, List<String> args, int i) {
        if (args.size() <= i || args.get(i).isEmpty()) {
            throw new IllegalArgumentException("$" + name + " expects at least " + (i + 1) + " argument(s): " + args);
        }
        return args.get(i);
    }

    /** Go's RFC3339Nano in UTC, quoted, as Grafana writes it; PostgreSQL casts it to timestamptz. */
    private static String literal(Instant t) {
        return "'" + t + "'";
    }

    static Duration parseInterval(String text) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a Grafana interval: " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static String intervalText(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
