package io.logpipe.collector.tail;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds the files that glob patterns such as {@code /var/log/ollama/*.log} or
 * {@code /var/log/pods/*}{@code /*}{@code /*.log} name. Each pattern is walked from its
 * longest directory prefix without wildcards, only as deep as the pattern reaches
 * ({@code **} walks everything below).
 */
public final class GlobScanner {
    private final List<Pattern> patterns;

    public GlobScanner(List<String> globs) {
        this.patterns = globs.stream().map(Pattern::of).toList();
    }

    /** The paths that match now (not directories); a missing base directory matches nothing. */
    public Set<Path> scan() {
        Set<Path> found = new TreeSet<>();
        for (Pattern pattern : patterns) {
            if (!pattern.hasWildcard()) {
                if (Files.exists(pattern.base(), LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(pattern.base())) {
                    found.add(pattern.base());
                }
                continue;
            }
            if (!Files.isDirectory(pattern.base())) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(pattern.base(), pattern.depth())) {
                walk.filter(pattern.matcher()::matches)
                        .filter(p -> !Files.isDirectory(p))
                        .forEach(found::add);
            } catch (IOException | java.io.UncheckedIOException e) {
                // a directory vanished during the walk (a pod went away): the next scan sees the new state
            }
        }
        return found;
    }

    private record Pattern(Path base, int depth, PathMatcher matcher, boolean hasWildcard) {
        static Pattern of(String glob) {
            Path path = Path.of(glob).toAbsolutePath().normalize();
            List<String> fixed = new ArrayList<>();
            int wildcardAt = -1;
            for (int i = 0; i < path.getNameCount(); i++) {
                String name = path.getName(i).toString();
                if (name.matches(".*[*?\\[{].*")) {
                    wildcardAt = i;
                    break;
                }
                fixed.add(name);
            }
            Path base = Path.of("/" + String.join("/", fixed));
            if (wildcardAt < 0) {
                return new Pattern(path, 0, p -> p.equals(path), false);
            }
            int depth = glob.contains("**") ? Integer.MAX_VALUE : path.getNameCount() - wildcardAt;
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + path);
            return new Pattern(base, depth, matcher, true);
        }
    }
}
