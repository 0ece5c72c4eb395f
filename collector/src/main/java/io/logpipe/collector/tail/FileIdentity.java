package io.logpipe.collector.tail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which file a path names right now: device and inode. A rename keeps them, so a rotated file
 * is found again under its new name; a new file under the old name has new ones.
 */
public record FileIdentity(long device, long inode) {

    public static FileIdentity of(Path path) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino");
        return new FileIdentity(((Number) attributes.get("dev")).longValue(), ((Number) attributes.get("ino")).longValue());
    }

    @Override
    public String toString() {
        return device + ":" + inode;
    }
}
