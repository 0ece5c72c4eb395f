package io.logpipe.launcher;

import java.nio.file.Path;

/** Where {@code logpipe kafka} and {@code logpipe local} keep their state unless told otherwise. */
public final class DataDirectory {
    private DataDirectory() {
    }

    /** {@code $XDG_DATA_HOME/logpipe}, else {@code ~/.local/share/logpipe}. */
    public static Path defaultBase() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("logpipe");
    }
}
