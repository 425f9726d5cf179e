package dev.megacuration.curation.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.curation.service.CurationService;
import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Return the bundle to the release before a plan (the plan's release is withdrawn, not deleted).")
public class RollbackCommand implements Callable<Integer> {
    @Mixin
    Target target;

    @Option(names = "--plan", required = true, paramLabel = "PLAN_ID", description = "The applied plan.")
    UUID plan;

    @Option(names = "--json", description = "Print the plan after the rollback as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    private final CurationService curation;

    public RollbackCommand(CurationService curation) {
        this.curation = curation;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            JsonNode rolledBack = curation.rollback(target.tenant, target.bundle, plan);
            if (json) {
                out.println(rolledBack);
            } else {
                out.printf("Plan %s rolled back: %s is current again; %s withdrawn%n", plan,
                        rolledBack.path("baseVersion").asText(), rolledBack.path("resultVersion").asText());
            }
            return ExitCodes.OK;
        } catch (Exception e) {
            return ExitCodes.report(e, spec.commandLine().getErr());
        } finally {
            out.flush();
        }
    }
}
