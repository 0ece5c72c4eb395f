package io.logpipe.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checked-out project: the deployment files these tests check live beside this module. */
final class Repository {
    private static final Path ROOT = locateRoot();

    private Repository() {
    }

    static Path path(String relative) {
        Path path = ROOT.resolve(relative);
        if (!Files.exists(path)) {
            throw new IllegalStateException(relative + " not found under the project root " + ROOT);
        }
        return path;
    }

    private static Path locateRoot() {
        String configured = System.getProperty("logpipe.repo.root");
        Path root = (configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent()).normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("deploy-tests"))) {
            throw new IllegalStateException("cannot find the logpipe project root (tried " + root
                    + "); run the tests through Maven or set -Dlogpipe.repo.root");
        }
        return root;
    }
}
