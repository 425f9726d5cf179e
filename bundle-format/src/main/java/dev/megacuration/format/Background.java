package dev.megacuration.format;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * The threads of checking and rebuilding a release: single passes over a few files, so a second core takes
 * one of them. Every thread here is a daemon, and a task's failure comes back as the caller's own
 * {@link IOException}.
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
        }, task -> daemons(name).newThread(task).start());
    }

    /** Daemon threads of one name, for the pools of a rebuild's passes and writers. */
    public static ThreadFactory daemons(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One daemon thread that runs tasks in the order they are given. */
    public static ExecutorService thread(String name) {
        return Executors.newSingleThreadExecutor(daemons(name));
    }

    /** Waits for a task, if any; its failure is rethrown as the caller's ({@code doing} names it if interrupted). */
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
            throw rethrow(e.getCause());
        }
    }

    /**
     * Throws the failure of a task as the caller's own: an I/O failure as itself (also when it was wrapped to
     * cross a thread), a runtime exception as itself, anything else wrapped in an {@link IOException}.
     */
    public static IOException rethrow(Throwable cause) throws IOException {
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
