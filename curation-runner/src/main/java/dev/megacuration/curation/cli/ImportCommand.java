package dev.megacuration.curation.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.curation.client.PortalClient;
import dev.megacuration.curation.client.ReleaseUpload;
import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.CtxFormatException;
import jakarta.ws.rs.WebApplicationException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Register a release from a directory (LOD0-2.ctx, metadata.json): verified here, uploaded "
                + "with checksums, verified again by the portal, stored atomically. Exit 3 if the version exists.")
public class ImportCommand implements Callable<Integer> {
    static final int INVALID = 2;
    static final int CONFLICT = 3;

    @Option(names = "--tenant", required = true, description = "The author organisation.")
    String tenant;

    @Option(names = "--bundle", required = true, description = "The bundle name.")
    String bundle;

    @Option(names = "--version", required = true, description = "The new release's version.")
    String version;

    @Parameters(index = "0", paramLabel = "DIR", description = "The release directory.")
    Path dir;

    @Spec
    CommandSpec spec;

    private final PortalClient portal;

    public ImportCommand(@RestClient PortalClient portal) {
        this.portal = portal;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BundleFiles.Verified verified;
        try {
            verified = BundleFiles.verify(dir);
        } catch (CtxFormatException e) {
            err.printf("%s is not a valid release: %s%n", dir, e.getMessage());
            return INVALID;
        }
        try {
            JsonNode release = portal.upload(tenant, bundle, version, ReleaseUpload.of(dir, verified));
            out.printf("Imported %s/%s %s: %,d tokens, %,d LOD1 and %,d LOD2 spans%n", tenant, bundle,
                    release.path("version").asText(), release.path("numTokens").asLong(),
                    release.path("numLod1").asLong(), release.path("numLod2").asLong());
            return 0;
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            String detail = e.getResponse().hasEntity() ? e.getResponse().readEntity(String.class) : "";
            err.printf("The portal refused the release (HTTP %d): %s%n", status, detail);
            return status == 409 ? CONFLICT : INVALID;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
