package dev.megacuration.curation.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

@TopCommand
@Command(name = "megacuration", mixinStandardHelpOptions = true,
        description = "Curation of MegaContext bundles from their usage statistics.",
        subcommands = {ReportCommand.class, PlanCommand.class, ApproveCommand.class, ApplyCommand.class,
                RestoreCommand.class, RollbackCommand.class, VerifyCommand.class, ImportCommand.class,
                GenerateDemoCommand.class})
public class MegacurationCommand {
}
