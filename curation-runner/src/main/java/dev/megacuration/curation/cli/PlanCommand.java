package dev.megacuration.curation.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.curation.planning.PlanReport;
import dev.megacuration.curation.planning.PlannedSpan;
import dev.megacuration.curation.policy.Policy;
import dev.megacuration.curation.policy.PolicyLoader;
import dev.megacuration.curation.service.CurationService;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Plan a bundle's curation from its usage (a dry run: the release is not touched). Writes "
                + "plan.json with --out, submits it for review with --submit, explains one span with --explain.")
public class PlanCommand implements Callable<Integer> {
    @Mixin
    Target target;

    @Option(names = "--version", description = "The release to plan (default: the current one).")
    String version;

    @Option(names = "--policy", description = "Policy file (YAML); default: the documented default policy.")
    Path policyFile;

    @Option(names = "--out", description = "Write the plan here (plan.json).")
    Path outFile;

    @Option(names = "--submit", description = "Submit the plan to the portal for review.")
    boolean submit;

    @Option(names = "--explain", paramLabel = "SPAN_ID", description = "Explain the decision for one span id.")
    Long explain;

    @Option(names = "--list", defaultValue = "50", description = "Changed spans listed in the report (default 50).")
    int list;

    @Option(names = "--json", description = "Print the plan as JSON instead of the report.")
    boolean json;

    @Spec
    CommandSpec spec;

    private final CurationService curation;

    public PlanCommand(CurationService curation) {
        this.curation = curation;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Policy policy = policyFile == null ? PolicyLoader.defaults() : PolicyLoader.load(policyFile);
            CurationService.Planned planned = curation.plan(target.tenant, target.bundle, version, policy);
            if (explain != null) {
                Optional<PlannedSpan> span = planned.explain(explain);
                if (span.isEmpty()) {
                    err.printf("megacuration: span %d is not an LOD1 or LOD2 span of this release%n", explain);
                    return ExitCodes.NOT_FOUND;
                }
                if (json) {
                    out.println(curation.toJson(span.get()));
                } else {
                    PlanReport.explain(span.get(), out);
                }
                return ExitCodes.OK;
            }
            String document = curation.toJson(planned.plan());
            if (outFile != null) {
                Files.writeString(outFile, document);
            }
            if (json) {
                out.println(document);
            } else {
                PlanReport.render(planned.plan(), list, out);
            }
            if (submit) {
                JsonNode submitted = curation.submit(planned.plan());
                err.printf("Submitted plan %s: %s%s%n", planned.plan().planId(), submitted.path("status").asText(),
                        "policy".equals(submitted.path("decidedBy").asText()) ? " (approved by the policy)" : "");
            } else if (outFile != null) {
                err.printf("Plan %s written to %s%n", planned.plan().planId(), outFile);
            }
            return ExitCodes.OK;
        } catch (Exception e) {
            return ExitCodes.report(e, err);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
