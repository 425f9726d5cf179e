package dev.megacuration.curation.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.megacuration.curation.service.CurationService;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Apply an approved plan: rebuild the release (unchanged blocks copied, removed ones archived) "
                + "and publish it as the next curated version. Safe to run again after a crash.")
public class ApplyCommand implements Callable<Integer> {
    @Option(names = "--plan", required = true, paramLabel = "PLAN",
            description = "plan.json (must be the plan that was approved), or a plan id with --tenant and --bundle.")
    String plan;

    @Option(names = "--tenant", description = "With a plan id: the tenant.")
    String tenant;

    @Option(names = "--bundle", description = "With a plan id: the bundle.")
    String bundle;

    @Option(names = "--json", description = "Print the outcome as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    private final CurationService curation;
    private final ObjectMapper mapper;

    public ApplyCommand(CurationService curation, ObjectMapper mapper) {
        this.curation = curation;
        this.mapper = mapper;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProgressBar progress = new ProgressBar(err, "rebuilding");
        try {
            UUID id;
            Optional<Path> file = Optional.empty();
            String t = tenant;
            String b = bundle;
            if (plan.matches("[0-9a-fA-F-]{36}")) {
                id = UUID.fromString(plan);
                if (t == null || b == null) {
                    throw new IllegalArgumentException("with a plan id, give --tenant and --bundle");
                }
            } else {
                Path path = Path.of(plan);
                JsonNode document = mapper.readTree(Files.readAllBytes(path));
                id = UUID.fromString(document.path("planId").asText());
                t = document.path("tenant").asText();
                b = document.path("bundle").asText();
                file = Optional.of(path);
            }
            CurationService.Outcome outcome = curation.apply(t, b, id, file, progress);
            progress.finish();
            print(out, outcome, json, mapper);
            return ExitCodes.OK;
        } catch (Exception e) {
            progress.finish();
            return ExitCodes.report(e, err);
        } finally {
            out.flush();
        }
    }

    static void print(PrintWriter out, CurationService.Outcome outcome, boolean json, ObjectMapper mapper)
            throws Exception {
        if (json) {
            out.println(mapper.writeValueAsString(outcome));
            return;
        }
        out.printf("Published %s (from %s): live %,d -> %,d bytes; %d runs archived, %d restored, %d dropped after"
                        + " retention; %,d bytes copied unchanged, %,d written%n", outcome.version(), outcome.baseVersion(),
                outcome.bytesBefore(), outcome.bytesAfter(), outcome.archivedRuns(), outcome.restoredRuns(),
                outcome.droppedRuns(), outcome.bytesCopied(), outcome.bytesWritten());
        if (outcome.deletesArchived()) {
            out.println("Paranoia: this plan's deletes were archived, not deleted (no person approved it).");
        }
    }
}
