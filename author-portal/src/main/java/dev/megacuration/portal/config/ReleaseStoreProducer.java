package dev.megacuration.portal.config;

import dev.megacuration.format.store.DirectoryReleaseStore;
import dev.megacuration.format.store.ReleaseStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.nio.file.Path;

/** The release store: a directory store at {@code megacuration.portal.release-store}. */
public class ReleaseStoreProducer {

    @Produces
    @ApplicationScoped
    ReleaseStore releaseStore(PortalConfig config) throws IOException {
        return new DirectoryReleaseStore(Path.of(config.releaseStore()));
    }
}
