package dev.megacuration.curation.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.megacuration.curation.service.CurationService;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Bring archived spans back, byte for byte, into a new release of the bundle.")
public class RestoreCommand implements Callable<Integer> {
    @Mixin
    Target target;

    @Option(names = "--span", required = true, paramLabel = "SPAN_ID", description = "Span id (repeatable).")
    List<Long> spans;

    @Option(names = "--json", description = "Print the outcome as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    private final CurationService curation;
    private final ObjectMapper mapper;

    public RestoreCommand(CurationService curation, ObjectMapper mapper) {
        this.curation = curation;
        this.mapper = mapper;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ProgressBar progress = new ProgressBar(err, "restoring");
        try {
            CurationService.Outcome outcome = curation.restore(target.tenant, target.bundle, spans, progress);
            progress.finish();
            ApplyCommand.print(spec.commandLine().getOut(), outcome, json, mapper);
            return ExitCodes.OK;
        } catch (Exception e) {
            progress.finish();
            return ExitCodes.report(e, err);
        } finally {
            spec.commandLine().getOut().flush();
        }
    }
}
