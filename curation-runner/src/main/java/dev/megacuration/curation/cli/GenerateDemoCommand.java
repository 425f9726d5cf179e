package dev.megacuration.curation.cli;

import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.DemoBundleGenerator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "generate-demo", mixinStandardHelpOptions = true,
        description = "Write a reproducible demo bundle release (LOD0-2 .ctx files and metadata.json) to DIR.")
public class GenerateDemoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Directory to write the release into.")
    Path dir;

    @Option(names = "--tokens", defaultValue = "1048576", description = "LOD0 tokens (default: ${DEFAULT-VALUE}).")
    long tokens;

    @Option(names = "--embedding-dim", defaultValue = "64", description = "Gist width d (default: ${DEFAULT-VALUE}).")
    int embeddingDim;

    @Option(names = "--model", defaultValue = "demo-model", description = "Model name in the headers.")
    String model;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed: same seed, same bytes.")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BundleFiles.Verified release = new DemoBundleGenerator(tokens, embeddingDim, model, seed).writeTo(dir);
        PrintWriter out = spec.commandLine().getOut();
        for (BundleFiles.LevelFile level : release.levels()) {
            out.printf("LOD%d.ctx  %,d entries  %,d bytes  sha256 %s%n", level.level(), level.header().numEntries(),
                    level.sizeBytes(), level.sha256());
        }
        out.flush();
        return 0;
    }
}
