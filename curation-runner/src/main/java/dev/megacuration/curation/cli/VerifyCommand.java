package dev.megacuration.curation.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.megacuration.curation.service.ReleaseFiles;
import dev.megacuration.format.ArchiveFile;
import dev.megacuration.format.BundleFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a release against its checksums and the format (headers, block indexes, the tree "
                + "invariant, every archived run's SHA-256): a local DIR, or a registered release.")
public class VerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "A release directory.")
    Path dir;

    @Option(names = "--tenant")
    String tenant;

    @Option(names = "--bundle")
    String bundle;

    @Option(names = "--version", description = "A registered release (downloaded, checked against the registry).")
    String version;

    @Option(names = "--json")
    boolean json;

    @Spec
    CommandSpec spec;

    private final ReleaseFiles releases;
    private final ObjectMapper mapper;

    public VerifyCommand(ReleaseFiles releases, ObjectMapper mapper) {
        this.releases = releases;
        this.mapper = mapper;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            Path release = dir;
            if (release == null) {
                if (tenant == null || bundle == null || version == null) {
                    throw new IllegalArgumentException("give a DIR, or --tenant, --bundle and --version");
                }
                JsonNode view = releases.view(tenant, bundle, version);
                release = releases.local(tenant, bundle, view); // checks every file against the registry
            }
            BundleFiles.Verified verified = BundleFiles.verify(release);
            int runs = 0;
            if (verified.archiveSha256() != null) {
                try (ArchiveFile archive = ArchiveFile.open(release.resolve(ArchiveFile.FILE_NAME))) {
                    for (int i = 0; i < archive.runs().size(); i++) {
                        archive.read(i); // checks the run's SHA-256
                    }
                    runs = archive.runs().size();
                }
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("valid", true);
            summary.put("compacted", verified.compacted());
            summary.put("tokens", verified.tokens());
            for (BundleFiles.LevelFile level : verified.levels()) {
                summary.put("LOD" + level.level(), Map.of("version", level.header().version(), "entries",
                        level.header().numEntries(), "present", level.index().presentEntries(), "sha256", level.sha256()));
            }
            summary.put("archivedRuns", runs);
            if (json) {
                out.println(mapper.writeValueAsString(summary));
            } else {
                out.printf("valid release (%s): %,d tokens%n", verified.compacted() ? "compacted" : "dense",
                        verified.tokens());
                for (BundleFiles.LevelFile level : verified.levels()) {
                    out.printf("  LOD%d v%d %,d of %,d entries present, sha256 %s%n", level.level(),
                            level.header().version(), level.index().presentEntries(), level.header().numEntries(),
                            level.sha256());
                }
                if (runs > 0) {
                    out.printf("  archive: %d runs, each matching its SHA-256%n", runs);
                }
            }
            return ExitCodes.OK;
        } catch (Exception e) {
            return ExitCodes.report(e, spec.commandLine().getErr());
        } finally {
            out.flush();
        }
    }
}
