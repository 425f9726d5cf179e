package dev.megacuration.curation.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.megacuration.curation.client.AnalyticsClient;
import dev.megacuration.curation.service.ReleaseFiles;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Usage of a bundle over a recent window: top-expanded spans, stale spans and coverage, "
                + "under the privacy thresholds (cells under k deployments are not shown).")
public class ReportCommand implements Callable<Integer> {
    @Mixin
    Target target;

    @Option(names = "--since", defaultValue = "7d", description = "Window: Nd (days) or Nw (weeks); default 7d.")
    String since;

    @Option(names = "--version", description = "The release (default: the current one).")
    String version;

    @Option(names = "--limit", defaultValue = "20")
    int limit;

    @Option(names = "--json")
    boolean json;

    @Spec
    CommandSpec spec;

    private final AnalyticsClient analytics;
    private final ReleaseFiles releases;
    private final ObjectMapper mapper;

    public ReportCommand(@RestClient AnalyticsClient analytics, ReleaseFiles releases, ObjectMapper mapper) {
        this.analytics = analytics;
        this.releases = releases;
        this.mapper = mapper;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (!since.matches("[1-9][0-9]{0,3}[dw]")) {
                throw new IllegalArgumentException("--since is like 7d or 4w");
            }
            int days = Integer.parseInt(since.substring(0, since.length() - 1)) * (since.endsWith("w") ? 7 : 1);
            String from = LocalDate.now(ZoneOffset.UTC).minusDays(days - 1L).toString();
            String release = version != null ? version
                    : releases.current(target.tenant, target.bundle).path("version").asText();
            JsonNode top = analytics.topExpanded(target.tenant, target.bundle, release, from, limit);
            JsonNode stale = analytics.stale(target.tenant, target.bundle, release, from, limit);
            JsonNode summary = analytics.summary(target.tenant, target.bundle, release, from);
            if (json) {
                ObjectNode all = mapper.createObjectNode();
                all.put("version", release);
                all.put("from", from);
                all.set("topExpanded", top);
                all.set("stale", stale);
                all.set("summary", summary);
                out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(all));
                return ExitCodes.OK;
            }
            out.printf("%s/%s@%s since %s (cells need %d+ deployments)%n", target.tenant, target.bundle, release, from,
                    top.path("minDeployments").asInt());
            out.println("TOP EXPANDED");
            for (JsonNode span : top.path("spans")) {
                out.printf("  %-20s L%d:%-8d %8d expands %5d deployments%n", span.path("spanId").asText(),
                        span.path("level").asInt(), span.path("index").asLong(), span.path("expands").asLong(),
                        span.path("deployments").asLong());
            }
            out.println("STALE");
            for (JsonNode span : stale.path("spans")) {
                out.printf("  %-20s L%d:%-8d %8d reports  %5d deployments%n", span.path("spanId").asText(),
                        span.path("level").asInt(), span.path("index").asLong(), span.path("staleReports").asLong(),
                        span.path("deployments").asLong());
            }
            JsonNode lod1 = summary.path("lod1");
            out.printf("COVERAGE LOD1: %d spans, %d expanded, %d below threshold, %d never expanded; %,d bytes behind"
                            + " never-expanded spans%n", lod1.path("spans").asLong(), lod1.path("expanded").asLong(),
                    lod1.path("belowThreshold").asLong(), lod1.path("neverExpanded").asLong(),
                    summary.path("bytesBehindNeverExpanded").asLong());
            return ExitCodes.OK;
        } catch (Exception e) {
            return ExitCodes.report(e, spec.commandLine().getErr());
        } finally {
            out.flush();
        }
    }
}
