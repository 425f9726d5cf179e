package dev.megacuration.curation.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.curation.client.ReviewClient;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "approve", mixinStandardHelpOptions = true,
        description = "Approve (or --reject) a proposed plan as yourself: your own access token, from "
                + "MC_USER_TOKEN or --token-file, never the runner's service account.")
public class ApproveCommand implements Callable<Integer> {
    @Mixin
    Target target;

    @Option(names = "--plan", required = true, paramLabel = "PLAN_ID")
    UUID plan;

    @Option(names = "--reject", description = "Reject instead of approving.")
    boolean reject;

    @Option(names = "--comment", description = "Why (kept in the audit log).")
    String comment;

    @Option(names = "--token-file", description = "A file holding your access token.")
    Path tokenFile;

    @Spec
    CommandSpec spec;

    private final ReviewClient review;

    public ApproveCommand(@RestClient ReviewClient review) {
        this.review = review;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            String token = tokenFile != null ? Files.readString(tokenFile).trim() : System.getenv("MC_USER_TOKEN");
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("no token: set MC_USER_TOKEN or give --token-file");
            }
            JsonNode decided = review.decide("Bearer " + token, target.tenant, target.bundle, plan.toString(),
                    new ReviewClient.Decision(reject ? "reject" : "approve", comment));
            out.printf("Plan %s %s by %s%n", plan, decided.path("status").asText(), decided.path("decidedBy").asText());
            return ExitCodes.OK;
        } catch (Exception e) {
            return ExitCodes.report(e, spec.commandLine().getErr());
        } finally {
            out.flush();
        }
    }
}
