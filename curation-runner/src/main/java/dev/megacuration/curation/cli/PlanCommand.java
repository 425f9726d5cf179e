package dev.megacuration.curation.cli;

import dev.megacuration.curation.mapping.PlannedSpan;
import dev.megacuration.curation.service.PlanService;
import jakarta.ws.rs.WebApplicationException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print which spans of a bundle a simple policy would keep or compact (a dry run: changes nothing).")
public class PlanCommand implements Callable<Integer> {
    @Option(names = "--tenant", required = true, description = "The author organisation owning the bundle.")
    String tenant;

    @Option(names = "--bundle", required = true, description = "The bundle name.")
    String bundle;

    @Option(names = "--version", description = "Only this release's stats (default: all releases).")
    String version;

    @Spec
    CommandSpec spec;

    private final PlanService plans;

    public PlanCommand(PlanService plans) {
        this.plans = plans;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<PlannedSpan> plan;
        try {
            plan = plans.plan(tenant, bundle, version);
        } catch (WebApplicationException e) {
            spec.commandLine().getErr().printf("analytics refused the query: HTTP %d%n", e.getResponse().getStatus());
            return 2;
        }
        out.printf("Curation plan for %s/%s%s (dry run)%n", tenant, bundle, version == null ? "" : "@" + version);
        out.printf("%-8s %-20s %-5s %10s %8s %6s %11s  %s%n", "ACTION", "SPAN", "LEVEL", "INDEX", "EXPANDS", "STALE",
                "DEPLOYMENTS", "REASON");
        for (PlannedSpan span : plan) {
            out.printf("%-8s %-20s %-5s %10d %8d %6d %11d  %s%n", span.action(), Long.toUnsignedString(span.spanId()),
                    "LOD" + span.level(), span.index(), span.expands(), span.staleReports(), span.deployments(),
                    span.reason());
        }
        Map<PlannedSpan.Action, Long> counts = plan.stream()
                .collect(Collectors.groupingBy(PlannedSpan::action, TreeMap::new, Collectors.counting()));
        out.printf("Summary: %s%n", counts.isEmpty() ? "no span has published stats yet"
                : counts.entrySet().stream().map(e -> e.getKey().name().toLowerCase() + "=" + e.getValue())
                        .collect(Collectors.joining(" ")));
        out.flush();
        return 0;
    }
}
