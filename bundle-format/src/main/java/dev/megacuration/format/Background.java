package dev.megacuration.format;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * One piece of file work on a thread of its own, beside the caller's (checking and rebuilding a release
 * are single passes over a few files: a second core takes one of them), with its failure handed back as
 * the caller's own {@link IOException}.
 */
public final class Background {
    private Background() {
    }

    /** What runs on the other thread. */
    @FunctionalInterface
    public interface Work<V> {
        V run() throws IOException;
    }

    /** Starts {@code work} on a new daemon thread: it never keeps a JVM alive that is done otherwise. */
    public static <V> CompletableFuture<V> start(String name, Work<V> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** Waits for a task; its failure is rethrown as the caller's ({@code doing} names it if interrupted). */
    public static <V> V await(Future<V> task, String doing) throws IOException {
        if (task == null) {
            return null;
        }
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + doing);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            } else if (cause instanceof IOException io) {
                throw io;
            } else if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }
}
