package dev.megacuration.format.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One folder per release: {@code root/tenant/bundle/version/}. A release is assembled in
 * {@code root/.staging/} and renamed into place, so it appears whole or not at all; a rename onto an
 * existing (non-empty) release folder fails, which makes two concurrent puts of one key safe.
 */
public final class DirectoryReleaseStore implements ReleaseStore {
    private final Path root;
    private final Path staging;

    public DirectoryReleaseStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.staging = this.root.resolve(".staging");
        Files.createDirectories(staging);
    }

    @Override
    public void put(ReleaseKey key, Path verifiedDir) throws IOException {
        Path target = folder(key);
        Path dir = verifiedDir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            if (dir.startsWith(staging)) {
                deleteTree(dir);
            }
            throw new ReleaseExistsException(key);
        }
        if (!dir.startsWith(staging)) {
            // Copy onto our file system first: only a rename within it is atomic.
            Path copy = newStagingDir();
            for (String file : FILES) {
                Files.copy(dir.resolve(file), copy.resolve(file));
            }
            for (String file : OPTIONAL_FILES) {
                if (Files.exists(dir.resolve(file))) {
                    Files.copy(dir.resolve(file), copy.resolve(file));
                }
            }
            dir = copy;
        }
        for (String file : java.util.stream.Stream.concat(FILES.stream(), OPTIONAL_FILES.stream()).toList()) {
            if (!Files.exists(dir.resolve(file)) && OPTIONAL_FILES.contains(file)) {
                continue;
            }
            try (FileChannel channel = FileChannel.open(dir.resolve(file), StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException raced) {
            // Linux reports a rename onto a non-empty folder as a plain "Directory not empty".
            if (!Files.isDirectory(target)) {
                throw raced;
            }
            deleteTree(dir);
            throw new ReleaseExistsException(key);
        }
        if (!dir.equals(verifiedDir.toAbsolutePath().normalize())) {
            deleteTree(verifiedDir);
        }
    }

    @Override
    public boolean exists(ReleaseKey key) {
        return Files.isDirectory(folder(key));
    }

    @Override
    public boolean has(ReleaseKey key, String file) {
        ReleaseStore.requireKnownFile(file);
        return Files.isRegularFile(folder(key).resolve(file));
    }

    @Override
    public long size(ReleaseKey key, String file) throws IOException {
        return Files.size(file(key, file));
    }

    @Override
    public InputStream open(ReleaseKey key, String file, long offset) throws IOException {
        FileChannel channel = FileChannel.open(file(key, file), StandardOpenOption.READ);
        channel.position(offset);
        return Channels.newInputStream(channel);
    }

    @Override
    public Path newStagingDir() throws IOException {
        return Files.createDirectories(staging.resolve(UUID.randomUUID().toString()));
    }

    @Override
    public Optional<Path> localFile(ReleaseKey key, String file) throws IOException {
        return Optional.of(file(key, file));
    }

    private Path file(ReleaseKey key, String file) throws NoSuchFileException {
        ReleaseStore.requireKnownFile(file);
        Path path = folder(key).resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(key + " " + file);
        }
        return path;
    }

    private Path folder(ReleaseKey key) {
        return root.resolve(key.tenant()).resolve(key.bundle()).resolve(key.version());
    }

    /** Removes a staging folder (also a failed upload's). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
